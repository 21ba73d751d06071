import { it } from 'vitest';
import { findUserByEmail } from './seed.ts';
import { graph, login, startSandbox } from './test-harness.ts';

it('smoke', async () => {
  const s = await startSandbox();
  const { longToken } = await login(s, 'alex@example.com');
  const acct = findUserByEmail('alex@example.com')!.accounts[0]!.accountId;
  const q = new URLSearchParams({
    fields:
      'account_id,account_name,account_currency,campaign_id,campaign_name,adset_id,adset_name,ad_id,ad_name,buying_type,objective,optimization_goal,impressions,reach,frequency,clicks,unique_clicks,inline_link_clicks,spend,cpc,cpm,cpp,ctr,cost_per_inline_link_click,actions,action_values,cost_per_action_type,purchase_roas',
    level: 'ad',
    breakdowns: 'age,gender',
    time_increment: '1',
    limit: '3',
    time_range: JSON.stringify({ since: '2025-03-01', until: '2025-03-02' }),
    action_attribution_windows: '["1d_click","7d_click","1d_view"]',
  });
  const r = await graph(s, `/act_${acct}/insights?${q}`, longToken);
  console.log(r.status, JSON.stringify(r.json, null, 1).slice(0, 4000));
  console.log(r.headers.get('x-business-use-case-usage'), r.headers.get('x-fb-ads-insights-throttle'));
  const t = Date.now();
  const big = await graph(
    s,
    `/act_${acct}/insights?level=ad&breakdowns=age,gender&time_increment=1&date_preset=maximum`,
    longToken,
  );
  console.log('big', big.status, big.text.slice(0, 200), Date.now() - t);
  const t2 = Date.now();
  const year = await graph(
    s,
    `/act_${acct}/insights?level=ad&time_increment=1&date_preset=last_90d&limit=500&fields=impressions,spend,actions`,
    longToken,
  );
  console.log(
    '90d',
    year.status,
    year.json.data?.length,
    year.json.paging?.next?.slice(0, 100),
    Date.now() - t2,
  );
  await s.close();
});
