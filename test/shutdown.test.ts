/**
 * Shutting down while a slice is still working: the job queue's graceful stop gives running jobs 10 s, and a slice
 * held longer (here: its destination write waits for a lock the test holds) outlives it. The slice's late end must
 * not crash the process — pg-boss completes and fails jobs without awaiting them, so a statement on the closed
 * pool would be an unhandled rejection, which ends a `tributary worker` mid-shutdown with a stack trace. The slice
 * itself is taken over as stalled after a restart (worker-crash.test.ts).
 */
import pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testRequirements } from '../src/config.ts';
import { startTestApp, type TestApp, waitFor } from './harness.ts';
import { dropWarehouse, startRunHeldAtDestination } from './heldExtraction.ts';
import { postgresAvailable } from './postgres.ts';

const postgresUrl = testRequirements().postgresUrl;
const available = await postgresAvailable();

describe.skipIf(!available)('shutdown while a slice outlives the graceful stop (server mode)', () => {
  const warehouse = `wh_${Math.random().toString(36).slice(2, 10)}`;
  const rejections: unknown[] = [];
  const record = (reason: unknown) => rejections.push(reason);
  beforeEach(() => {
    rejections.length = 0;
    process.on('unhandledRejection', record);
  });
  afterEach(() => {
    process.off('unhandledRejection', record);
  });
  afterAll(() => dropWarehouse(warehouse));

  it('stops without an unhandled rejection', async () => {
    let app: TestApp | null = await startTestApp('postgres');
    const locker = new pg.Client({ connectionString: postgresUrl });
    await locker.connect();
    try {
      // The destination takes this lock before replacing an account's days: holding it keeps the slice waiting.
      const runId = await startRunHeldAtDestination(app, locker, warehouse, 'shutdown_daily', 7);
      await waitFor(
        async () =>
          (
            await locker.query<{ n: number }>(
              "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
            )
          ).rows[0]!.n,
        (waiting) => waiting > 0,
        30_000,
      );
      expect((await app.api.call('getRun', { params: { id: runId } })).status).toBe('running');
      // Let the slice go once the queue's graceful stop (10 s) has given up on it, while the shutdown goes on.
      const release = setTimeout(() => {
        void locker.query('SELECT pg_advisory_unlock_all()');
      }, 11_000);
      const closing = app.close();
      app = null;
      await closing;
      clearTimeout(release);
      await locker.query('SELECT pg_advisory_unlock_all()');
      // The released slice now ends against the closed store and queue; give it time to report.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(rejections.map(String)).toEqual([]);
    } finally {
      await locker.end();
      await app?.close();
    }
  }, 90_000);
});
