/**
 * The scheduler benchmark (`npm run bench -- scheduler`): 10,000 extractions whose schedules fall due
 * within a few minutes. Does the scheduler fire every one on time, and does the job queue stay bounded?
 *
 * Setup, on PostgreSQL (server mode): a real Tributary with its workers on, so the scheduler tick runs as it
 * does in production (pg-boss cron, once a minute, `src/engine/scheduler.ts`). One extraction (Meta Ads
 * `account_daily`, one account of a 3-account connection, a daily schedule, lookback 1 day: two slices per
 * run at most) is made through the API;
 * `extractions - 1` copies of it are written through the store's repositories in one transaction, with the
 * schedules' next run times spread over `spreadMinutes` whole minutes starting ≥ 2 minutes ahead (cron
 * schedules fall due on minute boundaries). The sandbox answers at once.
 *
 * What is measured: the scheduler, not extraction throughput. Lateness of a firing = the run's `createdAt`
 * (written by `startRun` when the scheduler fires the schedule) − the time the schedule was due; a schedule
 * not fired by the end of the window counts as late by at least the time it waited (and the row fails).
 * Queue depth = pg-boss jobs waiting (state created or retry: run-slice, finalize-run and the scheduler's own
 * tick) sampled every 2 s, plus the schedules due but not fired yet. Slice workers are limited to one
 * (`TRIBUTARY_SLICE_CONCURRENCY=1`), far below the firing rate, so the waiting run-slice jobs hold the fired
 * runs' slices: the depth must stop growing once the burst has fired (slope over the samples after the last
 * firing ≤ 0), and grows without bound only if something re-queues or fires twice.
 *
 * Knobs: `BENCH_SCHEDULER_EXTRACTIONS` (10000), `BENCH_SCHEDULER_SPREAD_MINUTES` (3),
 * `BENCH_SCHEDULER_AFTER_SECONDS` (120: how long the queue is watched after the last firing, and at least after the
 * last due minute; the window ends 10 minutes after the last due minute at the latest).
 */
import crypto from 'node:crypto';
import os from 'node:os';
import pg from 'pg';
import { testRequirements } from '../src/config.ts';
import { extractionsRepository } from '../src/store/extractionsRepository.ts';
import { runsRepository } from '../src/store/runsRepository.ts';
import { type BenchApp, connectSandbox, startBenchApp } from './benchApp.ts';
import { type BenchmarkResult, formatNumber, percentile, resultRow } from './report.ts';

const log = (line: string) => console.log(line);
const base = { benchmark: 'scheduler' };

const numberEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isSafeInteger(value) && value > 0 ? value : fallback;
};

/** The benchmark's parameters. */
export interface SchedulerOptions {
  extractions: number;
  spreadMinutes: number;
  afterSeconds: number;
  /** The window never runs longer than this past the last due minute. */
  maxWindowSeconds: number;
  /** Goal: no firing later than this. */
  maxLatenessSeconds: number;
  sampleMs: number;
}

export const defaultSchedulerOptions: SchedulerOptions = {
  extractions: numberEnv('BENCH_SCHEDULER_EXTRACTIONS', 10_000),
  spreadMinutes: numberEnv('BENCH_SCHEDULER_SPREAD_MINUTES', 3),
  afterSeconds: numberEnv('BENCH_SCHEDULER_AFTER_SECONDS', 120),
  maxWindowSeconds: 600,
  maxLatenessSeconds: 60,
  sampleMs: 2000,
};

/** One sample of the queues. */
interface Sample {
  /** Seconds since the first due minute. */
  t: number;
  /** pg-boss jobs waiting (created or retry), by queue name. */
  waiting: Record<string, number>;
  waitingTotal: number;
  /** Jobs being worked on. */
  active: number;
  /** Schedules due and not fired yet. */
  dueUnfired: number;
  /** Runs the scheduler has started so far. */
  fired: number;
}

/** Least-squares slope of `y` over `x`. */
function slope(points: readonly { x: number; y: number }[]): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const mx = points.reduce((sum, p) => sum + p.x, 0) / n;
  const my = points.reduce((sum, p) => sum + p.y, 0) / n;
  const sxy = points.reduce((sum, p) => sum + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((sum, p) => sum + (p.x - mx) ** 2, 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

/** Reads the queues' state (read-only, on a connection of its own so it never waits on the app's pool). */
async function sample(client: pg.Client, jobsSchema: string, firstDue: number): Promise<Sample> {
  const now = new Date();
  const jobs = await client.query<{ name: string; state: string; n: number }>(
    `SELECT name, state, count(*)::int AS n FROM "${jobsSchema}".job
     WHERE state IN ('created', 'retry', 'active') GROUP BY name, state`,
  );
  const [counts] = (
    await client.query<{ due: number; fired: number }>(
      `SELECT (SELECT count(*)::int FROM extraction_schedules s JOIN extractions e ON e.id = s.extraction_id
               WHERE s.next_run_at <= $1 AND e.status = 'active') AS due,
              (SELECT count(*)::int FROM runs WHERE trigger = 'schedule') AS fired`,
      [now],
    )
  ).rows;
  const waiting: Record<string, number> = {};
  let active = 0;
  for (const row of jobs.rows) {
    if (row.state === 'active') active += row.n;
    else waiting[row.name] = (waiting[row.name] ?? 0) + row.n;
  }
  return {
    t: (now.getTime() - firstDue) / 1000,
    waiting,
    waitingTotal: Object.values(waiting).reduce((sum, n) => sum + n, 0),
    active,
    dueUnfired: counts?.due ?? 0,
    fired: counts?.fired ?? 0,
  };
}

/** Creates the first extraction through the API and copies it through the repositories; returns due times by id. */
async function seed(
  app: BenchApp,
  options: SchedulerOptions,
): Promise<{ due: Map<string, number>; firstDue: number; seedMs: number }> {
  // A connection with 3 accounts, as most are: starting a run reads its connection's accounts.
  const connection = await connectSandbox(app, 'alex@example.com');
  // A daily time twelve hours away: the API computes its next run, which the copies then replace.
  const far = new Date(Date.now() + 12 * 3600_000);
  const time = `${String(far.getUTCHours()).padStart(2, '0')}:${String(far.getUTCMinutes()).padStart(2, '0')}`;
  const created = await app.api.call('createExtraction', {
    body: {
      connectionId: connection.id,
      templateId: 'meta-ads.account_daily',
      accounts: [connection.accounts[0]!.id],
      table: 'bench_scheduler',
      schedules: [{ frequency: 'daily', time, timezone: 'UTC', lookbackDays: 1 }],
    },
  });
  const db = app.runtime.context.db;
  const extraction = (await extractionsRepository.get(db, created.id))!;
  const [schedule] = await extractionsRepository.schedules(db, created.id);
  if (!schedule) throw new Error('The extraction has no schedule');
  const started = performance.now();
  // Cron schedules fall due on whole minutes: the first due minute at least two minutes ahead, so seeding
  // (about 20 s on PostgreSQL) ends before anything is due.
  const firstDue = Math.ceil((Date.now() + 120_000) / 60_000) * 60_000;
  const due = new Map<string, number>();
  await db.transaction(async (tx) => {
    for (let index = 0; index < options.extractions; index += 1) {
      const id = index === 0 ? extraction.id : crypto.randomUUID();
      const at = firstDue + (index % options.spreadMinutes) * 60_000;
      if (index > 0)
        await extractionsRepository.insert(tx, { ...extraction, id, name: `${extraction.name} ${index}` });
      await extractionsRepository.replaceSchedules(tx, id, [
        {
          ...schedule,
          id: index === 0 ? schedule.id : crypto.randomUUID(),
          extractionId: id,
          nextRunAt: new Date(at),
        },
      ]);
      due.set(id, at);
    }
  });
  const seedMs = performance.now() - started;
  return { due, firstDue, seedMs };
}

/** Runs the benchmark and returns its figures. */
export async function runSchedulerBenchmark(
  options: SchedulerOptions = defaultSchedulerOptions,
): Promise<BenchmarkResult> {
  const postgresUrl = testRequirements().postgresUrl;
  const app = await startBenchApp('postgres', postgresUrl, { TRIBUTARY_SLICE_CONCURRENCY: '1' });
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(`SET search_path TO "${app.config.databaseSchema}"`);
    const { due, firstDue, seedMs } = await seed(app, options);
    const lastDue = firstDue + (options.spreadMinutes - 1) * 60_000;
    const end = lastDue + options.afterSeconds * 1000;
    log(
      `  seeded ${options.extractions.toLocaleString('en')} extractions in ${(seedMs / 1000).toFixed(1)} s; due at ` +
        `${new Date(firstDue).toISOString().slice(11, 19)}–${new Date(lastDue).toISOString().slice(11, 19)} UTC ` +
        `(${Math.round(options.extractions / options.spreadMinutes)} a minute); sampling until all have fired and ${options.afterSeconds} s more, at least until ${new Date(end).toISOString().slice(11, 19)}`,
    );
    if (Date.now() > firstDue - 10_000)
      log('  warning: seeding ended less than 10 s before the first due minute');
    const jobsSchema = `${app.config.databaseSchema}_jobs`;
    const samples: Sample[] = [];
    let lastLogged = 0;
    // Sample until every schedule has fired and the queue has been watched `afterSeconds` since the last firing
    // (at least until `afterSeconds` past the last due minute), bounded by `maxWindowSeconds` past it.
    const hardEnd = lastDue + options.maxWindowSeconds * 1000;
    let lastFiringAt = Date.now();
    for (;;) {
      const current = await sample(client, jobsSchema, firstDue);
      const previous = samples.at(-1);
      samples.push(current);
      if (!previous || current.fired !== previous.fired) lastFiringAt = Date.now();
      if (current.t - lastLogged >= 30) {
        lastLogged = current.t;
        log(
          `  t=${current.t.toFixed(0)} s: fired ${current.fired}, due unfired ${current.dueUnfired}, jobs waiting ` +
            `${current.waitingTotal} (${Object.entries(current.waiting)
              .map(([name, n]) => `${name} ${n}`)
              .join(', ')}), active ${current.active}; load ${os.loadavg()[0]!.toFixed(1)}`,
        );
      }
      const allFired = current.fired >= due.size;
      const watchedAfter = Date.now() - lastFiringAt >= options.afterSeconds * 1000;
      if ((allFired && watchedAfter && Date.now() >= end) || Date.now() >= hardEnd) break;
      await new Promise((resolve) => setTimeout(resolve, options.sampleMs));
    }
    const endedAt = Date.now();
    const runs = await runsRepository.latestRuns(app.runtime.context.db, [...due.keys()]);
    const lateness: number[] = [];
    let unfired = 0;
    let unfiredWait = 0;
    for (const [id, at] of due) {
      const run = runs.get(id);
      if (run && run.trigger === 'schedule') lateness.push((run.createdAt.getTime() - at) / 1000);
      else {
        unfired += 1;
        unfiredWait = Math.max(unfiredWait, (endedAt - at) / 1000);
      }
    }
    const maxLateness = Math.max(unfiredWait, ...lateness);
    const early = lateness.filter((seconds) => seconds < 0).length;
    // The queue's trend once the burst has fired: the samples after the last firing (the last third of the
    // window when firing never stopped).
    const lastFired = samples.at(-1)?.fired ?? 0;
    const settledFrom = samples.findIndex((entry) => entry.fired === lastFired);
    const tail =
      samples.length - settledFrom >= 5
        ? samples.slice(settledFrom)
        : samples.filter((entry) => entry.t >= (samples.at(-1)?.t ?? 0) * (2 / 3));
    const depthSlope = 60 * slope(tail.map((entry) => ({ x: entry.t, y: entry.waitingTotal })));
    const tailSeconds = (tail.at(-1)?.t ?? 0) - (tail[0]?.t ?? 0);
    const maxDepth = Math.max(0, ...samples.map((entry) => entry.waitingTotal));
    const maxDueUnfired = Math.max(0, ...samples.map((entry) => entry.dueUnfired));
    const finalSample = samples.at(-1);
    log(
      `  fired ${lateness.length}/${due.size} (${unfired} not fired in the window, ${early} early); lateness p50 ` +
        `${formatNumber(percentile(lateness, 50))} s, p99 ${formatNumber(percentile(lateness, 99))} s, max ${formatNumber(maxLateness)} s; ` +
        `jobs waiting max ${maxDepth}, slope over the ${formatNumber(tailSeconds)} s after the last firing ${formatNumber(depthSlope)} jobs/min, at the end ${finalSample?.waitingTotal}`,
    );
    const rows = [
      resultRow({
        ...base,
        figure: `max lateness of a schedule firing (${options.extractions.toLocaleString('en')} due over ${options.spreadMinutes} min, PostgreSQL; ${unfired} not fired)`,
        value: maxLateness,
        unit: 's',
        limit: options.maxLatenessSeconds,
        limitSource: 'goal',
      }),
      resultRow({
        ...base,
        figure: `p99 lateness of a schedule firing (p50 ${formatNumber(percentile(lateness, 50))} s)`,
        value: percentile(lateness, 99),
        unit: 's',
        limit: options.maxLatenessSeconds,
        limitSource: 'goal',
        informational: true,
      }),
      resultRow({
        ...base,
        figure: 'schedules fired more than once or early (runs by schedule − schedules due)',
        value: early + Math.max(0, (finalSample?.fired ?? 0) - due.size),
        unit: 'firings',
        limit: due.size,
        limitSource: 'schedules due',
        maxRatio: 0,
      }),
      resultRow({
        ...base,
        figure: `job queue depth slope over the ${formatNumber(tailSeconds)} s after the last firing (max depth ${maxDepth} jobs; 1 slice worker)`,
        value: Math.max(0, depthSlope),
        unit: 'jobs/min',
        limit: 1,
        limitSource: 'no growth (≤ 0; negative shown as 0)',
        maxRatio: 0,
      }),
      resultRow({
        ...base,
        figure: `schedules due and not fired at the end of the window (the scheduler’s own backlog; max ${maxDueUnfired})`,
        value: finalSample?.dueUnfired ?? 0,
        unit: 'schedules',
        limit: due.size,
        limitSource: 'schedules due',
        maxRatio: 0,
        informational: true,
      }),
    ];
    return {
      rows,
      notes: [
        '',
        `Lateness = run createdAt − due time; the scheduler ticks once a minute (pg-boss cron). Queue depth = pg-boss jobs ` +
          'waiting (created/retry); slice workers limited to 1, so the figure is the scheduler keeping up, not extraction throughput.',
        `Queue depth slope over the ${formatNumber(tailSeconds)} s after the last firing: ${formatNumber(depthSlope)} jobs/min (negative: draining).`,
      ],
      details: {
        options,
        seedMs: Math.round(seedMs),
        firstDue: new Date(firstDue).toISOString(),
        fired: lateness.length,
        unfired,
        early,
        latenessSeconds: {
          p50: percentile(lateness, 50),
          p90: percentile(lateness, 90),
          p99: percentile(lateness, 99),
          max: maxLateness,
        },
        maxDepth,
        depthSlopePerMinute: depthSlope,
        maxDueUnfired,
        samples: samples.filter((_, index) => index % 5 === 0),
        loadAverage: os.loadavg(),
      },
    };
  } finally {
    await client.end();
    await app.close();
  }
}
