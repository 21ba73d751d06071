/**
 * Google Analytics 4 end to end through the API against the GA4 sandbox, spoken to only over HTTP: connect a
 * seeded Google user through the sandbox consent page (PKCE), discover properties (3, 280 over pages, 0), extract a
 * week of traffic daily with sessions, views and key events equal to the sandbox truth through a server error, and
 * connect the sandbox service account with its JSON key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../src/domain/dates.ts';
import {
  connectSandboxUser,
  injectFault,
  pendingFaults,
  runEnded,
  sandboxTruth,
  startTestApp,
  type TestApp,
  waitFor,
} from './harness.ts';

/** Connects a seeded Google user, checking the authorization URL is the sandbox client's with PKCE. */
function connect(app: TestApp, email: string) {
  return connectSandboxUser(app, email, {
    provider: 'ga4',
    amend: (authorize) => {
      expect(authorize.pathname).toBe('/sandbox/ga4/o/oauth2/v2/auth');
      expect(authorize.searchParams.get('client_id')).toBe(
        'tributary-sandbox-ga4.apps.googleusercontent.com',
      );
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    },
  });
}

describe('Google Analytics 4 through the sandbox', () => {
  let app: TestApp;
  let connectionId: string;

  beforeAll(async () => {
    app = await startTestApp('pglite');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('is in the catalog with its docs, schema, templates and the key field', async () => {
    const source = await app.api.call('getDataSource', { params: { id: 'ga4' } });
    expect(source).toMatchObject({ id: 'ga4', authType: 'oauth2', sandbox: true, configured: true });
    expect(source.setupGuide).toContain('Viewer');
    expect(source.troubleshooting).toContain('RESOURCE_EXHAUSTED');
    expect(source.schema.metrics.find((metric) => metric.name === 'total_revenue')?.type).toBe('money');
    const { items } = await app.api.call('listTemplates', { params: { id: 'ga4' } });
    expect(items.map((template) => template.id)).toContain('ga4.traffic_daily');
  });

  it('connects alex@example.com and discovers three properties under two Analytics accounts', async () => {
    const connection = await connect(app, 'alex@example.com');
    connectionId = connection.id;
    expect(connection).toMatchObject({
      status: 'active',
      accountStatus: 'ready',
      accountsCount: 3,
      businessAccount: 'alex@example.com',
    });
    const accounts = (await app.api.call('listConnectionAccounts', { params: { id: connectionId } })).items;
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
    const agency = await connect(app, 'agency@example.com');
    expect([agency.accountStatus, agency.accountsCount]).toEqual(['ready', 280]);
    const nora = await connect(app, 'nora@example.com');
    expect([nora.accountStatus, nora.accountsCount]).toEqual(['none', 0]);
  });

  it('extracts a week of traffic daily equal to the truth, through a server error', async () => {
    const metrics = ['sessions', 'screen_page_views', 'key_events', 'total_revenue'];
    const extraction = await app.api.call('createExtraction', {
      body: { connectionId, templateId: 'ga4.traffic_daily', accounts: 'all', metrics },
    });
    expect(extraction.table).toBe('ga4_traffic_daily');
    const today = todayIn('UTC', new Date());
    const from = addDays(today, -7);
    const to = addDays(today, -1);
    await injectFault(app, 'server_error', 1, 'ga4');
    const run = await runEnded(
      app,
      (await app.api.call('startExtractionRun', { params: { id: extraction.id }, body: { from, to } })).id,
    );
    expect(run.status, JSON.stringify(run.log.slice(-8))).toBe('succeeded');
    expect(JSON.stringify(await pendingFaults(app))).not.toContain('"ga4"');
    expect(run.reconciliation).toMatchObject({ status: 'matched', mismatches: [] });
    expect(run.rows.inserted).toBeGreaterThan(0);

    const destination = await app.runtime.context.destinations.get(extraction.destinationId);
    const accounts = (await app.api.call('listConnectionAccounts', { params: { id: connectionId } })).items;
    let compared = 0;
    for (const account of accounts) {
      const loaded = new Map(
        (await destination.dailyTotals(extraction.table, account.id, from, to, metrics)).map((day) => [
          day.date,
          day.values,
        ]),
      );
      for (const day of await sandboxTruth(app, 'ga4', account.id, from, to)) {
        const ours = loaded.get(day.date) ?? {
          sessions: 0,
          screen_page_views: 0,
          key_events: 0,
          total_revenue: 0,
        };
        expect([account.id, day.date, ours.sessions, ours.screen_page_views, ours.key_events]).toEqual([
          account.id,
          day.date,
          day.metrics?.sessions ?? 0,
          day.metrics?.screenPageViews ?? 0,
          day.conversions,
        ]);
        expect(Math.abs((ours.total_revenue ?? 0) - (day.metrics?.totalRevenue ?? 0))).toBeLessThan(0.005);
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(7);

    const data = await app.api.call('getExtractionData', {
      params: { id: extraction.id },
      query: { limit: 5 },
    });
    expect(data.columns.map((column) => column.name)).toEqual(
      expect.arrayContaining(['date', 'account_id', 'sessions', 'screen_page_views', 'total_revenue']),
    );
  });

  it('connects the sandbox service account with its JSON key and finds alex’s properties', async () => {
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
