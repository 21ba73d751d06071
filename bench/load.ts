/**
 * The API load benchmark (`npm run bench -- load`): 200 concurrent API clients for 60 s on loopback against
 * the list and detail endpoints while extractions run.
 *
 * Per store (PostgreSQL in server mode, then PGlite embedded): a real Tributary with its workers on, the
 * connections list seeded with `seedConnections` connections (the connections benchmark's generator), one
 * sandbox Meta Ads connection, and `extractions` extractions whose runs are started just before the load and
 * kept busy by the sandbox answering every insights call after `insightsDelayMs` (so slices run, write to the
 * default DuckDB destination and log events through the whole window). The load comes from autocannon in a
 * process of its own (`bench/loadClient.ts`), every client cycling through: connections list with a search and
 * a sort, connections list sorted by another key, connection detail, extractions list, extraction detail, an
 * extraction's runs, a running run's detail (slices and log) and the events feed.
 *
 * Every client sends the same admin API token, so the per-client API rate limit is raised for the measured
 * runs (`TRIBUTARY_API_RATE_LIMIT=100000000`); an informational run with the default limit (6,000 a minute per
 * token) shows that an over-eager client gets 429s, not a slower server.
 *
 * Clients: "closed loop" sends each client's next request as soon as the previous one answers (no think time:
 * the most a client can ask, so latency there is 200 ÷ the server's throughput by Little's law); "paced" has
 * each client send `pacedRate` requests a second (a dashboard refreshing every second), latency measured from when the request
 * was due (autocannon corrects for coordinated omission).
 *
 * Knobs: `BENCH_LOAD_SECONDS` (60), `BENCH_LOAD_CLIENTS` (200), `BENCH_LOAD_PACED_RATE` (1 per client per
 * second), `BENCH_LOAD_BACKENDS` (`postgres,pglite`), `BENCH_LOAD_CONNECTIONS` (10000).
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { testRequirements } from '../src/config.ts';
import { addDays, todayIn } from '../src/domain/dates.ts';
import { type BenchApp, type BenchBackend, connectSandbox, startBenchApp } from './benchApp.ts';
import { seedConnections } from './connectionsSeed.ts';
import type { LoadClientResult, LoadClientSettings } from './loadClient.ts';
import { type BenchmarkResult, formatNumber, type ResultRow, resultRow } from './report.ts';

const log = (line: string) => console.log(line);
const clientScript = fileURLToPath(new URL('./loadClient.ts', import.meta.url));

const numberEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return process.env[name] !== undefined && process.env[name] !== '' && Number.isFinite(value) && value >= 0
    ? value
    : fallback;
};

/** The benchmark's parameters; the defaults are the issue's. */
export interface LoadOptions {
  clients: number;
  seconds: number;
  /** Requests a second per client in the paced run (0: no paced run). */
  pacedRate: number;
  backends: BenchBackend[];
  seedConnections: number;
  extractions: number;
  accountsPerExtraction: number;
  /** Days each run covers (31-day windows: one slice per account and window). */
  days: number;
  insightsDelayMs: number;
  goalP99Ms: number;
  timeoutSeconds: number;
}

export const defaultLoadOptions: LoadOptions = {
  clients: numberEnv('BENCH_LOAD_CLIENTS', 200),
  seconds: numberEnv('BENCH_LOAD_SECONDS', 60),
  pacedRate: numberEnv('BENCH_LOAD_PACED_RATE', 1),
  backends: (process.env.BENCH_LOAD_BACKENDS ?? 'postgres,pglite')
    .split(',')
    .map((name) => name.trim())
    .filter((name): name is BenchBackend => name === 'postgres' || name === 'pglite'),
  seedConnections: numberEnv('BENCH_LOAD_CONNECTIONS', 10_000),
  extractions: 3,
  accountsPerExtraction: 3,
  days: 372,
  insightsDelayMs: 1000,
  goalP99Ms: 100,
  timeoutSeconds: 10,
};

/** Runs the load generator in its own process and returns what it measured. */
async function generateLoad(settings: LoadClientSettings): Promise<LoadClientResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', clientScript, JSON.stringify(settings)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    output += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const line = /^LOAD_RESULT (.+)$/m.exec(output);
  if (code !== 0 || !line) throw new Error(`The load generator exited with ${code}: ${output.slice(-500)}`);
  return JSON.parse(line[1]!) as LoadClientResult;
}

/** The app set up for a load phase: its request paths and the runs keeping its workers busy. */
interface Prepared {
  paths: string[];
  extractionIds: string[];
  connectionId: string;
}

/** Connects the sandbox, creates the extractions, and returns the request mix (runs are started per phase). */
async function prepare(app: BenchApp, options: LoadOptions): Promise<Prepared> {
  // Alex's connection has 3 accounts, like most; a 1,200-account connection's detail returns every account.
  const connection = await connectSandbox(app, 'alex@example.com');
  const accounts = connection.accounts.map((account) => account.id);
  const extractionIds: string[] = [];
  for (let index = 0; index < options.extractions; index += 1) {
    const chosen = accounts
      .slice(index * options.accountsPerExtraction)
      .concat(accounts)
      .slice(0, options.accountsPerExtraction);
    const extraction = await app.api.call('createExtraction', {
      body: {
        connectionId: connection.id,
        templateId: 'meta-ads.account_daily',
        accounts: chosen,
        table: `bench_load_${index}`,
      },
    });
    extractionIds.push(extraction.id);
  }
  const response = await fetch(`${app.url}/sandbox/meta-ads/_control/latency`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ insightsDelayMs: options.insightsDelayMs }),
  });
  if (!response.ok) throw new Error(`Setting the sandbox latency failed: ${await response.text()}`);
  const first = extractionIds[0]!;
  return {
    connectionId: connection.id,
    extractionIds,
    paths: [
      '/api/v1/connections?search=client7&sort=dataSource&order=asc&limit=50',
      '/api/v1/connections?sort=lastAuthorizedAt&order=desc&limit=50',
      `/api/v1/connections/${connection.id}`,
      '/api/v1/extractions?limit=50',
      `/api/v1/extractions/${first}`,
      `/api/v1/extractions/${first}/runs`,
      // The run detail path is appended per phase (the run started for it).
      '/api/v1/events?limit=100',
    ],
  };
}

/** Starts one run per extraction (they then run through the phase); returns the first run's id. */
async function startRuns(app: BenchApp, prepared: Prepared, options: LoadOptions): Promise<string[]> {
  const to = addDays(todayIn('UTC', new Date()), -2);
  const from = addDays(to, 1 - options.days);
  const ids: string[] = [];
  for (const id of prepared.extractionIds) {
    const run = await app.api.call('startExtractionRun', { params: { id }, body: { from, to } });
    ids.push(run.id);
  }
  return ids;
}

/** Cancels the phase's runs and says how far they got (slices done, still running). */
async function stopRuns(
  app: BenchApp,
  runIds: string[],
): Promise<{ slicesDone: number; stillRunning: number }> {
  let slicesDone = 0;
  let stillRunning = 0;
  for (const id of runIds) {
    const run = await app.api.call('getRun', { params: { id } });
    slicesDone += run.slices.filter((slice) => slice.status === 'succeeded').length;
    if (!['succeeded', 'partial', 'failed', 'cancelled'].includes(run.status)) {
      stillRunning += 1;
      await app.api.call('cancelRun', { params: { id } }).catch(() => {});
    }
  }
  return { slicesDone, stillRunning };
}

/** One measured load phase. */
interface Phase {
  name: string;
  backend: BenchBackend;
  result: LoadClientResult;
  /** Extraction slices that finished during the phase, and runs still going at its end. */
  extractions: { slicesDone: number; stillRunning: number };
  loadAverage: number[];
}

async function runPhase(
  name: string,
  app: BenchApp,
  prepared: Prepared,
  options: LoadOptions,
  connectionRate: number,
): Promise<Phase> {
  const runIds = await startRuns(app, prepared, options);
  const paths = [...prepared.paths, `/api/v1/runs/${runIds[0]}`];
  const result = await generateLoad({
    url: app.url,
    paths,
    headers: app.authHeaders,
    connections: options.clients,
    seconds: options.seconds,
    connectionRate,
    timeoutSeconds: options.timeoutSeconds,
  });
  const extractions = await stopRuns(app, runIds);
  const phase = { name, backend: app.backend, result, extractions, loadAverage: os.loadavg() };
  const codes = Object.entries(result.statusCodes)
    .map(([code, count]) => `${code}×${count}`)
    .join(' ');
  log(
    `  [${app.backend}] ${name}: ${result.requests} requests in ${result.durationSeconds.toFixed(0)} s ` +
      `(${(result.requests / result.durationSeconds).toFixed(0)}/s); latency p50 ${formatNumber(result.latency.p50)} ms, ` +
      `p99 ${formatNumber(result.latency.p99)} ms, max ${formatNumber(result.latency.max)} ms; ${codes}; ` +
      `errors ${result.errors} (timeouts ${result.timeouts}); extraction slices done meanwhile ${extractions.slicesDone}, ` +
      `runs still going at the end ${extractions.stillRunning}/${runIds.length}; load average ${phase.loadAverage.map((value) => value.toFixed(1)).join(' ')}`,
  );
  return phase;
}

/** Starts an app on `backend` with the connections seeded. */
async function startApp(
  backend: BenchBackend,
  postgresUrl: string,
  options: LoadOptions,
  env: Record<string, string>,
): Promise<BenchApp> {
  return startBenchApp(backend, postgresUrl, env, {
    seed: async (db) => {
      await seedConnections(db, {
        connections: options.seedConnections,
        batch: 10_000,
        searches: [],
        log: () => {},
      });
    },
  });
}

const raisedLimit = { TRIBUTARY_API_RATE_LIMIT: '100000000' };

function phaseRows(phase: Phase, options: LoadOptions, informational: boolean): ResultRow[] {
  const base = { benchmark: 'load' };
  const label = `${phase.backend === 'postgres' ? 'PostgreSQL' : 'PGlite'} ${phase.name}`;
  const { result } = phase;
  const failed = result.errors + result.non2xx;
  return [
    resultRow({
      ...base,
      figure: `API p99, ${options.clients} clients, ${label} (p50 ${formatNumber(result.latency.p50)} ms, ${(result.requests / result.durationSeconds).toFixed(0)} req/s)`,
      value: result.latency.p99,
      unit: 'ms',
      limit: options.goalP99Ms,
      limitSource: 'goal',
      informational,
    }),
    resultRow({
      ...base,
      figure: `API errors (non-2xx, connection errors, timeouts), ${label}`,
      value: failed,
      unit: 'requests',
      limit: result.requests,
      limitSource: 'requests sent',
      maxRatio: 0,
      informational,
    }),
  ];
}

/** Runs the benchmark and returns its figures. */
export async function runLoadBenchmark(options: LoadOptions = defaultLoadOptions): Promise<BenchmarkResult> {
  const postgresUrl = testRequirements().postgresUrl;
  const phases: Phase[] = [];
  const rows: ResultRow[] = [];
  log(
    `  ${options.clients} clients × ${options.seconds} s per phase; ${options.seedConnections.toLocaleString('en')} connections seeded; ` +
      `${options.extractions} extractions × ${options.accountsPerExtraction} accounts running (${options.insightsDelayMs} ms per insights call)`,
  );
  for (const backend of options.backends) {
    const app = await startApp(backend, postgresUrl, options, raisedLimit);
    try {
      const prepared = await prepare(app, options);
      const closed = await runPhase('closed loop', app, prepared, options, 0);
      phases.push(closed);
      rows.push(...phaseRows(closed, options, false));
      if (options.pacedRate > 0 && backend === 'postgres') {
        const paced = await runPhase(
          `paced ${options.pacedRate}/s per client`,
          app,
          prepared,
          options,
          options.pacedRate,
        );
        phases.push(paced);
        rows.push(...phaseRows(paced, options, true));
      }
    } finally {
      await app.close();
    }
  }
  // The default per-client limit: one token for 200 clients is far over it, so most requests get a 429
  // quickly. Informational: the figure is that the server answers fast, refusing rather than slowing down.
  const limitedBackend = options.backends[0] ?? 'postgres';
  const limited = await startApp(limitedBackend, postgresUrl, options, {});
  try {
    const prepared = await prepare(limited, options);
    const phase = await runPhase('default rate limit', limited, prepared, options, 0);
    phases.push(phase);
    const { result } = phase;
    const refused = result.statusCodes['429'] ?? 0;
    rows.push(
      resultRow({
        benchmark: 'load',
        figure: `API p99 with the default rate limit (one token for ${options.clients} clients; ${refused} × 429, ${result.statusCodes['200'] ?? 0} × 200)`,
        value: result.latency.p99,
        unit: 'ms',
        limit: options.goalP99Ms,
        limitSource: 'goal',
        informational: true,
      }),
      resultRow({
        benchmark: 'load',
        figure: 'errors other than 429 with the default rate limit',
        value: result.errors + result.non2xx - refused,
        unit: 'requests',
        limit: result.requests,
        limitSource: 'requests sent',
        maxRatio: 0,
        informational: true,
      }),
    );
  } finally {
    await limited.close();
  }
  const load = os.loadavg();
  return {
    rows,
    details: { options, phases },
    notes: [
      '',
      `Closed loop: every client sends its next request when the previous one answers (latency ≈ clients ÷ throughput); ` +
        `paced: ${options.pacedRate} requests a second per client. Same admin token for all clients, ` +
        'TRIBUTARY_API_RATE_LIMIT=100000000 except in the default-rate-limit run.',
      `Load average at the end ${load.map((value) => value.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs ` +
        '(the load generator, the server, its workers and PostgreSQL share them).',
    ],
  };
}
