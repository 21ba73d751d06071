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

export async function schedulerTick(context: AppContext, settings: EngineSettings): Promise<TickOutcome> {
  const now = context.now();
  const fired = await context.db.transaction(async (tx) => {
    const due = await extractionsRepository.claimDueSchedules(tx, now, 200);
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
  let runsStarted = 0;
  for (const schedule of fired) {
    const extraction = await extractionsRepository.get(context.db, schedule.extractionId);
    if (!extraction || extraction.status === 'paused') continue;
    await startRun(context, extraction, { kind: 'lookback', days: schedule.lookbackDays }, 'schedule');
    runsStarted += 1;
  }
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
      else await context.jobs.finalizeRun(slice.runId);
    }
    return retry;
  });
  for (const slice of stalled) await context.jobs.runSlice(slice.id);
  return { runsStarted, slicesRequeued: stalled.length };
}
