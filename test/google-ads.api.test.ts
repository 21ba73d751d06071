/**
 * Google Ads end to end through the API against the Google Ads sandbox, spoken to only over HTTP: connect a
 * seeded user through the sandbox consent page (PKCE, offline access), discover a manager hierarchy (9 accounts,
 * 1,252 over pages, none), extract campaign daily for a week of the active client accounts with exact totals
 * against the sandbox's truth, and survive a throttle and an internal error on the way.
 */
import { describe, expect, it } from 'vitest';
import { apiFailure, injectFault } from './harness.ts';
import { daysAgo, providerSuite } from './providerExtraction.ts';

const METRICS = ['spend', 'impressions', 'clicks', 'conversions'];

describe('Google Ads through the sandbox', () => {
  const suite = providerSuite({
    provider: 'google-ads',
    // Google's consent page for the sandbox client, asking for offline access with PKCE.
    checkAuthorization: (authorize) => {
      expect(authorize.pathname).toBe('/sandbox/google-ads/o/oauth2/v2/auth');
      expect(authorize.searchParams.get('client_id')).toBe('tributary-sandbox.apps.googleusercontent.com');
      expect(authorize.searchParams.get('access_type')).toBe('offline');
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    },
  });
  let connectionId: string;

  it('is in the catalog with its docs, schema and templates', async () => {
    await suite.expectInCatalog({
      troubleshooting: 'REQUESTED_METRICS_FOR_MANAGER',
      moneyMetric: 'spend',
      templates: ['google-ads.campaign_daily', 'google-ads.search_term_daily'],
    });
  });

  it('connects alex@example.com and discovers the manager hierarchy: 3 managers, 6 clients', async () => {
    // 9 discovered; the count is of usable accounts, and managers are never extracted.
    const { connection, accounts } = await suite.expectConnected('alex@example.com', 6);
    connectionId = connection.id;
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
    await suite.expectDiscovered('agency@example.com', 'ready', 1250);
    await suite.expectDiscovered('nora@example.com', 'none', 0);
  });

  it('extracts a week of campaign daily with totals equal to the truth, through a throttle and an internal error', async () => {
    const listed = await suite.accounts(connectionId);
    const clients = listed.filter((account) => !account.manager && account.status === 'active');
    expect(clients).toHaveLength(4);
    const extraction = await suite.app.api.call('createExtraction', {
      body: {
        connectionId,
        templateId: 'google-ads.campaign_daily',
        accounts: clients.map((account) => account.id),
        metrics: METRICS,
      },
    });
    expect(extraction.table).toBe('google_ads_campaign_daily');
    const { from, to } = await suite.runLastWeekThrough(extraction.id, ['rate_limited', 'server_error']);

    const comparison = { extraction, accounts: clients, from, to, metrics: METRICS };
    const compared = await suite.compareWithTruth(comparison, (ours, day, accountId) => {
      expect([accountId, day.date, ours.impressions, ours.clicks]).toEqual([
        accountId,
        day.date,
        day.impressions,
        day.clicks,
      ]);
      // Money lands with 4 decimals (DECIMAL(18,4)); Google's micros have 6, so each row may round by 0.00005.
      expect(Math.abs((ours.spend ?? 0) - day.spend)).toBeLessThan(0.005);
      expect(Math.abs((ours.conversions ?? 0) - day.conversions)).toBeLessThan(0.000_001);
    });
    expect(compared).toBeGreaterThanOrEqual(4 * 7);

    const columns = ['date', 'account_id', 'campaign_id', 'campaign_name', 'spend', 'conversions'];
    await suite.expectColumns(extraction.id, columns);
  });

  it('"all accounts" reads the serving clients only; a canceled client named explicitly is skipped with the reason', async () => {
    const { app } = suite;
    const listed = await suite.accounts(connectionId);
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

    const day = daysAgo(2);
    const all = await app.api.call('createExtraction', {
      body: {
        connectionId,
        templateId: 'google-ads.account_daily',
        accounts: 'all',
        table: 'google_ads_all',
      },
    });
    const run = await suite.runRange(all.id, day, day);
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
    const second = await suite.runRange(named.id, day, day);
    const skipped = second.slices.find((slice) => slice.accountId === canceled.id);
    expect(skipped?.status).toBe('skipped');
    expect(skipped?.error?.message).toContain('no reports for a canceled account');
    expect(second.slices.find((slice) => slice.accountId === active[0]!.id)?.status).toBe('succeeded');
  });

  it('a token refused as expired mid-run is refreshed once and the slice runs again with the new one', async () => {
    const { app } = suite;
    const accessTokens = async () =>
      (
        (await (await fetch(`${app.url}/sandbox/_control/tokens`)).json()) as {
          tokens: { provider: string; kind: string }[];
        }
      ).tokens.filter((token) => token.provider === 'google-ads' && token.kind === 'access_token').length;
    const before = await accessTokens();
    const listed = await suite.accounts(connectionId);
    const client = listed.find((account) => !account.manager && account.status === 'active')!;
    const extraction = await app.api.call('createExtraction', {
      body: {
        connectionId,
        templateId: 'google-ads.account_daily',
        accounts: [client.id],
        table: 'google_ads_refresh',
      },
    });
    const day = daysAgo(3);
    await injectFault(app, 'token_expired', 1, 'google-ads');
    const run = await suite.runRange(extraction.id, day, day);
    expect(run.status, JSON.stringify(run.log.slice(-6))).toBe('succeeded');
    expect(JSON.stringify(run.log)).toContain('access token expired during the read');
    // Exactly one refresh: one new access token, and the connection stayed active.
    expect((await accessTokens()) - before).toBe(1);
    expect((await app.api.call('getConnection', { params: { id: connectionId } })).status).toBe('active');
  });
});
