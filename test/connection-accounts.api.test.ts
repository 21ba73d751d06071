/**
 * The API the web app needs beyond the basics: choosing the accounts extractions may use,
 * previewing schedules before saving them, daily totals for charts, DuckDB files placed in
 * TRIBUTARY_HOME, and OAuth failures that come back to the app with the reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../src/domain/dates.ts';
import { apiFailure, connectSandboxUser, runEnded, startTestApp, type TestApp, waitFor } from './harness.ts';

describe('connection accounts, schedule preview, daily totals, OAuth failures', () => {
  let app: TestApp;
  let connectionId: string;

  beforeAll(async () => {
    app = await startTestApp('pglite');
    connectionId = (await connectSandboxUser(app, 'alex@example.com')).id;
  });
  afterAll(async () => {
    await app?.close();
  });

  it('syncs all accounts by default, narrows to a selection, and refuses unknown ids without changing anything', async () => {
    const connection = await app.api.call('getConnection', { params: { id: connectionId } });
    expect(connection.accountSync).toBe('all');
    expect(connection.accountsCount).toBe(3);
    expect(connection.accounts.every((account) => account.selected)).toBe(true);
    const [first, second] = connection.accounts.map((account) => account.id);

    const refused = await apiFailure(
      app.api.call('updateConnectionAccounts', {
        params: { id: connectionId },
        body: { sync: 'selected', accountIds: [first!, 'not-an-account'] },
      }),
    );
    expect(refused.status).toBe(400);
    expect(refused.message).toContain('not-an-account');
    expect((await app.api.call('getConnection', { params: { id: connectionId } })).accountsCount).toBe(3);

    const narrowed = await app.api.call('updateConnectionAccounts', {
      params: { id: connectionId },
      body: { sync: 'selected', accountIds: [first!] },
    });
    expect(narrowed.accountSync).toBe('selected');
    expect(narrowed.accountsCount).toBe(1);
    expect(narrowed.accounts.filter((account) => account.selected).map((account) => account.id)).toEqual([
      first,
    ]);

    // A re-discovery keeps the selection (and adds nothing to it).
    await app.api.call('syncConnectionAccounts', { params: { id: connectionId } });
    await waitFor(
      () => app.api.call('getConnection', { params: { id: connectionId } }),
      (current) => current.accountStatus !== 'loading',
    );
    expect((await app.api.call('getConnection', { params: { id: connectionId } })).accountsCount).toBe(1);

    // Extractions may not name an account outside the selection.
    const outside = await apiFailure(
      app.api.call('createExtraction', {
        body: { connectionId, templateId: 'meta-ads.account_daily', accounts: [second!] },
      }),
    );
    expect(outside.status).toBe(400);
    expect(outside.message).toContain('not selected');

    const all = await app.api.call('updateConnectionAccounts', {
      params: { id: connectionId },
      body: { sync: 'all' },
    });
    expect(all.accountsCount).toBe(3);
    expect(all.accounts.every((account) => account.selected)).toBe(true);

    const missing = await apiFailure(
      app.api.call('updateConnectionAccounts', {
        params: { id: crypto.randomUUID() },
        body: { sync: 'all' },
      }),
    );
    expect(missing.status).toBe(404);
  });

  it('previews schedules before saving: five DST-correct run times, or a 400 naming the field', async () => {
    const preview = await app.api.call('previewSchedules', {
      body: {
        schedules: [
          { frequency: 'daily', time: '06:00', timezone: 'America/New_York' },
          { frequency: 'every_4h', time: '00:15', timezone: 'UTC' },
        ],
      },
    });
    expect(preview.items.map((item) => item.nextRuns.length)).toEqual([5, 5]);
    expect(preview.items[1]!.cron).toBe('15 0,4,8,12,16,20 * * *');
    for (const at of preview.items[0]!.nextRuns) {
      const local = new Intl.DateTimeFormat('en-GB', {
        timeZone: 'America/New_York',
        hour: '2-digit',
        minute: '2-digit',
      }).format(new Date(at));
      expect(local).toBe('06:00');
    }
    const bad = await apiFailure(
      app.api.call('previewSchedules', {
        body: { schedules: [{ frequency: 'daily', time: '06:00', timezone: 'Mars/Olympus' }] },
      }),
    );
    expect(bad.status).toBe(400);
    expect(bad.message).toContain('schedules.0.timezone');
  });

  it('sums the loaded days for charts over every account', async () => {
    const extraction = await app.api.call('createExtraction', {
      body: {
        connectionId,
        templateId: 'meta-ads.account_daily',
        metrics: ['spend', 'impressions', 'clicks'],
      },
    });
    const before = await app.api.call('getExtractionDailyTotals', { params: { id: extraction.id } });
    expect(before.items).toEqual([]);

    const today = todayIn('UTC', new Date());
    const from = addDays(today, -6);
    const to = addDays(today, -2);
    const run = await app.api.call('startExtractionRun', {
      params: { id: extraction.id },
      body: { from, to },
    });
    expect((await runEnded(app, run.id)).status).toBe('succeeded');
    // The list carries each extraction's newest run (read for the whole page at once).
    const listed = await app.api.call('listExtractions', { query: { connectionId } });
    expect(listed.items.find((item) => item.id === extraction.id)?.lastRun).toMatchObject({
      id: run.id,
      status: 'succeeded',
    });

    const totals = await app.api.call('getExtractionDailyTotals', {
      params: { id: extraction.id },
      query: { from: addDays(today, -30), to: today },
    });
    expect(totals.metrics).toEqual(expect.arrayContaining(['spend', 'impressions', 'clicks']));
    expect(totals.items.map((item) => item.date)).toEqual(
      [0, 1, 2, 3, 4].map((offset) => addDays(from, offset)),
    );

    // Each day is the sum over the accounts, as the destination holds them.
    const destination = await app.runtime.context.destinations.get(extraction.destinationId);
    const connection = await app.api.call('getConnection', { params: { id: connectionId } });
    let spend = 0;
    for (const account of connection.accounts) {
      const days = await destination.dailyTotals(extraction.table, account.id, from, from, ['spend']);
      spend += days[0]?.values.spend ?? 0;
    }
    expect(totals.items[0]!.values.spend).toBeCloseTo(spend, 6);
    expect(spend).toBeGreaterThan(0);
  });

  it('puts DuckDB destinations without a path, or with a relative one, in TRIBUTARY_HOME', async () => {
    const named = await app.api.call('createDestination', {
      body: { kind: 'duckdb', name: 'Client A — copy' },
    });
    expect(named.location).toBe(path.join(app.config.home, 'client_a_copy.duckdb'));
    const relative = await app.api.call('createDestination', {
      body: { kind: 'duckdb', name: 'Nested', path: 'exports/nested.duckdb' },
    });
    expect(relative.location).toBe(path.join(app.config.home, 'exports', 'nested.duckdb'));
    expect(fs.existsSync(relative.location)).toBe(true);
  });

  it('sends a denied authorization back to the app with the reason', async () => {
    const created = await app.api.call('createConnection', {
      body: { dataSource: 'meta-ads', returnTo: '/connections/new/accounts' },
    });
    const authorize = new URL(created.authorizationUrl!);
    const callback = new URL('/api/v1/oauth/callback', app.url);
    callback.searchParams.set('state', authorize.searchParams.get('state')!);
    callback.searchParams.set('error', 'access_denied');
    callback.searchParams.set('error_description', 'Permissions error');
    const response = await fetch(callback, { redirect: 'manual' });
    expect(response.status).toBe(303);
    const target = new URL(response.headers.get('location')!, app.url);
    expect(target.pathname).toBe('/connections/new/accounts');
    expect(target.searchParams.get('connection')).toBe(created.connection.id);
    expect(target.searchParams.get('error')).toBe('oauth_denied');
    expect(target.searchParams.get('message')).toContain('Permissions error');

    // An API client asking for JSON still gets the error body.
    const again = await fetch(callback, { headers: { accept: 'application/json' } });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('invalid_oauth_state');
  });
});
