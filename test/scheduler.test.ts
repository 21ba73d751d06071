/**
 * The scheduler tick: due schedules fire runs that re-read their lookback and move to their next
 * (DST-correct) time; a slice whose worker died (no heartbeat) is handed to another worker and the
 * run still ends with exact data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warnExpiringTokens } from '../src/engine/accountDiscovery.ts';
import { schedulerTick } from '../src/engine/scheduler.ts';
import { approveInSandbox, startTestApp, type TestApp, waitFor } from './harness.ts';

describe('scheduler', () => {
  let app: TestApp;
  let extractionId: string;

  beforeAll(async () => {
    app = await startTestApp('pglite');
    const created = await app.api.call('createConnection', { body: { dataSource: 'meta-ads' } });
    await approveInSandbox(created.authorizationUrl!, 'sam.lee@example.com');
    await waitFor(
      () => app.api.call('getConnection', { params: { id: created.connection.id } }),
      (connection) => connection.accountStatus === 'ready',
    );
    const extraction = await app.api.call('createExtraction', {
      body: {
        connectionId: created.connection.id,
        templateId: 'meta-ads.account_daily',
        schedules: [{ frequency: 'daily', time: '02:30', timezone: 'Europe/Paris', lookbackDays: 2 }],
      },
    });
    extractionId = extraction.id;
  });
  afterAll(async () => {
    await app?.close();
  });

  const runs = () => app.api.call('listExtractionRuns', { params: { id: extractionId } });

  it('fires a due schedule once and moves it to its next time', async () => {
    expect((await runs()).items).toHaveLength(0);
    await app.runtime.context.db.query(
      "UPDATE extraction_schedules SET next_run_at = now() - interval '1 minute' WHERE extraction_id = $1",
      [extractionId],
    );
    const first = await schedulerTick(app.runtime.context, app.runtime.engine);
    const second = await schedulerTick(app.runtime.context, app.runtime.engine);
    expect([first.runsStarted, second.runsStarted]).toEqual([1, 0]);
    const [run] = (await runs()).items;
    expect(run).toMatchObject({ trigger: 'schedule', window: { kind: 'lookback', days: 2 } });
    const done = await waitFor(
      () => app.api.call('getRun', { params: { id: run!.id } }),
      (detail) => ['succeeded', 'partial', 'failed'].includes(detail.status),
    );
    expect(done.status).toBe('succeeded');
    const extraction = await app.api.call('getExtraction', { params: { id: extractionId } });
    expect(Date.parse(extraction.schedules[0]!.nextRuns[0]!)).toBeGreaterThan(Date.now());
    expect(extraction.schedules[0]!.lastRunAt).not.toBeNull();
  });

  it("hands a dead worker's slice to another worker and finishes the run", async () => {
    const [run] = (await runs()).items;
    const db = app.runtime.context.db;
    // As if the worker running one slice had been killed: running, with a heartbeat long gone.
    await db.query("UPDATE runs SET status = 'running', finished_at = NULL WHERE id = $1", [run!.id]);
    await db.query(
      `UPDATE slices SET status = 'running', heartbeat_at = now() - interval '1 hour', finished_at = NULL
       WHERE id = (SELECT id FROM slices WHERE run_id = $1 ORDER BY position LIMIT 1)`,
      [run!.id],
    );
    const tick = await schedulerTick(app.runtime.context, app.runtime.engine);
    expect(tick.slicesRequeued).toBe(1);
    const done = await waitFor(
      () => app.api.call('getRun', { params: { id: run!.id } }),
      (detail) => ['succeeded', 'partial', 'failed'].includes(detail.status),
    );
    expect(done.status).toBe('succeeded');
    expect(done.log.map((line) => line.message).join('\n')).toContain('stalled (no heartbeat); retrying');
    expect(done.slices[0]!.attempts).toBe(2);
  });

  it('serves Prometheus metrics from the store', async () => {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(text).toContain('# TYPE tributary_runs_total counter');
    expect(text).toMatch(/tributary_runs_total\{status="succeeded"\} [1-9]/);
    expect(text).toMatch(/tributary_provider_api_calls_total [1-9]/);
    expect(text).toMatch(/tributary_slice_duration_seconds_count [1-9]/);
    expect(text).toMatch(/tributary_connections\{status="active"\} 1/);
  });

  it('warns once about a token that expires soon, and records a manual pause', async () => {
    await app.runtime.context.db.query('UPDATE connections SET token_expires_at = $1', [
      new Date(Date.now() + 3 * 86_400_000 - 60_000),
    ]);
    expect(await warnExpiringTokens(app.runtime.context, 7)).toBe(1);
    expect(await warnExpiringTokens(app.runtime.context, 7)).toBe(0);
    await app.api.call('pauseExtraction', { params: { id: extractionId } });
    const events = await app.api.call('listEvents', { query: { limit: 20 } });
    const expiring = events.items.find((event) => event.type === 'token.expiring');
    expect(expiring?.data).toMatchObject({ daysLeft: 2 });
    expect(events.items.map((event) => event.type)).toContain('extraction.paused');
  });
});
