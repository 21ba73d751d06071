/**
 * The engine's own faults, on Meta over PostgreSQL (the store and a PostgreSQL destination in fresh schemas):
 * - `worker SIGKILL mid-run`: the app serves the API with `TRIBUTARY_WORKERS=off`; one `tributary worker` process
 *   (spawned as bench/scaleout.ts does) is held inside a slice by a sandbox `hang` and killed with SIGKILL; a new
 *   worker must take the stalled slice over.
 * - `store connections dropped mid-run`: the app's store and job-queue connections carry an `application_name` of
 *   their own; once the run has finished a slice, `pg_terminate_backend` ends exactly those backends (never another
 *   session's).
 * - `destination refuses writes`: the destination logs in as a role of its own that owns the warehouse schema; once
 *   the run has finished a slice, INSERT is revoked from it on every table there; after the run ends it is granted
 *   back and the extraction re-run.
 * The sandbox answers every insights call after a delay, so the run is still going when the fault strikes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { once } from 'node:events';
import path from 'node:path';
import pg from 'pg';
import { expect } from 'vitest';
import { testRequirements } from '../../src/config.ts';
import { injectFault, runEnded, startTestApp, type TestApp, waitFor } from '../harness.ts';
import type { MatrixLine } from './faultTable.ts';
import { providerCases } from './providerCases.ts';
import {
  compareWindow,
  type PreparedProvider,
  prepareProvider,
  startAndWait,
  takeWindow,
} from './providerMatrix.ts';

/** The engine faults, by the name printed in the table. */
export const engineFaults = [
  'worker SIGKILL mid-run',
  'store connections dropped mid-run',
  'destination refuses writes',
] as const;
export type EngineFault = (typeof engineFaults)[number];

const root = path.resolve(import.meta.dirname, '../..');
const postgresUrl = testRequirements().postgresUrl;
const meta = providerCases.find((spec) => spec.provider === 'meta-ads')!;

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** `postgresUrl` with another user and/or an application_name. */
function withUrl(change: { user?: string; applicationName?: string }): string {
  const url = new URL(postgresUrl);
  if (change.user) {
    url.username = change.user;
    url.password = '';
  }
  if (change.applicationName) url.searchParams.set('application_name', change.applicationName);
  return url.toString();
}

/** Starts `tributary worker` as one Node process (not the tsx wrapper, so SIGKILL reaches it). */
function startWorker(app: TestApp): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: app.config.databaseUrl!,
      TRIBUTARY_DB_SCHEMA: app.config.databaseSchema,
      TRIBUTARY_MASTER_KEY: app.config.masterKey!,
      TRIBUTARY_PUBLIC_URL: app.url,
      TRIBUTARY_HOME: app.config.home,
      TRIBUTARY_STALL_AFTER_SECONDS: '2',
      TRIBUTARY_SLICE_CONCURRENCY: '1',
      LOG_LEVEL: 'warn',
    },
    stdio: 'ignore',
  });
}

async function setLatency(app: TestApp, insightsDelayMs: number): Promise<void> {
  const response = await fetch(`${app.url}/sandbox/meta-ads/_control/latency`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ insightsDelayMs }),
  });
  if (!response.ok) throw new Error(`Setting the sandbox latency failed: ${await response.text()}`);
}

/** Waits until the run has finished at least one slice and has others still to do. */
async function midRun(app: TestApp, runId: string): Promise<void> {
  await waitFor(
    () => app.api.call('getRun', { params: { id: runId } }),
    (run) =>
      run.slices.some((slice) => slice.status === 'succeeded') &&
      run.slices.some((slice) => slice.status !== 'succeeded'),
    90_000,
  );
}

/** Runs one engine fault end to end and returns its line of the table. */
export async function runEngineFault(fault: EngineFault): Promise<MatrixLine> {
  const tag = crypto.randomBytes(4).toString('hex');
  const role = `trib_fault_${tag}`;
  const warehouse = `trib_fault_wh_${tag}`;
  const applicationName = `tributary_fault_${tag}`;
  const workers: ChildProcess[] = [];
  let note = '';
  await admin(async (client) => {
    await client.query(`CREATE ROLE ${role} LOGIN`);
    // The destination checks its schema with CREATE SCHEMA IF NOT EXISTS, which wants CREATE on the database.
    await client.query(`GRANT CREATE ON DATABASE ${new URL(postgresUrl).pathname.slice(1)} TO ${role}`);
    await client.query(`CREATE SCHEMA ${warehouse} AUTHORIZATION ${role}`);
  });
  // One slice at a time (here and in the worker): with two accounts, one slice is done while the other runs.
  const env: Record<string, string> = {
    TRIBUTARY_SLICE_CONCURRENCY: '1',
    ...(fault === 'worker SIGKILL mid-run' ? { TRIBUTARY_WORKERS: 'off' } : {}),
    ...(fault === 'store connections dropped mid-run' ? { DATABASE_URL: withUrl({ applicationName }) } : {}),
  };
  const app = await startTestApp('postgres', env);
  try {
    if (fault === 'worker SIGKILL mid-run') workers.push(startWorker(app));
    const destination = await app.api.call('createDestination', {
      body: { kind: 'postgres', name: 'Warehouse', url: withUrl({ user: role }), schema: warehouse },
    });
    // One window of 3 days per account: one slice each.
    const prepared: PreparedProvider = await prepareProvider(app, meta, 1, destination.id);
    const span = takeWindow(prepared);
    const extraction = { id: prepared.extractionId, table: prepared.table, accounts: prepared.accounts };
    await setLatency(app, 700);
    const queued = await app.api.call('startExtractionRun', { params: { id: extraction.id }, body: span });
    await midRun(app, queued.id);
    if (fault === 'worker SIGKILL mid-run') {
      // Hold the worker inside a slice (its next provider call never answers), then kill it there.
      await injectFault(app, 'hang', 1, 'meta-ads');
      await waitFor(
        async () =>
          ((await (await fetch(`${app.url}/sandbox/_control/faults`)).json()) as { faults: unknown[] })
            .faults,
        (pending) => pending.length === 0,
        30_000,
      );
      const first = workers[0]!;
      const exited = once(first, 'exit');
      first.kill('SIGKILL');
      await exited;
      workers.push(startWorker(app));
    } else if (fault === 'store connections dropped mid-run') {
      const ended = await admin((client) =>
        client.query(
          `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = $1 AND pid <> pg_backend_pid()`,
          [applicationName],
        ),
      );
      if (ended.rows.length === 0) throw new Error('No backend of the app was found to terminate');
      note = `${ended.rows.length} backends ended`;
    } else {
      await admin((client) =>
        client.query(`REVOKE INSERT ON ALL TABLES IN SCHEMA ${warehouse} FROM ${role}`),
      );
    }
    const first = await runEnded(app, queued.id, 180_000);
    // Each fault must have struck: the killed worker's slice was taken over, the refused write failed its slice.
    if (fault === 'worker SIGKILL mid-run') {
      expect(first.log.map((line) => line.message).join('\n')).toContain('stalled (no heartbeat); retrying');
      note = 'slice taken over';
    }
    if (fault === 'destination refuses writes') expect(first.error?.category).toBe('destination');
    await setLatency(app, 0);
    const afterFault = await compareWindow(app, prepared, extraction, span);
    let recovered: string | null = null;
    let runs = 1;
    const problems = [...afterFault.problems];
    let lost = afterFault.lost;
    let duplicated = afterFault.duplicated;
    let offTruth = afterFault.offTruth;
    if (fault === 'destination refuses writes')
      await admin((client) => client.query(`GRANT INSERT ON ALL TABLES IN SCHEMA ${warehouse} TO ${role}`));
    if (first.status !== 'succeeded') {
      const again = await startAndWait(app, extraction.id, span.from, span.to);
      runs += 1;
      recovered = again.status;
      const afterRecovery = await compareWindow(app, prepared, extraction, span);
      lost += afterRecovery.lost;
      duplicated += afterRecovery.duplicated;
      offTruth += afterRecovery.offTruth;
      problems.push(...afterRecovery.problems.map((problem) => `after recovery: ${problem}`));
      if (afterRecovery.notLoaded > 0)
        problems.push(`after recovery: ${afterRecovery.notLoaded} days not loaded`);
    }
    return {
      fault,
      provider: 'meta-ads (engine)',
      runs,
      outcome: `${recovered ? `${first.status} → ${recovered}` : first.status}${note ? ` (${note})` : ''}`,
      firstStatus: first.status,
      category: first.error?.category ?? null,
      errorCode: first.error?.code ?? null,
      recovered,
      parked: false,
      notLoaded: afterFault.notLoaded,
      lost,
      duplicated,
      offTruth,
      problems,
    };
  } finally {
    for (const worker of workers) {
      if (worker.exitCode === null && worker.signalCode === null) {
        const exited = once(worker, 'exit');
        worker.kill('SIGKILL');
        await exited;
      }
    }
    await app.close();
    await admin(async (client) => {
      await client.query(`DROP SCHEMA IF EXISTS ${warehouse} CASCADE`);
      // DROP OWNED also takes back the database grant, so the role can go.
      await client.query(`DROP OWNED BY ${role}`);
      await client.query(`DROP ROLE IF EXISTS ${role}`);
    });
  }
}
