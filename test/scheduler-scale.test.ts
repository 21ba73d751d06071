/**
 * More schedules due in one minute than one claim holds: a single tick fires every one of them
 * (it claims batch after batch), each exactly once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverAccounts } from '../src/engine/accountDiscovery.ts';
import { schedulerTick } from '../src/engine/scheduler.ts';
import { approveInSandbox, startTestApp, type TestApp, waitFor } from './harness.ts';

const COPIES = 450;

describe('scheduler at scale', () => {
  let app: TestApp;
  let extractionId: string;

  beforeAll(async () => {
    // No in-process workers: the figure is the scheduler firing, not the runs being read.
    app = await startTestApp('pglite', { TRIBUTARY_WORKERS: 'off' });
    const created = await app.api.call('createConnection', { body: { dataSource: 'meta-ads' } });
    await approveInSandbox(created.authorizationUrl!, 'sam.lee@example.com');
    // Without workers the discovery job waits in the queue: run it here, as a worker would.
    await discoverAccounts(app.runtime.context, created.connection.id);
    await waitFor(
      () => app.api.call('getConnection', { params: { id: created.connection.id } }),
      (connection) => connection.accountStatus !== 'loading',
      60_000,
    );
    const extraction = await app.api.call('createExtraction', {
      body: {
        connectionId: created.connection.id,
        templateId: 'meta-ads.account_daily',
        schedules: [{ frequency: 'daily', time: '02:30', timezone: 'UTC', lookbackDays: 1 }],
      },
    });
    extractionId = extraction.id;
  });
  afterAll(async () => {
    await app?.close();
  });

  it(`fires ${COPIES + 1} schedules due in the same minute in one tick, each once`, async () => {
    const db = app.runtime.context.db;
    await db.transaction(async (tx) => {
      await tx.query(
        `CREATE TEMP TABLE copies ON COMMIT DROP AS
           SELECT e.* FROM extractions e, generate_series(1, ${COPIES}) WHERE e.id = $1`,
        [extractionId],
      );
      await tx.query('UPDATE copies SET id = gen_random_uuid()');
      await tx.query('INSERT INTO extractions SELECT * FROM copies');
      await tx.query(
        `INSERT INTO extraction_schedules (id, extraction_id, position, spec, cron, timezone, lookback_days, next_run_at)
         SELECT gen_random_uuid(), c.id, 0, s.spec, s.cron, s.timezone, s.lookback_days, now()
           FROM copies c JOIN extraction_schedules s ON s.extraction_id = $1`,
        [extractionId],
      );
    });
    await db.query("UPDATE extraction_schedules SET next_run_at = now() - interval '30 seconds'");

    const first = await schedulerTick(app.runtime.context, app.runtime.engine);
    const second = await schedulerTick(app.runtime.context, app.runtime.engine);
    expect([first.runsStarted, second.runsStarted]).toEqual([COPIES + 1, 0]);
    const perExtraction = await db.query<{ runs: number }>(
      "SELECT count(r.id)::int AS runs FROM extractions e LEFT JOIN runs r ON r.extraction_id = e.id AND r.trigger = 'schedule' GROUP BY e.id",
    );
    expect(perExtraction).toHaveLength(COPIES + 1);
    expect(perExtraction.every((row) => row.runs === 1)).toBe(true);
    const due = await db.query('SELECT 1 FROM extraction_schedules WHERE next_run_at <= now()');
    expect(due).toHaveLength(0);
  });
});
