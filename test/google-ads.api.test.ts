/**
 * Google Ads end to end through the API against the Google Ads sandbox, spoken to only over HTTP: connect a
 * seeded user through the sandbox consent page (PKCE, offline access), discover a manager hierarchy (9 accounts,
 * 1,252 over pages, none), extract campaign daily for a week of the active client accounts with exact totals
 * against the sandbox's truth, and survive a throttle and an internal error on the way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../src/domain/dates.ts';
import {
  apiFailure,
  connectSandboxUser,
  injectFault,
  pendingFaults,
  runEnded,
  sandboxTruth,
  startTestApp,
  type TestApp,
} from './harness.ts';

/** Connects a seeded user, checking the authorization URL asks Google for offline access with PKCE. */
function connect(app: TestApp, email: string) {
  return connectSandboxUser(app, email, {
    provider: 'google-ads',
    amend: (authorize) => {
      expect(authorize.pathname).toBe('/sandbox/google-ads/o/oauth2/v2/auth');
      expect(authorize.searchParams.get('client_id')).toBe('tributary-sandbox.apps.googleusercontent.com');
      expect(authorize.searchParams.get('access_type')).toBe('offline');
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    },
  });
}

describe('Google Ads through the sandbox', () => {
  let app: TestApp;
  let connectionId: string;

  beforeAll(async () => {
    app = await startTestApp('pglite');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('is in the catalog with its docs, schema and templates', async () => {
    const source = await app.api.call('getDataSource', { params: { id: 'google-ads' } });
    expect(source).toMatchObject({ id: 'google-ads', authType: 'oauth2', sandbox: true, configured: true });
    expect(source.troubleshooting).toContain('REQUESTED_METRICS_FOR_MANAGER');
    expect(source.schema.metrics.find((metric) => metric.name === 'spend')?.type).toBe('money');
    const { items } = await app.api.call('listTemplates', { params: { id: 'google-ads' } });
    expect(items.map((template) => template.id)).toEqual(
      expect.arrayContaining(['google-ads.campaign_daily', 'google-ads.search_term_daily']),
    );
  });

  it('connects alex@example.com and discovers the manager hierarchy: 3 managers, 6 clients', async () => {
    const connection = await connect(app, 'alex@example.com');
    connectionId = connection.id;
    expect(connection).toMatchObject({
      status: 'active',
      accountStatus: 'ready',
      // 9 discovered; the count is of usable accounts, and managers are never extracted.
      accountsCount: 6,
      businessAccount: 'alex@example.com',
    });
    const accounts = (await app.api.call('listConnectionAccounts', { params: { id: connectionId } })).items;
    expect(
      accounts
        .filter((account) => account.manager)
        .map((account) => account.name)
        .sort(),
    ).toEqual(['Morgan Group MCC', 'Morgan Retail', 'Morgan Retail EU']);
    expect(accounts.find((account) => account.name === 'Retail DE')?.managerPath).toEqual([
      'Morgan Group MCC',
      'Morgan Retail',
      'Morgan Retail EU',
    ]);
    expect(accounts.map((account) => account.status).sort()).toEqual(
      expect.arrayContaining(['active', 'canceled', 'suspended']),
    );
    for (const account of accounts) expect(account.id).toMatch(/^\d{10}$/);
  });

  it('discovers 1,252 accounts of the agency user over pages (1,250 clients), none for nora', async () => {
    const agency = await connect(app, 'agency@example.com');
    expect([agency.accountStatus, agency.accountsCount]).toEqual(['ready', 1250]);
    const nora = await connect(app, 'nora@example.com');
    expect([nora.accountStatus, nora.accountsCount]).toEqual(['none', 0]);
  });

  it('extracts a week of campaign daily with totals equal to the truth, through a throttle and an internal error', async () => {
    const listed = (await app.api.call('listConnectionAccounts', { params: { id: connectionId } })).items;
    const clients = listed.filter((account) => !account.manager && account.status === 'active');
    expect(clients).toHaveLength(4);
    const extraction = await app.api.call('createExtraction', {
      body: {
        connectionId,
        templateId: 'google-ads.campaign_daily',
        accounts: clients.map((account) => account.id),
        metrics: ['spend', 'impressions', 'clicks', 'conversions'],
      },
    });
    expect(extraction.table).toBe('google_ads_campaign_daily');
    const today = todayIn('UTC', new Date());
    const from = addDays(today, -7);
    const to = addDays(today, -1);
    await injectFault(app, 'rate_limited', 1, 'google-ads');
    await injectFault(app, 'server_error', 1, 'google-ads');
    const run = await runEnded(
      app,
      (await app.api.call('startExtractionRun', { params: { id: extraction.id }, body: { from, to } })).id,
    );
    expect(run.status, JSON.stringify(run.log.slice(-8))).toBe('succeeded');
    expect(JSON.stringify(await pendingFaults(app))).not.toContain('google-ads');
    expect(run.reconciliation).toMatchObject({ status: 'matched', mismatches: [] });
    expect(run.rows.inserted).toBeGreaterThan(0);

    const destination = await app.runtime.context.destinations.get(extraction.destinationId);
    let compared = 0;
    for (const account of clients) {
      const loaded = new Map(
        (
          await destination.dailyTotals(extraction.table, account.id, from, to, [
            'spend',
            'impressions',
            'clicks',
            'conversions',
          ])
        ).map((day) => [day.date, day.values]),
      );
      for (const day of await sandboxTruth(app, 'google-ads', account.id, from, to)) {
        const ours = loaded.get(day.date) ?? { spend: 0, impressions: 0, clicks: 0, conversions: 0 };
        expect([account.id, day.date, ours.impressions, ours.clicks]).toEqual([
          account.id,
          day.date,
          day.impressions,
          day.clicks,
        ]);
        // Money lands with 4 decimals (DECIMAL(18,4)); Google's micros have 6, so each row may round by 0.00005.
        expect(Math.abs((ours.spend ?? 0) - day.spend)).toBeLessThan(0.005);
        expect(Math.abs((ours.conversions ?? 0) - day.conversions)).toBeLessThan(0.000_001);
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(4 * 7);

    const data = await app.api.call('getExtractionData', {
      params: { id: extraction.id },
      query: { limit: 5 },
    });
    expect(data.columns.map((column) => column.name)).toEqual(
      expect.arrayContaining(['date', 'account_id', 'campaign_id', 'campaign_name', 'spend', 'conversions']),
    );
  });

  it('"all accounts" reads the serving clients only; a canceled client named explicitly is skipped with the reason', async () => {
    const listed = (await app.api.call('listConnectionAccounts', { params: { id: connectionId } })).items;
    const canceled = listed.find((account) => account.status === 'canceled')!;
    const manager = listed.find((account) => account.manager)!;
    // A manager named explicitly is refused up front: it has no data of its own.
    const refused = await apiFailure(
      app.api.call('createExtraction', {
        body: { connectionId, templateId: 'google-ads.account_daily', accounts: [manager.id] },
      }),
    );
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.details)).toContain('manager accounts have no report data');

    const today = todayIn('UTC', new Date());
    const day = addDays(today, -2);
    const all = await app.api.call('createExtraction', {
      body: {
        connectionId,
        templateId: 'google-ads.account_daily',
        accounts: 'all',
        table: 'google_ads_all',
      },
    });
    const run = await runEnded(
      app,
      (await app.api.call('startExtractionRun', { params: { id: all.id }, body: { from: day, to: day } })).id,
    );
    expect(run.status, JSON.stringify(run.log.slice(-6))).toBe('succeeded');
    const active = listed.filter((account) => !account.manager && account.status === 'active');
    expect(run.slices.map((slice) => slice.accountId).sort()).toEqual(
      active.map((account) => account.id).sort(),
    );

    const named = await app.api.call('createExtraction', {
      body: {
        connectionId,
        templateId: 'google-ads.account_daily',
        accounts: [active[0]!.id, canceled.id],
        table: 'google_ads_named',
      },
    });
    const second = await runEnded(
      app,
      (await app.api.call('startExtractionRun', { params: { id: named.id }, body: { from: day, to: day } }))
        .id,
    );
    const skipped = second.slices.find((slice) => slice.accountId === canceled.id);
    expect(skipped?.status).toBe('skipped');
    expect(skipped?.error?.message).toContain('no reports for a canceled account');
    expect(second.slices.find((slice) => slice.accountId === active[0]!.id)?.status).toBe('succeeded');
  });

  it('a token refused as expired mid-run is refreshed once and the slice runs again with the new one', async () => {
    const accessTokens = async () =>
      (
        (await (await fetch(`${app.url}/sandbox/_control/tokens`)).json()) as {
          tokens: { provider: string; kind: string }[];
        }
      ).tokens.filter((token) => token.provider === 'google-ads' && token.kind === 'access_token').length;
    const before = await accessTokens();
    const listed = (await app.api.call('listConnectionAccounts', { params: { id: connectionId } })).items;
    const client = listed.find((account) => !account.manager && account.status === 'active')!;
    const extraction = await app.api.call('createExtraction', {
      body: {
        connectionId,
        templateId: 'google-ads.account_daily',
        accounts: [client.id],
        table: 'google_ads_refresh',
      },
    });
    const day = addDays(todayIn('UTC', new Date()), -3);
    await injectFault(app, 'token_expired', 1, 'google-ads');
    const run = await runEnded(
      app,
      (
        await app.api.call('startExtractionRun', {
          params: { id: extraction.id },
          body: { from: day, to: day },
        })
      ).id,
    );
    expect(run.status, JSON.stringify(run.log.slice(-6))).toBe('succeeded');
    expect(JSON.stringify(run.log)).toContain('access token expired during the read');
    // Exactly one refresh: one new access token, and the connection stayed active.
    expect((await accessTokens()) - before).toBe(1);
    expect((await app.api.call('getConnection', { params: { id: connectionId } })).status).toBe('active');
  });
});
