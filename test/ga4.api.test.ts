/**
 * Google Analytics 4 end to end through the API against the GA4 sandbox, spoken to only over HTTP: connect a
 * seeded Google user through the sandbox consent page (PKCE), discover properties (3, 280 over pages, 0), extract a
 * week of traffic daily with sessions, views and key events equal to the sandbox truth through a server error, and
 * connect the sandbox service account with its JSON key.
 */
import { describe, expect, it } from 'vitest';
import { waitFor } from './harness.ts';
import { providerSuite } from './providerExtraction.ts';

const METRICS = ['sessions', 'screen_page_views', 'key_events', 'total_revenue'];

describe('Google Analytics 4 through the sandbox', () => {
  const suite = providerSuite({
    provider: 'ga4',
    // Google's consent page for the sandbox client, with PKCE.
    checkAuthorization: (authorize) => {
      expect(authorize.pathname).toBe('/sandbox/ga4/o/oauth2/v2/auth');
      expect(authorize.searchParams.get('client_id')).toBe(
        'tributary-sandbox-ga4.apps.googleusercontent.com',
      );
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    },
  });
  let connectionId: string;

  it('is in the catalog with its docs, schema, templates and the key field', async () => {
    const source = await suite.expectInCatalog({
      troubleshooting: 'RESOURCE_EXHAUSTED',
      moneyMetric: 'total_revenue',
      templates: ['ga4.traffic_daily'],
    });
    expect(source.setupGuide).toContain('Viewer');
  });

  it('connects alex@example.com and discovers three properties under two Analytics accounts', async () => {
    const { connection, accounts } = await suite.expectConnected('alex@example.com', 3);
    connectionId = connection.id;
    expect(accounts.map((account) => account.currency).sort()).toEqual(['EUR', 'GBP', 'USD']);
    expect(accounts.map((account) => account.timezone).sort()).toEqual([
      'America/New_York',
      'Europe/Berlin',
      'Europe/London',
    ]);
    for (const account of accounts)
      expect([account.id, account.status]).toEqual([expect.stringMatching(/^\d+$/), 'active']);
  });

  it('discovers 280 properties of the agency user and none of nora', async () => {
    await suite.expectDiscovered('agency@example.com', 'ready', 280);
    await suite.expectDiscovered('nora@example.com', 'none', 0);
  });

  it('extracts a week of traffic daily equal to the truth, through a server error', async () => {
    const extraction = await suite.app.api.call('createExtraction', {
      body: { connectionId, templateId: 'ga4.traffic_daily', accounts: 'all', metrics: METRICS },
    });
    expect(extraction.table).toBe('ga4_traffic_daily');
    const { from, to } = await suite.runLastWeekThrough(extraction.id, ['server_error']);

    const compared = await suite.compareWithTruth(
      { extraction, from, to, metrics: METRICS },
      (ours, day, accountId) => {
        expect([accountId, day.date, ours.sessions, ours.screen_page_views, ours.key_events]).toEqual([
          accountId,
          day.date,
          day.metrics?.sessions ?? 0,
          day.metrics?.screenPageViews ?? 0,
          day.conversions,
        ]);
        expect(Math.abs((ours.total_revenue ?? 0) - (day.metrics?.totalRevenue ?? 0))).toBeLessThan(0.005);
      },
    );
    expect(compared).toBeGreaterThanOrEqual(7);

    const columns = ['date', 'account_id', 'sessions', 'screen_page_views', 'total_revenue'];
    await suite.expectColumns(extraction.id, columns);
  });

  it('connects the sandbox service account with its JSON key and finds alex’s properties', async () => {
    const { app } = suite;
    const email = 'reporting@tributary-sandbox.iam.gserviceaccount.com';
    const keyResponse = await fetch(
      `${app.url}/sandbox/ga4/_control/service-account-key?email=${encodeURIComponent(email)}`,
    );
    expect(keyResponse.status).toBe(200);
    const key = await keyResponse.text();
    const refused = await app.api
      .call('createConnection', {
        body: { dataSource: 'ga4', credentials: { key: '{"web":{"client_id":"x"}}' } },
      })
      .catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 400, code: 'validation_failed' });
    expect((refused as Error).message).toContain('OAuth client file');
    const created = await app.api.call('createConnection', {
      body: { dataSource: 'ga4', credentials: { key } },
    });
    expect(created.authorizationUrl).toBeNull();
    const connection = await waitFor(
      () => app.api.call('getConnection', { params: { id: created.connection.id } }),
      (current) => current.accountStatus !== 'loading',
    );
    expect(connection).toMatchObject({ status: 'active', accountsCount: 3, businessAccount: email });
  });
});
