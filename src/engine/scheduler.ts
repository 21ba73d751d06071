/**
 * The scheduler tick (every minute from pg-boss cron, in whichever worker claims it): fire due
 * schedules (DST-correct next times from croner), and hand stalled slices to another worker.
 */
import type { AppContext } from '../connections/context.ts';
import { nextRunTimes } from '../domain/schedule.ts';
import { extractionsRepository } from '../store/extractionsRepository.ts';
import { runsRepository } from '../store/runsRepository.ts';
import { startRun } from './runPlanner.ts';
import type { EngineSettings } from './sliceExecutor.ts';

/** What one tick did. */
export interface TickOutcome {
  runsStarted: number;
  slicesRequeued: number;
}

/** Schedules claimed per transaction; a tick claims batch after batch until none is due. */
const CLAIM_BATCH = 200;
/** Runs started at once while firing (each is a few store round trips; PGlite serializes them anyway). */
const FIRE_CONCURRENCY = 4;
/** A tick stops claiming after this long, so a huge backlog cannot hold one tick forever (the next tick goes on). */
const TICK_BUDGET_MS = 55_000;

/** Claims up to one batch of due schedules and moves each to its next run time, in one transaction. */
async function claimBatch(context: AppContext, now: Date) {
  return context.db.transaction(async (tx) => {
    const due = await extractionsRepository.claimDueSchedules(tx, now, CLAIM_BATCH);
    for (const schedule of due) {
      const [next] = nextRunTimes(schedule.cron, schedule.timezone, now, 1);
      await extractionsRepository.markScheduleFired(
        tx,
        schedule.id,
        now,
        next ?? new Date(now.getTime() + 86_400_000),
      );
    }
    return due;
  });
}

export async function schedulerTick(context: AppContext, settings: EngineSettings): Promise<TickOutcome> {
  const now = context.now();
  const started = Date.now();
  let runsStarted = 0;
  // One claim of 200 a minute fell behind as soon as more than 200 schedules shared a minute (10,000 due at
  // 06:00 took 50 minutes to fire): claim batch after batch, and start each batch's runs a few at a time.
  while (Date.now() - started < TICK_BUDGET_MS) {
    const fired = await claimBatch(context, now);
    let next = 0;
    const fire = async () => {
      while (next < fired.length) {
        const schedule = fired[next++]!;
        const extraction = await extractionsRepository.get(context.db, schedule.extractionId);
        if (!extraction || extraction.status === 'paused') continue;
        await startRun(context, extraction, { kind: 'lookback', days: schedule.lookbackDays }, 'schedule');
        runsStarted += 1;
      }
    };
    await Promise.all(Array.from({ length: Math.min(FIRE_CONCURRENCY, fired.length) }, fire));
    if (fired.length < CLAIM_BATCH) break;
  }
  // Runs whose last slice gave up here: finalized after the transaction. Sending a job inside it would deadlock
  // PGlite (one connection: the queue's statement waits for the transaction, which waits for the statement).
  const givenUp: string[] = [];
  const stalled = await context.db.transaction(async (tx) => {
    const stale = await runsRepository.staleRunningSlices(
      tx,
      new Date(now.getTime() - settings.stallAfterMs),
      100,
    );
    const retry = [];
    for (const slice of stale) {
      const exhausted = slice.attempts >= settings.maxAttempts;
      await runsRepository.updateSlice(tx, {
        ...slice,
        status: exhausted ? 'failed' : 'stalled',
        error: {
          code: 'provider_timeout',
          category: 'transient',
          message: `No heartbeat for ${Math.round(settings.stallAfterMs / 1000)} s (attempt ${slice.attempts})`,
          at: now.toISOString(),
        },
        finishedAt: exhausted ? now : null,
      });
      await runsRepository.log(
        tx,
        slice.runId,
        'warn',
        `Slice ${slice.accountId} ${slice.from}..${slice.to} stalled (no heartbeat); ${exhausted ? 'giving up' : 'retrying'}`,
        now,
      );
      if (!exhausted) retry.push(slice);
      else givenUp.push(slice.runId);
    }
    return retry;
  });
  // A run whose last slice ended just before its process was killed never got its finalization job: send it again
  // (finalizing is idempotent under the run's row lock).
  const unfinalized = await runsRepository.endedButOpenRuns(context.db, 100);
  for (const runId of new Set([...givenUp, ...unfinalized])) await context.jobs.finalizeRun(runId);
  for (const slice of stalled) await context.jobs.runSlice(slice.id);
  return { runsStarted, slicesRequeued: stalled.length };
}

/**
 * Embedded mode only (PGlite: one process holds the store's lock, so no other worker is alive): after a restart,
 * sends a job again for every slice still waiting. A slice whose job the killed process had fetched but not yet
 * claimed is `queued` here while pg-boss holds its job as active until it expires (hours), so nothing would run it.
 * A duplicate job is harmless: claiming fences a slice that is already running or ended.
 */
export async function requeueWaitingSlicesAfterRestart(context: AppContext): Promise<number> {
  if (context.db.kind !== 'pglite') return 0;
  const waiting = await runsRepository.waitingSliceIds(context.db, 10_000);
  for (const sliceId of waiting) await context.jobs.runSlice(sliceId);
  return waiting.length;
}
