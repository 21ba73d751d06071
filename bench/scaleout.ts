/**
 * The scale-out benchmark (`npm run bench -- scaleout`): does a second (and a third) `tributary worker`
 * process double (triple) extraction throughput when the provider, not the CPU, is the bottleneck?
 *
 * Setup, on PostgreSQL (`TEST_DATABASE_URL`, default `postgres://postgres@127.0.0.1:5432/test`): a store in
 * a fresh schema, an API process (this one) with `TRIBUTARY_WORKERS=off` that also serves the Meta sandbox,
 * a PostgreSQL destination in a fresh schema, and the sandbox's latency control set so every insights
 * answer takes `delayMs`. The same extraction (`accounts` × `days` of `account_daily`: one sync call per
 * (account, 31-day window) slice) runs with 1, then 2, then 3 worker processes (each started and ready before
 * its phase). Each is given `TRIBUTARY_SLICE_CONCURRENCY=1` so one worker cannot already keep many slices
 * waiting on the sandbox: the figure compares processes, 1 against 2 slices in flight, both far below what
 * the sandbox can serve. Figures: slices/s with 2 workers ÷ with 1 (goal ≥ 1.8), with 3 ÷ 1 (informational,
 * ≥ 2.6 expected when latency-bound). Every slice of every phase must have run once: one attempt, one API
 * call, one completion line in the run log.
 *
 * Knobs: `BENCH_SCALEOUT_ACCOUNTS` (8), `BENCH_SCALEOUT_DAYS` (186: 6 slices per account),
 * `BENCH_SCALEOUT_DELAY_MS` (1000).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { testRequirements } from '../src/config.ts';
import { addDays, todayIn } from '../src/domain/dates.ts';
import { type BenchApp, connectSandbox, dropSchemas, runEnded, startBenchApp } from './benchApp.ts';
import { type BenchmarkResult, resultRow } from './report.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const log = (line: string) => console.log(line);
const base = { benchmark: 'scaleout' };

const numberEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isSafeInteger(value) && value >= 0 && process.env[name] !== '' ? value : fallback;
};

/** The benchmark's parameters. */
export interface ScaleoutOptions {
  accounts: number;
  days: number;
  /** Sandbox delay before every insights answer. */
  delayMs: number;
  goal: number;
  /** What 3 workers ÷ 1 is expected to reach when latency-bound (informational). */
  goalThree: number;
}

/** The defaults: 48 slices of one ~1 s call each. */
export const defaultScaleoutOptions: ScaleoutOptions = {
  accounts: numberEnv('BENCH_SCALEOUT_ACCOUNTS', 8),
  days: numberEnv('BENCH_SCALEOUT_DAYS', 186),
  delayMs: numberEnv('BENCH_SCALEOUT_DELAY_MS', 1000),
  goal: 1.8,
  goalThree: 2.6,
};

/** One measured run. */
interface Phase {
  workers: number;
  slices: number;
  /** From the first slice's start to the last slice's end (the run's own timestamps). */
  sliceWallMs: number;
  /** From the API call starting the run to its end as the API reported it. */
  wallMs: number;
  slicesPerSec: number;
  /** Slices that ran more than once: attempts, API calls or completion lines above one. */
  repeated: string[];
  rows: number;
}

/** Starts `tributary worker` as one Node process (not the tsx wrapper, so a kill reaches it). */
function startWorker(app: BenchApp, index: number): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'worker'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: app.config.databaseUrl!,
      TRIBUTARY_DB_SCHEMA: app.config.databaseSchema,
      TRIBUTARY_MASTER_KEY: app.config.masterKey!,
      TRIBUTARY_PUBLIC_URL: app.url,
      TRIBUTARY_HOME: app.config.home,
      TRIBUTARY_SLICE_CONCURRENCY: '1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout?.setEncoding('utf8');
  child.once('exit', (code, signal) => {
    if (code !== null && code !== 0) log(`  worker ${index} exited with ${code ?? signal}`);
  });
  return child;
}

/** Resolves once the worker says it is running (its job queue polls), so a phase starts with every worker ready. */
async function workerReady(child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error('The worker did not start in time')), timeoutMs);
    child.stdout?.on('data', (chunk: string) => {
      seen += chunk;
      if (seen.includes('worker is running')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The worker exited with ${code}`));
    });
  });
}

async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  for (const worker of workers.splice(0)) {
    if (worker.exitCode !== null || worker.signalCode !== null) continue;
    const exited = once(worker, 'exit');
    worker.kill('SIGKILL');
    await exited;
  }
}

/** Runs the extraction over `from`..`to` and checks that every slice ran exactly once. */
async function measure(
  app: BenchApp,
  extractionId: string,
  from: string,
  to: string,
  workers: number,
): Promise<Phase> {
  const started = performance.now();
  const queued = await app.api.call('startExtractionRun', {
    params: { id: extractionId },
    body: { from, to },
  });
  const run = await runEnded(app, queued.id, 600_000, 250);
  const wallMs = performance.now() - started;
  if (run.status !== 'succeeded')
    throw new Error(`The run ended ${run.status}: ${JSON.stringify(run.log.slice(-3))}`);
  const starts = run.slices.map((slice) => Date.parse(slice.startedAt!));
  const ends = run.slices.map((slice) => Date.parse(slice.finishedAt!));
  const sliceWallMs = Math.max(...ends) - Math.min(...starts);
  // A slice that ran twice would show two attempts, two API calls (one sync call per slice) or two
  // completion lines in the run log (each execution that succeeds writes one).
  const repeated = run.slices
    .filter((slice) => {
      const key = `Account ${slice.accountId} ${slice.from}..${slice.to}:`;
      const completions = run.log.filter((line) => line.message.startsWith(key) && line.level === 'info');
      return slice.attempts !== 1 || slice.apiCalls !== 1 || completions.length !== 1;
    })
    .map((slice) => `${slice.accountId} ${slice.from}..${slice.to}`);
  const phase = {
    workers,
    slices: run.slices.length,
    sliceWallMs,
    wallMs,
    slicesPerSec: (1000 * run.slices.length) / sliceWallMs,
    repeated,
    rows: run.rows.inserted + run.rows.updated,
  };
  log(
    `  ${workers} worker(s): ${phase.slices} slices, ${phase.rows} rows in ${(sliceWallMs / 1000).toFixed(1)} s ` +
      `(${phase.slicesPerSec.toFixed(2)} slices/s; ${(wallMs / 1000).toFixed(1)} s from the API call); ` +
      `slices run more than once: ${repeated.length}`,
  );
  return phase;
}

/** Runs the benchmark and returns its figures. */
export async function runScaleoutBenchmark(
  options: ScaleoutOptions = defaultScaleoutOptions,
): Promise<BenchmarkResult> {
  const postgresUrl = testRequirements().postgresUrl;
  const app = await startBenchApp('postgres', postgresUrl, { TRIBUTARY_WORKERS: 'off' });
  const warehouse = `bench_scale_wh_${Math.random().toString(36).slice(2, 10)}`;
  const workers: ChildProcess[] = [];
  try {
    workers.push(startWorker(app, 1));
    await workerReady(workers[0]!);
    // Discovery runs on the workers: the API process has none.
    const connection = await connectSandbox(app, 'agency@example.com');
    const destination = await app.api.call('createDestination', {
      body: { kind: 'postgres', name: 'Bench warehouse', url: postgresUrl, schema: warehouse },
    });
    const accounts = connection.accounts.slice(0, options.accounts).map((account) => account.id);
    const extraction = await app.api.call('createExtraction', {
      body: {
        connectionId: connection.id,
        templateId: 'meta-ads.account_daily',
        accounts,
        destinationId: destination.id,
        table: 'bench_scaleout',
      },
    });
    const response = await fetch(`${app.url}/sandbox/meta-ads/_control/latency`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ insightsDelayMs: options.delayMs }),
    });
    if (!response.ok) throw new Error(`Setting the sandbox latency failed: ${await response.text()}`);
    const to = addDays(todayIn('UTC', new Date()), -7);
    const from = addDays(to, 1 - options.days);
    log(
      `  account_daily: ${accounts.length} accounts × ${options.days} days (${from}..${to}), ` +
        `${options.delayMs} ms per insights answer, TRIBUTARY_SLICE_CONCURRENCY=1`,
    );
    // The first run also creates the table; a warm-up keeps that out of the one-worker figure.
    log('  warm-up run (1 worker)…');
    await measure(app, extraction.id, to, to, 1);
    const one = await measure(app, extraction.id, from, to, 1);
    workers.push(startWorker(app, 2));
    await workerReady(workers[1]!);
    const two = await measure(app, extraction.id, from, to, 2);
    workers.push(startWorker(app, 3));
    await workerReady(workers[2]!);
    const three = await measure(app, extraction.id, from, to, 3);
    const ratio = two.slicesPerSec / one.slicesPerSec;
    const ratioThree = three.slicesPerSec / one.slicesPerSec;
    const perSlice = (phase: Phase) => phase.sliceWallMs / phase.slices / 1000;
    const rows = [
      // Rows hold value ÷ limit ≤ maxRatio, so the ≥ goal on slices/s is stated on seconds per slice.
      resultRow({
        ...base,
        figure: `2 workers ÷ 1, s/slice (≡ slices/s ≥ ${options.goal}×; ${one.slices} slices, ${options.delayMs} ms per insights call, PostgreSQL)`,
        value: perSlice(two),
        unit: 's/slice',
        limit: perSlice(one),
        limitSource: '1 worker, same extraction, same run',
        maxRatio: 1 / options.goal,
      }),
      resultRow({
        ...base,
        figure: `3 workers ÷ 1, s/slice (≡ slices/s ≥ ${options.goalThree}× expected when latency-bound)`,
        value: perSlice(three),
        unit: 's/slice',
        limit: perSlice(one),
        limitSource: '1 worker, same extraction, same run',
        maxRatio: 1 / options.goalThree,
        informational: true,
      }),
      resultRow({
        ...base,
        figure: '2 workers ÷ 1 end to end (API call to run end, incl. queueing, finalize and reconciliation)',
        value: two.wallMs / 1000,
        unit: 's',
        limit: one.wallMs / 1000,
        limitSource: '1 worker, same extraction, same run',
        maxRatio: 1 / options.goal,
        informational: true,
      }),
      resultRow({
        ...base,
        figure: 'slices run more than once (attempts, API calls, completion lines), all three phases',
        value: one.repeated.length + two.repeated.length + three.repeated.length,
        unit: 'slices',
        limit: one.slices + two.slices + three.slices,
        limitSource: 'slices of the three runs',
        maxRatio: 0,
      }),
    ];
    const show = (phase: Phase) =>
      `${phase.workers} worker(s): ${(phase.sliceWallMs / 1000).toFixed(1)} s = ${phase.slicesPerSec.toFixed(2)} slices/s`;
    const notes = [
      '',
      `${show(one)}; ${show(two)}; ${show(three)}; 2÷1 ${ratio.toFixed(2)}× (goal ≥ ${options.goal}×), ` +
        `3÷1 ${ratioThree.toFixed(2)}× (≥ ${options.goalThree}× expected).`,
      `Floor per slice: ${options.delayMs} ms of sandbox latency; 1 worker spends ${(one.sliceWallMs / one.slices).toFixed(0)} ms per slice.`,
    ];
    return { rows, notes, details: { options, one, two, three, ratio, ratioThree } };
  } finally {
    await stopWorkers(workers);
    await app.close();
    await dropSchemas(postgresUrl, [warehouse]).catch(() => {});
  }
}
