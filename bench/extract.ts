/**
 * The extract benchmark (`npm run bench -- extract`): real extractions through the API against the
 * Meta Ads sandbox, on real stores and warehouses, every figure held against a limit measured in
 * the same run:
 * 1. requests the engine sent ÷ the fewest the data needs (computed from the sandbox's row model);
 * 2. end-to-end time per row (sandbox → engine → DuckDB / PostgreSQL) ÷ the raw appender / COPY
 *    time per row of the same rows (goal: e2e rows/s ≥ 0.6 × raw, i.e. a time ratio ≤ 1/0.6);
 * 3. peak RSS of the process during the largest extraction, and during one half its size;
 * 4. under a sandbox rate limit, wall time ÷ the least that limit allows, and refused calls;
 * 5. every provider (Meta, TikTok, Google Ads, LinkedIn, GA4): a campaign-level extraction's requests ÷ the
 *    fewest its data needs, and LinkedIn's largest analytics request ÷ its 15,000-element cap
 *    (`extractProviders.ts`, minimums in `providerMinimum.ts`).
 * Every scenario runs in a fresh child process (`extractChild.ts`), so RSS figures are its own.
 *
 * Knobs: `TEST_DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/test`),
 * `BENCH_EXTRACT_ACCOUNTS` (accounts of the large runs, default 100), `BENCH_EXTRACT_DAYS` (14),
 * `BENCH_EXTRACT_SANDBOX=inprocess` (the large runs' sandbox served by the measured process itself instead of a
 * process of its own, `sandboxProcess.ts`), `BENCH_EXTRACT_ONLY=throughput` (only the two full-size runs),
 * `BENCH_EXTRACT_ONLY=memory` (peak RSS of the full-size runs alone, e.g. with `BENCH_EXTRACT_DAYS=140`;
 * `BENCH_EXTRACT_MEMORY_STORE=postgres` or `pglite` runs one of the two),
 * `BENCH_EXTRACT_SLICE_CONCURRENCY` (the large runs' `TRIBUTARY_SLICE_CONCURRENCY`; default the product's),
 * `BENCH_EXTRACT_ONLY=limited` (only the rate-limited run, about 1.5 minutes:
 * `BENCH_EXTRACT_ONLY=limited npm run bench -- extract`), `BENCH_EXTRACT_ONLY=providers` (only the
 * providers scenario, a few minutes).
 */
import pg from 'pg';
import { testRequirements } from '../src/config.ts';
import { addDays, todayIn } from '../src/domain/dates.ts';
import { defaultHttpSettings } from '../src/runtime.ts';
import type { WireCounts } from './extractApp.ts';
import { runScenarioInChild } from './extractChild.ts';
import { SANDBOX_POLLS_TO_COMPLETE } from './extractMinimum.ts';
import {
  describeLoad,
  describeRun,
  describeTimeline,
  insightsCalls,
  rowsPerSec,
  runDetails,
  SLICE_WORKERS,
  slicePhaseMs,
} from './extractNotes.ts';
import type { ProvidersOutcome } from './extractProviders.ts';
import type {
  ExtractionPlan,
  LimitedOutcome,
  Measured,
  RateLimit,
  ScenarioInput,
  SyncOutcome,
  ThroughputOutcome,
} from './extractScenarios.ts';
import { providersResult } from './providerRows.ts';
import { type BenchmarkResult, formatNumber, type ResultRow, resultRow } from './report.ts';

/** The benchmark's parameters. */
export interface ExtractBenchmarkOptions {
  /** The large runs (DuckDB, PostgreSQL); the half run takes the first half of the accounts. */
  large: ExtractionPlan;
  /** The synchronous run: a template the connector reads with plain GETs. */
  sync: ExtractionPlan;
  /** A small async run on the product's default HTTP settings (500 ms poll back-off base). */
  defaultAsync: ExtractionPlan;
  /** The rate-limited run and the sandbox budget it meets. */
  limited: ExtractionPlan;
  limit: RateLimit;
  /** `retryBaseMs` of the large runs: the report-run poll back-off starts there (product: 500 ms). */
  pollBaseMs: number;
  /** Days between the ranges' last day and today, so no account's time zone clamps a range. */
  endDaysAgo: number;
  goals: { minRowsPerSecRatio: number; peakRssMb: number; rateLimitedWall: number };
}

const numberEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isSafeInteger(value) && value > 0 ? value : fallback;
};

/** The defaults: about 330,000 ad × age × gender rows per large run. */
export const defaultExtractOptions: ExtractBenchmarkOptions = {
  large: {
    template: 'meta-ads.ads_by_age_gender',
    accounts: numberEnv('BENCH_EXTRACT_ACCOUNTS', 100),
    days: numberEnv('BENCH_EXTRACT_DAYS', 14),
  },
  sync: { template: 'meta-ads.account_daily', accounts: 40, days: 62 },
  defaultAsync: { template: 'meta-ads.ads_by_age_gender', accounts: 10, days: 14 },
  limited: { template: 'meta-ads.account_daily', accounts: 1, days: 6 * 31 },
  limit: { callsPerWindow: 3, windowMs: 60_000 },
  pollBaseMs: 10,
  endDaysAgo: 7,
  goals: { minRowsPerSecRatio: 0.6, peakRssMb: 256, rateLimitedWall: 1.1 },
};

const log = (line: string) => console.log(line);
const base = { benchmark: 'extract' };
const perRowUs = (ms: number, rows: number) => (1000 * ms) / rows;

async function postgresReachable(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

function requestRows(sync: Measured, async: Measured): ResultRow[] {
  const structural = Math.ceil((100 * async.minimum.async) / async.minimum.pages) / 100;
  return [
    resultRow({
      ...base,
      figure: `sync requests (run.apiCalls) ÷ minimum, ${sync.run.slices.length} (account, window) pairs`,
      value: sync.run.apiCalls,
      unit: 'requests',
      limit: sync.minimum.sync,
      limitSource: 'Σ max(1, ⌈rows/500⌉)',
    }),
    resultRow({
      ...base,
      figure: 'sync insights requests on the wire, reconciliation included ÷ minimum',
      value: insightsCalls(sync.wire),
      unit: 'requests',
      limit: sync.minimum.sync,
      limitSource: 'same minimum',
      maxRatio: 1.5,
      informational: true,
    }),
    resultRow({
      ...base,
      figure: 'async requests (run.apiCalls) ÷ minimum, POST + 3 polls + pages',
      value: async.run.apiCalls,
      unit: 'requests',
      limit: async.minimum.async,
      limitSource: 'Σ (1 + 3 + ⌈rows/500⌉)',
      informational: true,
    }),
    resultRow({
      ...base,
      figure: 'async overhead: requests ÷ result pages only',
      value: async.run.apiCalls,
      unit: 'requests',
      limit: async.minimum.pages,
      limitSource: 'Σ ⌈rows/500⌉',
      maxRatio: structural,
      informational: true,
    }),
  ];
}

function throughputRows(label: string, outcome: ThroughputOutcome, rawName: string, maxRatio: number) {
  const { measured, raw, replay } = outcome;
  const rawUs = perRowUs(raw!.ms, raw!.rows);
  return [
    resultRow({
      ...base,
      figure: `${label} e2e µs/row ÷ raw ${rawName} µs/row (≡ rows/s ≥ ${(1 / maxRatio).toFixed(1)}×)`,
      value: perRowUs(measured.wallMs, measured.run.rows.inserted),
      unit: 'µs/row',
      limit: rawUs,
      limitSource: `raw ${rawName}, same rows, same run`,
      maxRatio,
    }),
    resultRow({
      ...base,
      figure: `${label} destination alone (replacePartitions replay) ÷ raw ${rawName}`,
      value: perRowUs(replay!.ms, replay!.rows),
      unit: 'µs/row',
      limit: rawUs,
      limitSource: `raw ${rawName}, same rows, same run`,
      maxRatio,
      informational: true,
    }),
  ];
}

function memoryRows(half: Measured, large: Measured, postgres: Measured | null, goalMb: number) {
  const rows = [
    resultRow({
      ...base,
      figure: `peak RSS, PGlite + DuckDB, ${large.run.rows.inserted.toLocaleString('en')} rows`,
      value: large.rss.peakMb,
      unit: 'MB',
      limit: goalMb,
      limitSource: 'goal (the issue: at 10 M rows)',
    }),
    resultRow({
      ...base,
      figure: `peak RSS, PGlite + DuckDB, half run, ${half.run.rows.inserted.toLocaleString('en')} rows`,
      value: half.rss.peakMb,
      unit: 'MB',
      limit: goalMb,
      limitSource: 'goal',
      informational: true,
    }),
    resultRow({
      ...base,
      figure: 'peak RSS large ÷ half (flat ≈ 1.0)',
      value: large.rss.peakMb,
      unit: 'MB',
      limit: half.rss.peakMb,
      limitSource: 'half run, fresh process',
      maxRatio: 1.1,
      informational: true,
    }),
  ];
  if (postgres) {
    rows.push(
      resultRow({
        ...base,
        figure: `peak RSS, PostgreSQL store + destination, ${postgres.run.rows.inserted.toLocaleString('en')} rows`,
        value: postgres.rss.peakMb,
        unit: 'MB',
        limit: goalMb,
        limitSource: 'goal (the issue: at 10 M rows)',
      }),
    );
  }
  return rows;
}

/** Successful insights calls of a run, and the least wall time a sliding budget allows for them. */
export function rateLimitedMinimum(wire: WireCounts, limit: RateLimit): { calls: number; minMs: number } {
  const { sent, failed } = wire;
  const calls = sent.sync + sent.create + sent.results - failed.sync - failed.create - failed.results;
  // The first C calls go at once; call k·C + 1 no earlier than k windows after the first call.
  return { calls, minMs: Math.max(0, Math.ceil(calls / limit.callsPerWindow) - 1) * limit.windowMs };
}

function rateRows(outcome: Pick<SyncOutcome, 'limited' | 'limit'>, maxRatio: number): ResultRow[] {
  const { limited, limit } = outcome;
  const { calls, minMs } = rateLimitedMinimum(limited.wire, limit);
  return [
    resultRow({
      ...base,
      figure: `rate-limited wall ÷ least the limit allows (${calls} calls, ${limit.callsPerWindow} per ${limit.windowMs / 1000} s)`,
      value: limited.wallMs / 1000,
      unit: 's',
      limit: minMs / 1000,
      limitSource: '(⌈calls ÷ C⌉ − 1) × window',
      maxRatio,
    }),
    resultRow({
      ...base,
      figure: 'rate-limited: refused calls after the first ÷ insights calls',
      value: Math.max(0, limited.wire.rateLimited - 1),
      unit: 'calls',
      limit: insightsCalls(limited.wire),
      limitSource: 'insights calls sent',
      maxRatio: 0,
    }),
  ];
}

/** Report-run poll back-off before the sandbox's 3rd poll completes a run: base × (1 + 2 + 4). */
const pollBackoffMs = (baseMs: number) => baseMs * (2 ** SANDBOX_POLLS_TO_COMPLETE - 1);

function defaultAsyncRows(defaults: Measured, tuned: Measured): ResultRow[] {
  const floorMs =
    (defaults.run.slices.length * pollBackoffMs(defaultHttpSettings.retryBaseMs)) / SLICE_WORKERS;
  return [
    resultRow({
      ...base,
      figure: `async at product defaults: wall ÷ poll back-off floor (${defaults.run.slices.length} slices × ${pollBackoffMs(defaultHttpSettings.retryBaseMs) / 1000} s ÷ ${SLICE_WORKERS})`,
      value: defaults.wallMs / 1000,
      unit: 's',
      limit: floorMs / 1000,
      limitSource: 'sleeps alone, same settings',
      maxRatio: 1.25,
      informational: true,
    }),
    resultRow({
      ...base,
      figure: 'async e2e µs/row at product defaults ÷ at the large run’s short poll base',
      value: perRowUs(defaults.wallMs, defaults.run.rows.inserted),
      unit: 'µs/row',
      limit: perRowUs(tuned.wallMs, tuned.run.rows.inserted),
      limitSource: 'DuckDB full run, same template',
      maxRatio: 1.25,
      informational: true,
    }),
  ];
}

function workerRow(label: string, m: Measured): ResultRow {
  return resultRow({
    ...base,
    figure: `${label}: slice phase wall ÷ (Σ slice job time ÷ ${SLICE_WORKERS} workers)`,
    value: slicePhaseMs(m) / 1000,
    unit: 's',
    limit: m.jobs.busyMs / SLICE_WORKERS / 1000,
    limitSource: 'jobs back to back, same run',
    maxRatio: 1.25,
    informational: true,
  });
}

/** `BENCH_EXTRACT_ONLY=limited`: the rate-limited run alone, in a fresh process. */
async function runLimitedOnly(
  options: ExtractBenchmarkOptions,
  input: ScenarioInput,
): Promise<BenchmarkResult> {
  log('\n[limited only] product-default HTTP settings, a rate-limited extraction');
  const outcome = await runScenarioInChild<LimitedOutcome>('limited', input);
  const { calls, minMs } = rateLimitedMinimum(outcome.limited.wire, outcome.limit);
  return {
    rows: rateRows(outcome, options.goals.rateLimitedWall),
    notes: [
      ...describeRun('rate-limited run (default HTTP settings)', outcome.limited),
      ...describeTimeline(outcome.limited),
      `  ${calls} successful insights calls under ${outcome.limit.callsPerWindow} per ${outcome.limit.windowMs / 1000} s ` +
        `need ≥ ${minMs / 1000} s; ${outcome.limited.wire.rateLimited} calls refused; server warning lines ${outcome.warnings}.`,
    ],
    details: {
      options,
      to: input.to,
      rateLimited: { ...runDetails(outcome.limited), limit: outcome.limit, calls, minMs },
    },
  };
}

/**
 * `BENCH_EXTRACT_ONLY=throughput`: the two full-size runs (DuckDB on PGlite, PostgreSQL on PostgreSQL) with their
 * replay and raw loads, and their peak RSS: about a third of the whole benchmark.
 */
async function runThroughputOnly(
  options: ExtractBenchmarkOptions,
  input: ScenarioInput,
  unreachable: string | null,
): Promise<BenchmarkResult> {
  const maxTime = 1 / options.goals.minRowsPerSecRatio;
  log('\n[throughput only 1/2] full-size run, PGlite store + DuckDB warehouse');
  const duck = await runScenarioInChild<ThroughputOutcome>('duckdb-large', input);
  const rows = [...throughputRows('DuckDB', duck, 'appender', maxTime)];
  const notes = [
    ...describeRun('DuckDB full run', duck.measured),
    describeLoad('  destination alone (DuckDB)', duck.replay!),
    describeLoad('  raw DuckDB appender', duck.raw!),
    `  e2e ${formatNumber(rowsPerSec(duck.measured))} rows/s = ${(rowsPerSec(duck.measured) / duck.raw!.rowsPerSec).toFixed(3)} × raw appender`,
  ];
  const details: Record<string, unknown> = {
    options,
    to: input.to,
    sandbox: input.sandbox,
    duckdbFull: { ...runDetails(duck.measured), replay: duck.replay, raw: duck.raw },
  };
  rows.push(
    resultRow({
      ...base,
      figure: `peak RSS, PGlite + DuckDB, ${duck.measured.run.rows.inserted.toLocaleString('en')} rows`,
      value: duck.measured.rss.peakMb,
      unit: 'MB',
      limit: options.goals.peakRssMb,
      limitSource: 'goal (the issue: at 10 M rows)',
    }),
  );
  if (!unreachable) {
    log('\n[throughput only 2/2] full-size run, PostgreSQL store + PostgreSQL destination');
    const postgres = await runScenarioInChild<ThroughputOutcome>('postgres-large', input);
    rows.push(
      ...throughputRows('PostgreSQL', postgres, 'COPY', maxTime),
      resultRow({
        ...base,
        figure: `peak RSS, PostgreSQL store + destination, ${postgres.measured.run.rows.inserted.toLocaleString('en')} rows`,
        value: postgres.measured.rss.peakMb,
        unit: 'MB',
        limit: options.goals.peakRssMb,
        limitSource: 'goal (the issue: at 10 M rows)',
      }),
    );
    notes.push(
      ...describeRun('PostgreSQL full run', postgres.measured),
      describeLoad('  destination alone (PostgreSQL)', postgres.replay!),
      describeLoad('  raw PostgreSQL COPY', postgres.raw!),
      `  e2e ${formatNumber(rowsPerSec(postgres.measured))} rows/s = ${(rowsPerSec(postgres.measured) / postgres.raw!.rowsPerSec).toFixed(3)} × raw COPY`,
    );
    details.postgresFull = { ...runDetails(postgres.measured), replay: postgres.replay, raw: postgres.raw };
  }
  return { rows, notes, details };
}

/**
 * `BENCH_EXTRACT_ONLY=memory`: peak RSS of a large extraction (size from `BENCH_EXTRACT_ACCOUNTS` ×
 * `BENCH_EXTRACT_DAYS`) on PostgreSQL (store + destination), then on PGlite + DuckDB, without the replay and raw
 * loads. PGlite's WASM memory (its buffer pool is `TRIBUTARY_PGLITE_SHARED_BUFFERS`, 32MB by default) is part of the
 * embedded figure's floor; both carry Node's own and tsx's (about 80 MB).
 */
async function runMemoryOnly(
  options: ExtractBenchmarkOptions,
  input: ScenarioInput,
  unreachable: string | null,
): Promise<BenchmarkResult> {
  const measured: Measured[] = [];
  const rows: ResultRow[] = [];
  const notes: string[] = [];
  const only = process.env.BENCH_EXTRACT_MEMORY_STORE;
  const scenarios = [
    ...(unreachable || only === 'pglite'
      ? []
      : [['postgres-large', 'PostgreSQL store + destination'] as const]),
    ...(only === 'postgres' ? [] : [['duckdb-large', 'PGlite store + DuckDB'] as const]),
  ];
  for (const [scenario, label] of scenarios) {
    log(`\n[memory only] ${label}`);
    const outcome = await runScenarioInChild<ThroughputOutcome>(scenario, { ...input, skipLoads: true });
    measured.push(outcome.measured);
    rows.push(
      resultRow({
        ...base,
        figure: `peak RSS, ${label}, ${outcome.measured.run.rows.inserted.toLocaleString('en')} rows`,
        value: outcome.measured.rss.peakMb,
        unit: 'MB',
        limit: options.goals.peakRssMb,
        limitSource: 'goal (the issue: at 10 M rows)',
      }),
    );
    notes.push(...describeRun(`${label} run`, outcome.measured));
  }
  return { rows, notes, details: { options, to: input.to, runs: measured.map(runDetails) } };
}

/** Runs every scenario (PostgreSQL only when reachable), each in a fresh process, and returns the figures. */
export async function runExtractBenchmark(
  options: ExtractBenchmarkOptions = defaultExtractOptions,
): Promise<BenchmarkResult> {
  const postgresUrl = testRequirements().postgresUrl;
  const unreachable = await postgresReachable(postgresUrl);
  if (unreachable) {
    const banner = '!'.repeat(100);
    log(`\n${banner}\n!!! PostgreSQL at ${postgresUrl} is NOT reachable: ${unreachable}`);
    log(`!!! The PostgreSQL end-to-end figures are MISSING from this run.\n${banner}`);
  }
  const input: ScenarioInput = {
    ...options,
    to: addDays(todayIn('UTC', new Date()), -options.endDaysAgo),
    postgresUrl,
    sandbox: process.env.BENCH_EXTRACT_SANDBOX === 'inprocess' ? 'inprocess' : 'process',
    ...(process.env.BENCH_EXTRACT_SLICE_CONCURRENCY
      ? { appEnv: { TRIBUTARY_SLICE_CONCURRENCY: process.env.BENCH_EXTRACT_SLICE_CONCURRENCY } }
      : {}),
  };
  if (process.env.BENCH_EXTRACT_ONLY === 'limited') return runLimitedOnly(options, input);
  if (process.env.BENCH_EXTRACT_ONLY === 'providers') {
    log('\n[providers only] one campaign-level extraction per provider against its sandbox');
    const outcome = await runScenarioInChild<ProvidersOutcome>('providers', input);
    return providersResult(outcome, { to: input.to });
  }
  if (process.env.BENCH_EXTRACT_ONLY === 'throughput') return runThroughputOnly(options, input, unreachable);
  if (process.env.BENCH_EXTRACT_ONLY === 'memory') return runMemoryOnly(options, input, unreachable);
  log('\n[1/5] half-size run, PGlite store + DuckDB warehouse (CPU-profiled)');
  const half = await runScenarioInChild<ThroughputOutcome>('duckdb-half', input);
  log('\n[2/5] full-size run, PGlite store + DuckDB warehouse');
  const duck = await runScenarioInChild<ThroughputOutcome>('duckdb-large', input);
  let postgres: ThroughputOutcome | null = null;
  if (!unreachable) {
    log('\n[3/5] full-size run, PostgreSQL store + PostgreSQL destination');
    postgres = await runScenarioInChild<ThroughputOutcome>('postgres-large', input);
  }
  log(
    '\n[4/5] product-default HTTP settings: a synchronous extraction, an async one, then a rate-limited one',
  );
  const sync = await runScenarioInChild<SyncOutcome>('sync', input);
  log('\n[5/5] providers: one campaign-level extraction per provider against its sandbox');
  const providers = providersResult(await runScenarioInChild<ProvidersOutcome>('providers', input));

  const maxTime = 1 / options.goals.minRowsPerSecRatio;
  const rows = [
    ...requestRows(sync.sync, duck.measured),
    ...throughputRows('DuckDB', duck, 'appender', maxTime),
    ...(postgres ? throughputRows('PostgreSQL', postgres, 'COPY', maxTime) : []),
    ...memoryRows(half.measured, duck.measured, postgres?.measured ?? null, options.goals.peakRssMb),
    ...rateRows(sync, options.goals.rateLimitedWall),
    workerRow('sync run', sync.sync),
    workerRow('DuckDB async run', duck.measured),
    ...defaultAsyncRows(sync.defaultAsync, duck.measured),
    ...providers.rows,
  ];
  const { calls, minMs } = rateLimitedMinimum(sync.limited.wire, sync.limit);
  const limitedSlicesWait = sync.limited.run.slices.reduce((sum, slice) => sum + slice.quotaWaitMs, 0);
  const notes = [
    '',
    `Large runs poll report runs with retryBaseMs = ${options.pollBaseMs} ms (product default 500 ms: ≥ 3.5 s of back-off per ` +
      'async slice, as the sandbox completes a run at its 3rd poll); the sync and rate-limited runs use the product defaults.',
    ...describeRun('DuckDB half run (CPU-profiled)', half.measured),
    ...describeRun('DuckDB full run', duck.measured),
    describeLoad('  destination alone (DuckDB)', duck.replay!),
    describeLoad('  raw DuckDB appender', duck.raw!),
    `  e2e ${formatNumber(rowsPerSec(duck.measured))} rows/s = ${(rowsPerSec(duck.measured) / duck.raw!.rowsPerSec).toFixed(3)} × raw appender`,
    ...(postgres
      ? [
          ...describeRun('PostgreSQL full run', postgres.measured),
          describeLoad('  destination alone (PostgreSQL)', postgres.replay!),
          describeLoad('  raw PostgreSQL COPY', postgres.raw!),
          `  e2e ${formatNumber(rowsPerSec(postgres.measured))} rows/s = ${(rowsPerSec(postgres.measured) / postgres.raw!.rowsPerSec).toFixed(3)} × raw COPY`,
        ]
      : [`!!! PostgreSQL NOT measured: not reachable at ${postgresUrl}`]),
    ...describeRun('sync run (default HTTP settings)', sync.sync),
    ...describeRun('async run (default HTTP settings)', sync.defaultAsync),
    ...describeRun('rate-limited run (default HTTP settings)', sync.limited),
    ...describeTimeline(sync.limited),
    `  ${calls} successful insights calls under ${sync.limit.callsPerWindow} per ${sync.limit.windowMs / 1000} s need ≥ ` +
      `${minMs / 1000} s (calls ÷ C × window would say ${((calls / sync.limit.callsPerWindow) * sync.limit.windowMs) / 1000} s: ` +
      `one window more than a sliding budget needs); ${sync.limited.wire.rateLimited} calls refused; quota waits: run ` +
      `${sync.limited.run.quotaWaitMs} ms, slices ${limitedSlicesWait} ms.`,
    `Server warning/error lines: half ${half.warnings}, full ${duck.warnings}, postgres ${postgres?.warnings ?? '—'}, sync ${sync.warnings}.`,
    ...(providers.notes ?? []),
  ];
  const details = {
    options,
    to: input.to,
    postgres: unreachable
      ? { skipped: `not reachable at ${postgresUrl}: ${unreachable}` }
      : { url: postgresUrl },
    duckdbHalf: runDetails(half.measured),
    duckdbFull: { ...runDetails(duck.measured), replay: duck.replay, raw: duck.raw },
    ...(postgres
      ? { postgresFull: { ...runDetails(postgres.measured), replay: postgres.replay, raw: postgres.raw } }
      : {}),
    sync: runDetails(sync.sync),
    defaultAsync: runDetails(sync.defaultAsync),
    rateLimited: { ...runDetails(sync.limited), limit: sync.limit, calls, minMs },
    ...providers.details,
  };
  return { rows, details, notes };
}
