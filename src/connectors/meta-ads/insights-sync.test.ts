import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_ID,
  buildExtraction,
  callLog,
  drain,
  INSIGHTS_PATH,
  RUN_ID,
  recordingHooks,
  reportRequest,
} from './insights-test-kit.ts';
import { errorFixture, graph, okFixture, SANDBOX_URL, TOKEN } from './replay-fetch.ts';

const PAGE_1 = okFixture('insights/campaign_daily_page_1.json');
const PAGE_2 = okFixture('insights/campaign_daily_page_2.json');
const TOO_MUCH = errorFixture('error_1_reduce_amount_of_data_500.json');
const ASYNC_ROUTES = {
  [`POST ${INSIGHTS_PATH}`]: okFixture('insights/report_run_created.json'),
  [`GET /${RUN_ID}`]: [
    okFixture('insights/report_run_running.json'),
    okFixture('insights/report_run_completed.json'),
  ],
  [`GET /${RUN_ID}/insights`]: [
    okFixture('insights/report_run_results_page_1.json'),
    okFixture('insights/report_run_results_page_2.json'),
  ],
};
const campaignRequest = reportRequest('campaign_daily', {
  dimensions: ['campaign_id', 'campaign_name'],
  metrics: [
    'impressions',
    'clicks',
    'spend',
    'cpc',
    'ctr',
    'actions:purchase',
    'action_values:purchase',
    'cost_per_action_type:purchase',
  ],
});

describe('sync insights read', () => {
  it('sends the documented parameters and follows paging, one page of typed rows at a time', async () => {
    const { extraction, requests } = buildExtraction(graph({ [`GET ${INSIGHTS_PATH}`]: [PAGE_1, PAGE_2] }));
    const hooks = recordingHooks();
    const pages = await drain(extraction.read(TOKEN, campaignRequest, hooks));

    expect(callLog(requests)).toEqual([`GET ${INSIGHTS_PATH}`, `GET ${INSIGHTS_PATH}`]);
    expect(hooks.calls).toBe(2);
    expect(Object.fromEntries(requests[0]!.url.searchParams)).toEqual({
      level: 'campaign',
      fields:
        'campaign_id,campaign_name,impressions,clicks,spend,cpc,ctr,actions,action_values,cost_per_action_type',
      action_breakdowns: 'action_type',
      action_attribution_windows: '["7d_click","1d_view"]',
      action_report_time: 'mixed',
      time_range: '{"since":"2026-03-02","until":"2026-03-03"}',
      time_increment: '1',
      limit: '500',
    });
    // The next link's cursor is followed, the token Meta echoed into it is not.
    expect(requests[1]!.url.searchParams.get('after')).toBe('QVFIfixtureCampaignAfter1');
    expect(requests[1]!.url.searchParams.has('access_token')).toBe(false);
    for (const request of requests) {
      expect(request.headers.get('authorization')).toBe(`Bearer ${TOKEN.accessToken}`);
      expect(request.url.toString()).not.toContain(TOKEN.accessToken);
    }

    expect(pages.map((p) => p.length)).toEqual([2, 2]);
    expect(pages[0]![0]).toEqual({
      date: '2026-03-02',
      campaign_id: '120210000000000101',
      campaign_name: 'Spring Launch - Prospecting',
      impressions: 10412,
      clicks: 233,
      spend: 152.37,
      cpc: 0.653948,
      ctr: 2.237803,
      actions_purchase: 6,
      action_values_purchase: 428.9,
      cost_per_action_type_purchase: 25.395,
    });
    // A day with delivery but no clicks and no actions: no cpc, zero purchases, no cost per purchase.
    expect(pages[1]![1]).toEqual({
      date: '2026-03-03',
      campaign_id: '120210000000000102',
      campaign_name: 'Always-on Retargeting',
      impressions: 640,
      clicks: 0,
      spend: 7.15,
      cpc: null,
      ctr: 0,
      actions_purchase: 0,
      action_values_purchase: 0,
      cost_per_action_type_purchase: null,
    });
  });

  it('sends the chosen attribution windows and report time', async () => {
    const { extraction, requests } = buildExtraction(graph({ [`GET ${INSIGHTS_PATH}`]: PAGE_2 }));
    const request = {
      ...campaignRequest,
      settings: { attribution_windows: ['1d_view', '1d_click'], action_report_time: 'conversion' },
    };
    await drain(extraction.read(TOKEN, request, recordingHooks()));
    expect(requests[0]!.url.searchParams.get('action_attribution_windows')).toBe('["1d_click","1d_view"]');
    expect(requests[0]!.url.searchParams.get('action_report_time')).toBe('conversion');
  });

  it('uses the sandbox Graph when the sandbox is on', async () => {
    const { extraction, requests } = buildExtraction(
      graph({ [`GET ${INSIGHTS_PATH}`]: PAGE_2 }),
      {},
      () => SANDBOX_URL,
      {},
    );
    await drain(extraction.read(TOKEN, campaignRequest, recordingHooks()));
    expect(requests[0]!.url.toString().startsWith(`${SANDBOX_URL}/v25.0${INSIGHTS_PATH}?`)).toBe(true);
  });

  it('retries a transient error and counts every attempt as an API call', async () => {
    const { extraction, requests } = buildExtraction(
      graph({
        [`GET ${INSIGHTS_PATH}`]: [errorFixture('error_2_service_unavailable_transient.json'), PAGE_2],
      }),
    );
    const hooks = recordingHooks();
    expect((await drain(extraction.read(TOKEN, campaignRequest, hooks))).flat()).toHaveLength(2);
    expect(requests).toHaveLength(2);
    expect(hooks.calls).toBe(2);
  });

  it('fails a truncated page as malformed without retrying it', async () => {
    const truncated = { status: 200, body: '{"data":[{"campaign_id":"120210000000000101","impre', raw: true };
    const { extraction, requests } = buildExtraction(
      graph({ [`GET ${INSIGHTS_PATH}`]: [PAGE_1, truncated] }),
    );
    const pages: unknown[] = [];
    const failure = await (async () => {
      for await (const page of extraction.read(TOKEN, campaignRequest, recordingHooks())) pages.push(page);
    })().catch((e: unknown) => e);
    expect(failure).toMatchObject({ name: 'TributaryError', code: 'provider_malformed_response' });
    expect(pages).toHaveLength(1);
    expect(requests).toHaveLength(2);
  });

  it('refuses a next link to another host', async () => {
    const page = {
      body: { data: [], paging: { next: 'https://graph.facebook.com.evil.example/v25.0/x?after=1' } },
    };
    const { extraction, requests } = buildExtraction(graph({ [`GET ${INSIGHTS_PATH}`]: page }));
    await expect(drain(extraction.read(TOKEN, campaignRequest, recordingHooks()))).rejects.toMatchObject({
      code: 'provider_malformed_response',
    });
    expect(requests).toHaveLength(1);
  });

  it('passes auth errors through unchanged', async () => {
    const { extraction } = buildExtraction(
      graph({ [`GET ${INSIGHTS_PATH}`]: errorFixture('error_190_463_token_expired.json') }),
    );
    await expect(drain(extraction.read(TOKEN, campaignRequest, recordingHooks()))).rejects.toMatchObject({
      code: 'auth_token_expired',
    });
  });

  it('rejects an account id that is not numeric before calling Meta', async () => {
    const { extraction, requests } = buildExtraction(graph());
    const request = { ...campaignRequest, account: { ...campaignRequest.account, id: 'act_1/../me' } };
    await expect(drain(extraction.read(TOKEN, request, recordingHooks()))).rejects.toMatchObject({
      code: 'validation_failed',
    });
    expect(requests).toHaveLength(0);
  });
});

describe('falling back to an async report', () => {
  it('switches to async on code 1 "reduce the amount of data" without retrying the sync call', async () => {
    const { extraction, requests } = buildExtraction(
      graph({ [`GET ${INSIGHTS_PATH}`]: TOO_MUCH, ...ASYNC_ROUTES }),
    );
    const hooks = recordingHooks();
    const request = reportRequest('campaign_daily', { metrics: ['impressions', 'spend'] });
    const pages = await drain(extraction.read(TOKEN, request, hooks));
    expect(callLog(requests)).toEqual([
      `GET ${INSIGHTS_PATH}`,
      `POST ${INSIGHTS_PATH}`,
      `GET /${RUN_ID}`,
      `GET /${RUN_ID}`,
      `GET /${RUN_ID}/insights`,
      `GET /${RUN_ID}/insights`,
    ]);
    expect(hooks.calls).toBe(6);
    const form = new URLSearchParams(requests[1]!.body);
    const { limit: _, ...syncParams } = Object.fromEntries(requests[0]!.url.searchParams);
    expect(Object.fromEntries(form)).toEqual(syncParams);
    expect(pages.map((p) => p.length)).toEqual([2, 1]);
    expect(pages[0]![0]).toEqual({
      date: '2026-03-02',
      campaign_id: '120210000000000101',
      campaign_name: 'Spring Launch - Prospecting',
      objective: 'OUTCOME_SALES',
      impressions: 2480,
      spend: 37.21,
    });

    // Meta has told us this (account, template) is too big: the next read goes async straight away.
    requests.length = 0;
    await drain(extraction.read(TOKEN, request, recordingHooks()));
    expect(callLog(requests)[0]).toBe(`POST ${INSIGHTS_PATH}`);
  });

  it('does not duplicate rows when Meta asks for less data after the first page', async () => {
    const { extraction, requests } = buildExtraction(
      graph({ [`GET ${INSIGHTS_PATH}`]: [PAGE_1, TOO_MUCH], ...ASYNC_ROUTES }),
    );
    const pages: unknown[] = [];
    const failure = await (async () => {
      for await (const page of extraction.read(TOKEN, campaignRequest, recordingHooks())) pages.push(page);
    })().catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'provider_unavailable' });
    expect(pages).toHaveLength(1);
    expect(callLog(requests)).toEqual([`GET ${INSIGHTS_PATH}`, `GET ${INSIGHTS_PATH}`]);
  });
});

describe('totals', () => {
  it('reads account-level daily totals with the same settings and no breakdowns', async () => {
    const { extraction, requests } = buildExtraction(
      graph({ [`GET ${INSIGHTS_PATH}`]: okFixture('insights/account_daily_totals.json') }),
    );
    const request = reportRequest('ads_by_age_gender', {
      metrics: ['impressions', 'spend', 'clicks', 'reach', 'actions:purchase'],
      settings: { attribution_windows: ['28d_click'], action_report_time: 'impression' },
      from: '2026-03-02',
      to: '2026-03-04',
    });
    const hooks = recordingHooks();
    const totals = await extraction.totals(TOKEN, request, hooks);
    expect(extraction.reconcilableMetrics).toEqual(['spend', 'impressions', 'clicks', 'actions_purchase']);
    expect(totals).toEqual([
      { date: '2026-03-02', values: { spend: 200.97, impressions: 13532, clicks: 285, actions_purchase: 8 } },
      { date: '2026-03-03', values: { spend: 146.95, impressions: 10517, clicks: 201, actions_purchase: 4 } },
      { date: '2026-03-04', values: { spend: 133.4, impressions: 9981, clicks: 190, actions_purchase: 0 } },
    ]);
    expect(hooks.calls).toBe(1);
    expect(Object.fromEntries(requests[0]!.url.searchParams)).toEqual({
      level: 'account',
      fields: 'impressions,clicks,spend,actions',
      action_breakdowns: 'action_type',
      action_attribution_windows: '["28d_click"]',
      action_report_time: 'impression',
      time_range: '{"since":"2026-03-02","until":"2026-03-04"}',
      time_increment: '1',
      limit: '500',
    });
  });

  it('reports only the reconcilable metrics the selection has', async () => {
    const { extraction, requests } = buildExtraction(
      graph({ [`GET ${INSIGHTS_PATH}`]: okFixture('insights/account_daily_totals.json') }),
    );
    const request = reportRequest('campaign_daily', { metrics: ['impressions', 'spend'], to: '2026-03-04' });
    const totals = await extraction.totals(TOKEN, request, recordingHooks());
    expect(totals[0]).toEqual({ date: '2026-03-02', values: { impressions: 13532, spend: 200.97 } });
    expect(requests[0]!.url.searchParams.get('fields')).toBe('impressions,spend');
    expect(requests[0]!.url.pathname).toBe(`/v25.0/act_${ACCOUNT_ID}/insights`);
  });
});
