/**
 * Server mode: a `tributary worker` process killed with SIGKILL in the middle of a run; a new
 * worker finishes it, and the PostgreSQL destination holds exactly the sandbox's truth.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testRequirements } from '../src/config.ts';
import { addDays, todayIn } from '../src/domain/dates.ts';
import { approveInSandbox, injectFault, startTestApp, type TestApp, waitFor } from './harness.ts';
import { postgresAvailable } from './postgres.ts';

const root = path.resolve(import.meta.dirname, '..');
const available = await postgresAvailable();

describe.skipIf(!available)('worker crash (server mode)', () => {
  let app: TestApp;
  const workers: ChildProcess[] = [];
  const warehouse = `wh_${Math.random().toString(36).slice(2, 10)}`;

  function startWorker(): ChildProcess {
    // One process (not the tsx wrapper, which would leave its child running after a SIGKILL).
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker'], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: app.config.databaseUrl!,
        TRIBUTARY_DB_SCHEMA: app.config.databaseSchema,
        TRIBUTARY_MASTER_KEY: app.config.masterKey!,
        TRIBUTARY_PUBLIC_URL: app.url,
        TRIBUTARY_HOME: app.config.home,
        TRIBUTARY_STALL_AFTER_SECONDS: '2',
        LOG_LEVEL: 'warn',
      },
      stdio: 'ignore',
    });
    workers.push(child);
    return child;
  }

  beforeAll(async () => {
    app = await startTestApp('postgres', { TRIBUTARY_WORKERS: 'off' });
  });
  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await app?.runtime.context.db.query(`DROP SCHEMA IF EXISTS "${warehouse}" CASCADE`);
    await app?.close();
  });

  it('finishes the run with exact totals after a SIGKILL', async () => {
    const first = startWorker();
    const created = await app.api.call('createConnection', { body: { dataSource: 'meta-ads' } });
    await approveInSandbox(created.authorizationUrl!, 'alex@example.com');
    const connection = await waitFor(
      () => app.api.call('getConnection', { params: { id: created.connection.id } }),
      (candidate) => candidate.accountStatus === 'ready',
      60_000,
    );
    const destination = await app.api.call('createDestination', {
      body: { kind: 'postgres', name: 'Warehouse', url: testRequirements().postgresUrl, schema: warehouse },
    });
    const extraction = await app.api.call('createExtraction', {
      body: {
        connectionId: connection.id,
        templateId: 'meta-ads.account_daily',
        metrics: ['impressions', 'spend', 'clicks'],
        destinationId: destination.id,
      },
    });
    const to = addDays(todayIn('UTC', new Date()), -1);
    const from = addDays(to, -120);
    const queued = await app.api.call('startExtractionRun', {
      params: { id: extraction.id },
      body: { from, to },
    });
    // Kill the worker once it has finished some slices and is working on others.
    await waitFor(
      () => app.api.call('getRun', { params: { id: queued.id } }),
      (run) =>
        run.slices.some((slice) => slice.status === 'succeeded') &&
        run.slices.some((slice) => slice.status !== 'succeeded'),
      60_000,
    );
    // Hold the worker inside a slice (its next provider call never answers), then kill it there.
    await injectFault(app, 'hang', 1);
    await waitFor(
      async () => (await (await fetch(`${app.url}/sandbox/_control/faults`)).json()) as { faults: unknown[] },
      (pending) => pending.faults.length === 0,
      30_000,
    );
    first.kill('SIGKILL');
    startWorker();
    const run = await waitFor(
      () => app.api.call('getRun', { params: { id: queued.id } }),
      (detail) => ['succeeded', 'partial', 'failed'].includes(detail.status),
      90_000,
    );
    expect(run.status, JSON.stringify(run.log.slice(-5))).toBe('succeeded');
    expect(run.log.some((line) => line.message.includes('stalled (no heartbeat); retrying'))).toBe(true);
    expect(run.reconciliation?.status).toBe('matched');

    const warehouseDb = await app.runtime.context.destinations.get(destination.id);
    for (const account of connection.accounts) {
      const url = `${app.url}/sandbox/_control/truth?provider=meta-ads&account=${account.id}&from=${from}&to=${to}`;
      const truth = (
        (await (await fetch(url)).json()) as { days: { date: string; impressions: number; clicks: number }[] }
      ).days;
      const loaded = new Map(
        (
          await warehouseDb.dailyTotals(extraction.table, account.id, from, to, ['impressions', 'clicks'])
        ).map((day) => [day.date, day.values]),
      );
      for (const day of truth) {
        expect([day.date, loaded.get(day.date)?.impressions ?? 0, loaded.get(day.date)?.clicks ?? 0]).toEqual(
          [day.date, day.impressions, day.clicks],
        );
      }
    }
  });
});
