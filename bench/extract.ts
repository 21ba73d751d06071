/**
 * The extract benchmark (`npm run bench -- extract`): real extractions through the API against the
 * Meta Ads sandbox, on real stores and warehouses, every figure held against a limit measured in
 * the same run:
 * 1. requests the engine sent ÷ the fewest the data needs (computed from the sandbox's row model);
 * 2. end-to-end time per row (sandbox → engine → DuckDB / PostgreSQL) ÷ the raw appender / COPY
 *    time per row of the same rows (goal: end-to-end rows/s ≥ 0.6 × raw, i.e. time ratio ≤ 1/0.6);
 * 3. peak RSS of the process during the largest extraction and one half its size;
 * 4. under a sandbox rate limit, wall time ÷ the least that limit allows, and refused calls.
 *
 * Knobs: `TEST_DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/test`),
 * `BENCH_EXTRACT_ACCOUNTS` (accounts of the large runs, default 100), `BENCH_EXTRACT_DAYS` (14).
 */
import pg from 'pg';
import { testRequirements } from '../src/config.ts';
import { addDays, todayIn } from '../src/domain/dates.ts';
import type { ExtractApp, WireCounts } from './extractApp.ts';
import { describeProfile } from './extractProfile.ts';
import {
  type DuckDbOutcome,
  type ExtractionPlan,
  type Measured,
  type PostgresOutcome,
  type RateLimit,
  runDuckDbScenario,
  runPostgresScenario,
  runSyncScenario,
  type SyncOutcome,
} from './extractScenarios.ts';
import { type BenchmarkResult, formatNumber, type ResultRow, resultRow } from './report.ts';

/** The benchmark's parameters. */
export interface ExtractBenchmarkOptions {
  /** The large runs (DuckDB full size, PostgreSQL); the half run takes half the accounts. */
  large: ExtractionPlan;
  /** The synchronous run: a template the connector reads with plain GETs. */
  sync: ExtractionPlan;
  /** The rate-limited run and the sandbox budget it meets. */
  limited: ExtractionPlan;
  limit: RateLimit;
  /** `retryBaseMs` of the large runs: the report-run poll back-off starts there (product: 500 ms). */
  pollBaseMs: number;
  /** Days between the range's last day and today, so no account's time zone clamps the range. */
  endDaysAgo: number;
  goals: { minRowsPerSecRatio: number; peakRssMb: number; rateLimitedWall: number };
}

const numberEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isSafeInteger(value) && value > 0 ? value : fallback;
};

/** The defaults: about 300,000 ad × age × gender rows per large run. */
export const defaultExtractOptions: ExtractBenchmarkOptions = {
  large: {
    template: 'meta-ads.ads_by_age_gender',
    accounts: numberEnv('BENCH_EXTRACT_ACCOUNTS', 100),
    days: numberEnv('BENCH_EXTRACT_DAYS', 14),
  },
  sync: { template: 'meta-ads.account_daily', accounts: 40, days: 62 },
  limited: { template: 'meta-ads.account_daily', accounts: 1, days: 6 * 31 },
  limit: { callsPerWindow: 3, windowMs: 60_000 },
  pollBaseMs: 10,
  endDaysAgo: 7,
  goals: { minRowsPerSecRatio: 0.6, peakRssMb: 256, rateLimitedWall: 1.1 },
};

const log = (line: string) => console.log(line);
const base = { benchmark: 'extract' };
const insightsCalls = (wire: WireCounts) =>
  wire.sent.sync + wire.sent.create + wire.sent.poll + wire.sent.results;
const sliceBusyMs = (m: Measured) =>
  m.run.slices.reduce(
    (sum, slice) => sum + (Date.parse(slice.finishedAt!) - Date.parse(slice.startedAt!)),
    0,
  );
const perRowUs = (ms: number, rows: number) => (1000 * ms) / rows;
const rowsPerSec = (m: Measured) => m.run.rows.inserted / (m.wallMs / 1000);

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

function requestRows(sync: SyncOutcome | null, duck: DuckDbOutcome): ResultRow[] {
  const rows: ResultRow[] = [];
  if (sync) {
    const { run, minimum, wire } = sync.sync;
    rows.push(
      resultRow({
        ...base,
        figure: `sync requests (run.apiCalls) ÷ minimum pages, ${run.slices.length} slices`,
        value: run.apiCalls,
        unit: 'requests',
        limit: minimum.sync,
        limitSource: 'Σ ⌈rows/500⌉ per (account, window)',
      }),
      resultRow({
        ...base,
        figure: 'sync insights requests on the wire (with reconciliation) ÷ minimum',
        value: insightsCalls(wire),
        unit: 'requests',
        limit: minimum.sync,
        limitSource: 'same minimum',
        maxRatio: 1.5,
        informational: true,
      }),
    );
  }
  const { run, minimum } = duck.large;
  rows.push(
    resultRow({
      ...base,
      figure: 'async requests (run.apiCalls) ÷ POST + 3 polls + pages',
      value: run.apiCalls,
      unit: 'requests',
      limit: minimum.async,
      limitSource: 'Σ (1 + 3 + ⌈rows/500⌉)',
      informational: true,
    }),
    resultRow({
      ...base,
      figure: 'async overhead: requests ÷ result pages only',
      value: run.apiCalls,
      unit: 'requests',
      limit: minimum.pages,
      limitSource: 'Σ ⌈rows/500⌉',
      maxRatio: 2,
      informational: true,
    }),
  );
  return rows;
}

function throughputRows(
  label: string,
  measured: Measured,
  raw: { rows: number; ms: number },
  rawName: string,
  maxRatio: number,
): ResultRow[] {
  const rowsLanded = measured.run.rows.inserted;
  return [
    resultRow({
      ...base,
      figure: `${label} e2e µs/row ÷ raw ${rawName} µs/row (≡ rows/s ≥ ${(1 / maxRatio).toFixed(1)}×)`,
      value: perRowUs(measured.wallMs, rowsLanded),
      unit: 'µs/row',
      limit: perRowUs(raw.ms, raw.rows),
      limitSource: `raw ${rawName}, same rows, same run`,
      maxRatio,
    }),
    resultRow({
      ...base,
      figure: `${label} destination share µs/row (Σ over slices) ÷ raw ${rawName}`,
      value: perRowUs(measured.stages.destinationMs, rowsLanded),
      unit: 'µs/row',
      limit: perRowUs(raw.ms, raw.rows),
      limitSource: `raw ${rawName}, same run`,
      maxRatio,
      informational: true,
    }),
  ];
}

function memoryRows(duck: DuckDbOutcome, postgres: PostgresOutcome | null, goalMb: number): ResultRow[] {
  const { half, large } = duck;
  const rows = [
    resultRow({
      ...base,
      figure: `peak RSS, PGlite + DuckDB, ${large.run.rows.inserted.toLocaleString('en')} rows`,
      value: large.rss.peakMb,
      unit: 'MB',
      limit: goalMb,
      limitSource: 'goal (issue: at 10 M rows)',
    }),
    resultRow({
      ...base,
      figure: `peak RSS, PGlite + DuckDB, half run ${half.run.rows.inserted.toLocaleString('en')} rows`,
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
      limitSource: 'half run, same process',
      maxRatio: 1.1,
      informational: true,
    }),
    resultRow({
      ...base,
      figure: 'RSS growth during the large run (peak − before)',
      value: large.rss.peakMb - large.rss.beforeMb,
      unit: 'MB',
      limit: goalMb,
      limitSource: 'goal',
      informational: true,
    }),
  ];
  if (postgres) {
    rows.push(
      resultRow({
        ...base,
        figure: `peak RSS, PostgreSQL store + destination, ${postgres.large.run.rows.inserted.toLocaleString('en')} rows`,
        value: postgres.large.rss.peakMb,
        unit: 'MB',
        limit: goalMb,
        limitSource: 'goal (issue: at 10 M rows)',
      }),
    );
  }
  return rows;
}

/** Successful insights calls of a run, and the least wall time a sliding budget allows for them. */
export function rateLimitedMinimum(wire: WireCounts, limit: RateLimit): { calls: number; minMs: number } {
  const calls =
    wire.sent.sync +
    wire.sent.create +
    wire.sent.results -
    wire.failed.sync -
    wire.failed.create -
    wire.failed.results;
  // The first `callsPerWindow` calls go at once; call k·C + 1 no earlier than k windows after the first.
  return { calls, minMs: Math.max(0, Math.ceil(calls / limit.callsPerWindow) - 1) * limit.windowMs };
}

function rateRows(sync: SyncOutcome, maxRatio: number): ResultRow[] {
  const { limited, limit } = sync;
  const { calls, minMs } = rateLimitedMinimum(limited.wire, limit);
  const rejectedAfterFirst = Math.max(0, limited.wire.rateLimited - 1);
  const idealMs = sliceBusyMs(sync.sync) / 2;
  const sliceWallMs =
    Math.max(...sync.sync.run.slices.map((slice) => Date.parse(slice.finishedAt!))) -
    Date.parse(sync.sync.run.createdAt);
  return [
    resultRow({
      ...base,
      figure: `rate-limited wall ÷ least the limit allows (${calls} calls, ${limit.callsPerWindow}/${limit.windowMs / 1000} s)`,
      value: limited.wallMs / 1000,
      unit: 's',
      limit: minMs / 1000,
      limitSource: '(⌈calls/C⌉ − 1) × window',
      maxRatio,
    }),
    resultRow({
      ...base,
      figure: 'rate-limited: refused calls after the first ÷ insights calls',
      value: rejectedAfterFirst,
      unit: 'calls',
      limit: insightsCalls(limited.wire),
      limitSource: 'insights calls sent',
      maxRatio: 0,
    }),
    resultRow({
      ...base,
      figure: 'sync slice phase wall ÷ (Σ slice busy ÷ 2 workers)',
      value: sliceWallMs / 1000,
      unit: 's',
      limit: idealMs / 1000,
      limitSource: 'slices back to back, same run',
      maxRatio: 1.25,
      informational: true,
    }),
  ];
}

function describeRun(name: string, m: Measured): string[] {
  const s = m.stages;
  const busy = sliceBusyMs(m);
  const lastSlice = Math.max(...m.run.slices.map((slice) => Date.parse(slice.finishedAt!)));
  const lines = [
    `${name}: ${m.plan.template}, ${m.plan.accountIds.length} accounts × ${m.plan.days} days (${m.plan.from}..${m.plan.to}), ` +
      `${m.run.slices.length} slices, ${m.run.rows.inserted.toLocaleString('en')} rows (sandbox model: ${m.minimum.rows.toLocaleString('en')}), ` +
      `${(m.wallMs / 1000).toFixed(1)} s = ${formatNumber(rowsPerSec(m))} rows/s; ${m.run.apiCalls} API calls ` +
      `(wire: ${JSON.stringify(m.wire.sent)}, non-200 ${JSON.stringify(m.wire.failed)}), reconciliation ${m.run.reconciliation?.status}; ` +
      `RSS ${m.rss.beforeMb.toFixed(0)} → peak ${m.rss.peakMb.toFixed(0)} MB`,
    `  time: slices ${(busy / 1000).toFixed(1)} s summed over 2 workers (worker capacity ${((2 * (lastSlice - Date.parse(m.run.createdAt))) / 1000).toFixed(1)} s), ` +
      `after the last slice (finalize + reconciliation) ${((Date.parse(m.run.finishedAt!) - lastSlice) / 1000).toFixed(1)} s`,
    `  inside slices (summed): waiting for provider batches ${(s.sourceMs / 1000).toFixed(1)} s ` +
      `(HTTP round trips incl. the sandbox answering ${(m.wire.roundTripMs / 1000).toFixed(1)} s), ` +
      `destination ${(s.destinationMs / 1000).toFixed(1)} s, ensureTable ${(s.ensureTableMs / 1000).toFixed(1)} s, ` +
      `recordLoad ${(s.recordLoadMs / 1000).toFixed(1)} s, rest (store round trips: claim, ledger, finish) ` +
      `${((busy - s.sourceMs - s.destinationMs - s.ensureTableMs - s.recordLoadMs) / 1000).toFixed(1)} s; ${s.batches} batches`,
  ];
  if (m.planDiff.extra.length + m.planDiff.missing.length > 0) {
    lines.push(
      `  !!! the engine's slices differ from our windows: ${JSON.stringify(m.planDiff).slice(0, 300)}`,
    );
  }
  if (m.profile)
    lines.push(
      '  CPU profile of the main thread (self time by component):',
      ...describeProfile(m.profile).map((l) => `    ${l}`),
    );
  return lines;
}

function runDetails(m: Measured) {
  return {
    plan: { ...m.plan, accountIds: m.plan.accountIds.length },
    status: m.run.status,
    slices: m.run.slices.length,
    rows: m.run.rows,
    apiCalls: m.run.apiCalls,
    wallMs: m.wallMs,
    wire: m.wire,
    rss: m.rss,
    minimum: { rows: m.minimum.rows, pages: m.minimum.pages, sync: m.minimum.sync, async: m.minimum.async },
    planDiff: m.planDiff,
    stages: { ...m.stages },
    reconciliation: m.run.reconciliation?.status,
    ...(m.profile ? { profile: m.profile } : {}),
  };
}

/** Runs every scenario (PostgreSQL ones only when reachable) and returns the figures. */
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
  let open: ExtractApp | null = null;
  const track = (app: ExtractApp | null) => {
    open = app;
  };
  const onInterrupt = () => {
    void (open as ExtractApp | null)?.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', onInterrupt);
  const to = addDays(todayIn('UTC', new Date()), -options.endDaysAgo);
  try {
    log('\n[duckdb] PGlite store + default DuckDB warehouse');
    const duck = await runDuckDbScenario(options.large, to, postgresUrl, options.pollBaseMs, track);
    let postgres: PostgresOutcome | null = null;
    if (!unreachable) {
      log('\n[postgres] PostgreSQL store + PostgreSQL destination');
      postgres = await runPostgresScenario(options.large, to, postgresUrl, options.pollBaseMs, track);
    }
    log('\n[sync] product-default HTTP settings: a synchronous extraction, then a rate-limited one');
    const sync = await runSyncScenario(options.sync, options.limited, options.limit, to, postgresUrl, track);

    const maxTime = 1 / options.goals.minRowsPerSecRatio;
    const rows = [
      ...requestRows(sync, duck),
      ...throughputRows('DuckDB', duck.large, duck.raw, 'appender', maxTime),
      ...(postgres ? throughputRows('PostgreSQL', postgres.large, postgres.raw, 'COPY', maxTime) : []),
      ...memoryRows(duck, postgres, options.goals.peakRssMb),
      ...rateRows(sync, options.goals.rateLimitedWall),
    ];
    const rawLine = (name: string, raw: DuckDbOutcome['raw']) =>
      `${name}: ${raw.rows.toLocaleString('en')} rows × ${raw.columns} columns in ${(raw.ms / 1000).toFixed(2)} s = ` +
      `${formatNumber(raw.rowsPerSec)} rows/s (timed: ${raw.timed})`;
    const { calls, minMs } = rateLimitedMinimum(sync.limited.wire, sync.limit);
    const notes = [
      '',
      `Large runs poll report runs with retryBaseMs = ${options.pollBaseMs} ms (product default 500 ms: ≥ 3.5 s of back-off per async slice, because the sandbox completes a run at its 3rd poll).`,
      ...describeRun('DuckDB half run (CPU-profiled)', duck.half),
      ...describeRun('DuckDB large run', duck.large),
      rawLine('raw DuckDB appender', duck.raw),
      ...(postgres
        ? [
            ...describeRun('PostgreSQL large run', postgres.large),
            rawLine('raw PostgreSQL COPY', postgres.raw),
          ]
        : [`!!! PostgreSQL NOT measured: not reachable at ${postgresUrl}`]),
      ...describeRun('sync run (default HTTP settings)', sync.sync),
      ...describeRun('rate-limited run (default HTTP settings)', sync.limited),
      `rate limit: ${calls} successful insights calls under ${sync.limit.callsPerWindow} per ${sync.limit.windowMs / 1000} s need ≥ ${(minMs / 1000).toFixed(0)} s ` +
        `(the calls ÷ C × window formula says ${((calls / sync.limit.callsPerWindow) * sync.limit.windowMs) / 1000} s, one window more than a sliding budget needs); ` +
        `${sync.limited.wire.rateLimited} calls were refused; quota waits recorded ${sync.limited.run.quotaWaitMs} ms.`,
      `Server warnings/errors logged: duckdb ${duck.warnings.length}, postgres ${postgres?.warnings.length ?? 0}, sync ${sync.warnings.length}.`,
    ];
    const details = {
      options,
      postgres: unreachable
        ? { skipped: `not reachable at ${postgresUrl}: ${unreachable}` }
        : { url: postgresUrl },
      duckdb: { half: runDetails(duck.half), large: runDetails(duck.large), raw: duck.raw },
      ...(postgres ? { postgresRun: { large: runDetails(postgres.large), raw: postgres.raw } } : {}),
      sync: runDetails(sync.sync),
      rateLimited: { ...runDetails(sync.limited), limit: sync.limit, calls, minMs },
    };
    return { rows, details, notes };
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
}
