/**
 * Lock order between a run and its slices on PostgreSQL: the engine locks a slice's row, then its run's (claiming
 * a slice, ending one). Cancelling a run must take them in the same order, or a cancel that meets a slice ending
 * at the same moment deadlocks and one of them fails (seen as a 500 from `POST /runs/{id}/cancel`).
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { testRequirements } from '../src/config.ts';
import { startTestApp, type TestApp, waitFor } from './harness.ts';
import { dropWarehouse, startRunHeldAtDestination } from './heldExtraction.ts';
import { postgresAvailable } from './postgres.ts';

const postgresUrl = testRequirements().postgresUrl;
const available = await postgresAvailable();

describe.skipIf(!available)('cancelling a run while a slice holds its row (server mode)', () => {
  const warehouse = `wh_${Math.random().toString(36).slice(2, 10)}`;
  afterAll(() => dropWarehouse(warehouse));

  it('takes the slice before the run, as the engine does: no deadlock', async () => {
    const app: TestApp = await startTestApp('postgres', { TRIBUTARY_SLICE_CONCURRENCY: '1' });
    const engine = new pg.Client({
      connectionString: postgresUrl,
      options: `-c search_path=${app.config.databaseSchema}`,
    });
    const locker = new pg.Client({ connectionString: postgresUrl });
    await engine.connect();
    await locker.connect();
    try {
      // The one slice worker waits inside its first slice (the destination's lock is held): the others stay queued.
      const runId = await startRunHeldAtDestination(app, locker, warehouse, 'locking_daily', 121);
      const run = await waitFor(
        () => app.api.call('getRun', { params: { id: runId } }),
        (detail) =>
          detail.slices.some((slice) => slice.status === 'running') &&
          detail.slices.some((slice) => slice.status === 'queued'),
        30_000,
      );
      const waiting = run.slices.find((slice) => slice.status === 'queued')!;

      // As the engine claiming that slice: its row first…
      await engine.query('BEGIN');
      await engine.query('SELECT id FROM slices WHERE id = $1 FOR UPDATE', [waiting.id]);
      const cancel = app.api.call('cancelRun', { params: { id: runId } });
      await waitFor(
        async () =>
          (
            await locker.query<{ n: number }>(
              `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%slices%'`,
            )
          ).rows[0]!.n,
        (blocked) => blocked > 0,
        10_000,
      );
      // …then its run's, while the cancel waits for the slice.
      await engine.query('SELECT id FROM runs WHERE id = $1 FOR UPDATE', [runId]);
      await engine.query('COMMIT');

      const cancelled = await cancel;
      expect(cancelled.status).not.toBe('succeeded');
      await locker.query('SELECT pg_advisory_unlock_all()');
      const ended = await waitFor(
        () => app.api.call('getRun', { params: { id: runId } }),
        (detail) => ['succeeded', 'partial', 'failed', 'cancelled'].includes(detail.status),
        60_000,
      );
      expect(ended.status).toBe('cancelled');
      expect(ended.slices.find((slice) => slice.id === waiting.id)?.status).toBe('cancelled');
    } finally {
      await engine.end();
      await locker.end();
      await app.close();
    }
  }, 120_000);
});
