/**
 * TikTok Ads end to end through the API against the TikTok sandbox, spoken to only over HTTP: connect a seeded
 * user through the sandbox consent page, discover advertisers (one batch and three), extract campaign daily for a
 * week with exact totals against the sandbox's truth, and survive a throttle and a system error on the way.
 */
import { describe, expect, it } from 'vitest';
import { providerSuite } from './providerExtraction.ts';

const METRICS = ['spend', 'impressions', 'clicks', 'conversion'];

describe('TikTok Ads through the sandbox', () => {
  const suite = providerSuite({
    provider: 'tiktok-ads',
    // TikTok's portal with the sandbox app.
    checkAuthorization: (authorize) => {
      expect(authorize.pathname).toBe('/sandbox/tiktok-ads/portal/auth');
      expect(authorize.searchParams.get('app_id')).toBe('tributary-sandbox-app');
    },
  });
  let connectionId: string;

  it('is in the catalog with its docs, schema and templates', async () => {
    await suite.expectInCatalog({
      troubleshooting: '40100',
      moneyMetric: 'spend',
      templates: ['tiktok-ads.campaign_daily'],
    });
  });

  it('connects alex@example.com and discovers three advertisers', async () => {
    const { connection, accounts } = await suite.expectConnected('alex@example.com', 3);
    connectionId = connection.id;
    expect(accounts.map((account) => account.currency).sort()).toEqual(
      expect.arrayContaining(['EUR', 'USD']),
    );
    expect(accounts.map((account) => account.timezone)).toEqual(
      expect.arrayContaining(['Europe/Berlin', 'America/New_York']),
    );
    expect(accounts.map((account) => account.status)).toContain('disabled');
    for (const account of accounts) expect(account.id).toMatch(/^\d+$/);
  });

  it('refuses an authorization listing an advertiser the user can no longer read, saving no credential', async () => {
    const created = await suite.authorize('rita@example.com');
    expect(created.callback.status).toBeGreaterThanOrEqual(300);
    const connection = await suite.app.api.call('getConnection', { params: { id: created.id } });
    expect(connection.status).toBe('error');
    expect(connection.statusDetails).toMatchObject({ code: 'permission_denied', category: 'permission' });
    expect(connection.statusDetails?.message).toContain('Business Center');
    const stored = await suite.app.runtime.context.db.query(
      'SELECT 1 FROM credentials WHERE connection_id = $1',
      [created.id],
    );
    expect(stored).toHaveLength(0);
  });

  it('discovers 250 advertisers of the agency user (three detail batches)', async () => {
    await suite.expectDiscovered('agency@example.com', 'ready', 250);
    await suite.expectDiscovered('nora@example.com', 'none', 0);
  });

  it('extracts a week of campaign daily with totals equal to the truth, through a throttle and a 50000', async () => {
    const extraction = await suite.app.api.call('createExtraction', {
      body: { connectionId, templateId: 'tiktok-ads.campaign_daily', accounts: 'all', metrics: METRICS },
    });
    expect(extraction.table).toBe('tiktok_ads_campaign_daily');
    const { from, to } = await suite.runLastWeekThrough(extraction.id, ['rate_limited', 'server_error']);

    const compared = await suite.compareWithTruth(
      { extraction, from, to, metrics: METRICS },
      (ours, day, accountId) => {
        expect([accountId, day.date, ours.impressions, ours.clicks, ours.conversion]).toEqual([
          accountId,
          day.date,
          day.impressions,
          day.clicks,
          day.conversions,
        ]);
        expect(Math.abs((ours.spend ?? 0) - day.spend)).toBeLessThan(0.005);
      },
    );
    expect(compared).toBeGreaterThanOrEqual(7);

    const columns = ['date', 'account_id', 'campaign_id', 'campaign_name', 'spend', 'conversion'];
    await suite.expectColumns(extraction.id, columns);
  });
});
