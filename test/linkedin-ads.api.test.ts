/**
 * LinkedIn Ads end to end through the API against the LinkedIn sandbox, spoken to only over HTTP: connect a seeded
 * member through the sandbox consent page (and refuse one who unticked the ads permissions), discover ad accounts
 * (four, 1,200 over cursor pages, none), extract campaign daily for a week with exact totals against the sandbox's
 * truth, and survive a server error on the way.
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

const METRICS = ['cost_in_local_currency', 'impressions', 'clicks', 'external_website_conversions'];

/** Checks the authorization URL is LinkedIn's consent page for the sandbox client. */
function expectLinkedInAuthorization(authorize: URL): void {
  expect(authorize.pathname).toBe('/sandbox/linkedin-ads/oauth/v2/authorization');
  expect(authorize.searchParams.get('client_id')).toBe('tributary-sandbox-client');
}

/** Connects a seeded member and waits for discovery (1,200 accounts take a while). */
function connect(app: TestApp, email: string) {
  return connectSandboxUser(app, email, {
    provider: 'linkedin-ads',
    amend: expectLinkedInAuthorization,
    timeoutMs: 60_000,
  });
}

describe('LinkedIn Ads through the sandbox', () => {
  let app: TestApp;
  let connectionId: string;

  beforeAll(async () => {
    app = await startTestApp('pglite');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('is in the catalog with its docs, schema and templates', async () => {
    const source = await app.api.call('getDataSource', { params: { id: 'linkedin-ads' } });
    expect(source).toMatchObject({ id: 'linkedin-ads', authType: 'oauth2', sandbox: true, configured: true });
    expect(source.troubleshooting).toContain('EXPIRED_ACCESS_TOKEN');
    expect(source.schema.metrics.find((metric) => metric.name === 'cost_in_local_currency')?.type).toBe(
      'money',
    );
    const { items } = await app.api.call('listTemplates', { params: { id: 'linkedin-ads' } });
    expect(items.map((template) => template.id)).toContain('linkedin-ads.campaign_daily');
  });

  it('refuses a member who unticked r_ads_reporting, saving no credential', async () => {
    const { id, callback } = await authorizeSandboxUser(
      app,
      'alex@example.com',
      'linkedin-ads',
      (authorize) => {
        expectLinkedInAuthorization(authorize);
        authorize.searchParams.set('sandbox_scopes', 'r_ads,openid,profile,email');
      },
    );
    expect(callback.status).toBeGreaterThanOrEqual(300);
    const connection = await app.api.call('getConnection', { params: { id } });
    expect(connection.status).not.toBe('active');
    expect(connection.statusDetails).toMatchObject({ code: 'permission_denied', category: 'permission' });
    expect(connection.statusDetails?.message).toContain('r_ads_reporting');
    expect(connection.statusDetails?.message).not.toContain('r_ads and');
  });

  it('connects alex@example.com and discovers four accounts in UTC, the canceled one included', async () => {
    const connection = await connect(app, 'alex@example.com');
    connectionId = connection.id;
    expect(connection).toMatchObject({
      status: 'active',
      accountStatus: 'ready',
      accountsCount: 4,
      businessAccount: 'alex@example.com',
    });
    const accounts = (await app.api.call('listConnectionAccounts', { params: { id: connectionId } })).items;
    expect(accounts.map((account) => account.currency).sort()).toEqual(['EUR', 'GBP', 'USD', 'USD']);
    expect(new Set(accounts.map((account) => account.timezone))).toEqual(new Set(['UTC']));
    expect(accounts.map((account) => account.status)).toContain('canceled');
  });

  it('discovers 1,200 accounts of the agency over cursor pages, and none for nora', async () => {
    const agency = await connect(app, 'agency@example.com');
    expect([agency.accountStatus, agency.accountsCount]).toEqual(['ready', 1200]);
    const nora = await connect(app, 'nora@example.com');
    expect([nora.accountStatus, nora.accountsCount]).toEqual(['none', 0]);
  });

  it('extracts a week of campaign daily with totals equal to the truth, through a server error', async () => {
    const extraction = await app.api.call('createExtraction', {
      body: { connectionId, templateId: 'linkedin-ads.campaign_daily', accounts: 'all', metrics: METRICS },
    });
    expect(extraction.table).toBe('linkedin_ads_campaign_daily');
    const today = todayIn('UTC', new Date());
    const from = addDays(today, -7);
    const to = addDays(today, -1);
    await injectFault(app, 'server_error', 1, 'linkedin-ads');
    const run = await runEnded(
      app,
      (await app.api.call('startExtractionRun', { params: { id: extraction.id }, body: { from, to } })).id,
    );
    expect(run.status, JSON.stringify(run.log.slice(-8))).toBe('succeeded');
    expect(JSON.stringify(await pendingFaults(app))).not.toContain('linkedin-ads');
    expect(run.reconciliation).toMatchObject({ status: 'matched', mismatches: [] });
    expect(run.rows.inserted).toBeGreaterThan(0);

    const destination = await app.runtime.context.destinations.get(extraction.destinationId);
    const accounts = (await app.api.call('listConnectionAccounts', { params: { id: connectionId } })).items;
    let compared = 0;
    let delivered = 0;
    for (const account of accounts) {
      const loaded = new Map(
        (await destination.dailyTotals(extraction.table, account.id, from, to, METRICS)).map((day) => [
          day.date,
          day.values,
        ]),
      );
      for (const day of await sandboxTruth(app, 'linkedin-ads', account.id, from, to)) {
        const ours = loaded.get(day.date) ?? {};
        expect([
          account.id,
          day.date,
          ours.impressions ?? 0,
          ours.clicks ?? 0,
          ours.external_website_conversions ?? 0,
        ]).toEqual([account.id, day.date, day.impressions, day.clicks, day.conversions]);
        expect(Math.abs((ours.cost_in_local_currency ?? 0) - day.spend)).toBeLessThan(0.005);
        compared += 1;
        if (day.impressions > 0) delivered += 1;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(7);
    expect(delivered).toBeGreaterThan(0);

    const data = await app.api.call('getExtractionData', {
      params: { id: extraction.id },
      query: { limit: 5 },
    });
    expect(data.columns.map((column) => column.name)).toEqual(
      expect.arrayContaining([
        'date',
        'account_id',
        'campaign_id',
        'campaign_name',
        'cost_in_local_currency',
      ]),
    );
  });
});
