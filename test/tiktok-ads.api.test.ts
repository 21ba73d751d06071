/**
 * TikTok Ads end to end through the API against the TikTok sandbox, spoken to only over HTTP: connect a seeded
 * user through the sandbox consent page, discover advertisers (one batch and three), extract campaign daily for a
 * week with exact totals against the sandbox's truth, and survive a throttle and a system error on the way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../src/domain/dates.ts';
import {
  authorizeSandboxUser,
  connectSandboxUser,
  injectFault,
  pendingFaults,
  runEnded,
  sandboxTruth,
  startTestApp,
  type TestApp,
} from './harness.ts';

/** Connects a seeded user, checking the authorization URL is TikTok's portal with the sandbox app. */
function connect(app: TestApp, email: string) {
  return connectSandboxUser(app, email, {
    provider: 'tiktok-ads',
    amend: (authorize) => {
      expect(authorize.pathname).toBe('/sandbox/tiktok-ads/portal/auth');
      expect(authorize.searchParams.get('app_id')).toBe('tributary-sandbox-app');
    },
  });
}

describe('TikTok Ads through the sandbox', () => {
  let app: TestApp;
  let connectionId: string;

  beforeAll(async () => {
    app = await startTestApp('pglite');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('is in the catalog with its docs, schema and templates', async () => {
    const source = await app.api.call('getDataSource', { params: { id: 'tiktok-ads' } });
    expect(source).toMatchObject({ id: 'tiktok-ads', authType: 'oauth2', sandbox: true, configured: true });
    expect(source.troubleshooting).toContain('40100');
    expect(source.schema.metrics.find((metric) => metric.name === 'spend')?.type).toBe('money');
    const { items } = await app.api.call('listTemplates', { params: { id: 'tiktok-ads' } });
    expect(items.map((template) => template.id)).toContain('tiktok-ads.campaign_daily');
  });

  it('connects alex@example.com and discovers three advertisers', async () => {
    const connection = await connect(app, 'alex@example.com');
    connectionId = connection.id;
    expect(connection).toMatchObject({
      status: 'active',
      accountStatus: 'ready',
      accountsCount: 3,
      businessAccount: 'alex@example.com',
    });
    const accounts = (await app.api.call('listConnectionAccounts', { params: { id: connectionId } })).items;
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
    const created = await authorizeSandboxUser(app, 'rita@example.com', 'tiktok-ads');
    expect(created.callback.status).toBeGreaterThanOrEqual(300);
    const connection = await app.api.call('getConnection', { params: { id: created.id } });
    expect(connection.status).toBe('error');
    expect(connection.statusDetails).toMatchObject({ code: 'permission_denied', category: 'permission' });
    expect(connection.statusDetails?.message).toContain('Business Center');
    const stored = await app.runtime.context.db.query('SELECT 1 FROM credentials WHERE connection_id = $1', [
      created.id,
    ]);
    expect(stored).toHaveLength(0);
  });

  it('discovers 250 advertisers of the agency user (three detail batches)', async () => {
    const agency = await connect(app, 'agency@example.com');
    expect([agency.accountStatus, agency.accountsCount]).toEqual(['ready', 250]);
    const nora = await connect(app, 'nora@example.com');
    expect([nora.accountStatus, nora.accountsCount]).toEqual(['none', 0]);
  });

  it('extracts a week of campaign daily with totals equal to the truth, through a throttle and a 50000', async () => {
    const extraction = await app.api.call('createExtraction', {
      body: {
        connectionId,
        templateId: 'tiktok-ads.campaign_daily',
        accounts: 'all',
        metrics: ['spend', 'impressions', 'clicks', 'conversion'],
      },
    });
    expect(extraction.table).toBe('tiktok_ads_campaign_daily');
    const today = todayIn('UTC', new Date());
    const from = addDays(today, -7);
    const to = addDays(today, -1);
    await injectFault(app, 'rate_limited', 1, 'tiktok-ads');
    await injectFault(app, 'server_error', 1, 'tiktok-ads');
    const run = await runEnded(
      app,
      (await app.api.call('startExtractionRun', { params: { id: extraction.id }, body: { from, to } })).id,
    );
    expect(run.status, JSON.stringify(run.log.slice(-8))).toBe('succeeded');
    // Both faults were served (and survived): the throttle waited, the system error was retried.
    expect(JSON.stringify(await pendingFaults(app))).not.toContain('tiktok-ads');
    expect(run.reconciliation).toMatchObject({ status: 'matched', mismatches: [] });
    expect(run.rows.inserted).toBeGreaterThan(0);

    const destination = await app.runtime.context.destinations.get(extraction.destinationId);
    const accounts = (await app.api.call('listConnectionAccounts', { params: { id: connectionId } })).items;
    let compared = 0;
    for (const account of accounts) {
      const loaded = new Map(
        (
          await destination.dailyTotals(extraction.table, account.id, from, to, [
            'spend',
            'impressions',
            'clicks',
            'conversion',
          ])
        ).map((day) => [day.date, day.values]),
      );
      for (const day of await sandboxTruth(app, 'tiktok-ads', account.id, from, to)) {
        const ours = loaded.get(day.date) ?? { spend: 0, impressions: 0, clicks: 0, conversion: 0 };
        expect([account.id, day.date, ours.impressions, ours.clicks, ours.conversion]).toEqual([
          account.id,
          day.date,
          day.impressions,
          day.clicks,
          day.conversions,
        ]);
        expect(Math.abs((ours.spend ?? 0) - day.spend)).toBeLessThan(0.005);
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(7);

    const data = await app.api.call('getExtractionData', {
      params: { id: extraction.id },
      query: { limit: 5 },
    });
    expect(data.columns.map((column) => column.name)).toEqual(
      expect.arrayContaining(['date', 'account_id', 'campaign_id', 'campaign_name', 'spend', 'conversion']),
    );
  });
});
