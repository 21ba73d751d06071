import { addDays, todayIn } from '../../domain/dates.ts';
import { TributaryError } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import { startRun } from '../../engine/runPlanner.ts';
import { resolveTemplate } from '../../engine/templateCatalog.ts';
import { refuse } from '../../extractions/setup.ts';
import { runsRepository } from '../../store/runsRepository.ts';
import { runView, sliceView } from '../extractionViews.ts';
import type { Handler } from '../routes.ts';
import { requireExtraction } from './extractions.ts';

/** POST /api/v1/extractions/:id/runs {from, to} — re-run a date range now. */
export const startExtractionRun: Handler<'startExtractionRun'> = async ({ params, body }, context) => {
  const extraction = await requireExtraction(context, params.id);
  const { template } = await resolveTemplate(context, extraction.templateId);
  const now = context.now();
  // The latest time zone on earth is one day ahead of UTC at most.
  const latest = addDays(todayIn('UTC', now), 1);
  const earliest = addDays(todayIn('UTC', now), -template.historicalDepthDays);
  if (body.from > body.to)
    refuse([{ field: 'from', message: `from (${body.from}) is after to (${body.to})` }]);
  if (body.to > latest) refuse([{ field: 'to', message: `to is in the future (latest ${latest})` }]);
  if (body.from < earliest) {
    refuse([
      {
        field: 'from',
        message: `the provider keeps ${template.historicalDepthDays} days of history; the earliest is ${earliest}`,
      },
    ]);
  }
  const run = await startRun(context, extraction, { kind: 'range', from: body.from, to: body.to }, 'manual');
  return runView(run);
};

/** GET /api/v1/extractions/:id/runs */
export const listExtractionRuns: Handler<'listExtractionRuns'> = async ({ params }, context) => {
  const extraction = await requireExtraction(context, params.id);
  return { items: (await runsRepository.listRuns(context.db, extraction.id, 100)).map(runView) };
};

/** GET /api/v1/runs/:id */
export const getRun: Handler<'getRun'> = async ({ params }, context) => {
  const run = isUuid(params.id) ? await runsRepository.getRun(context.db, params.id) : null;
  if (!run) throw new TributaryError('not_found', `Run ${params.id} does not exist`);
  const [slices, log] = await Promise.all([
    runsRepository.listSlices(context.db, run.id),
    runsRepository.logLines(context.db, run.id),
  ]);
  return {
    ...runView(run),
    slices: slices.map(sliceView),
    log: log.map((line) => ({ ...line, at: line.at.toISOString() })),
  };
};

/** POST /api/v1/runs/:id/cancel — queued slices stop now; running ones stop at their next heartbeat. */
export const cancelRun: Handler<'cancelRun'> = async ({ params }, context) => {
  const run = isUuid(params.id) ? await runsRepository.getRun(context.db, params.id) : null;
  if (!run) throw new TributaryError('not_found', `Run ${params.id} does not exist`);
  const now = context.now();
  const updated = await context.db.transaction(async (tx) => {
    // The slices before their run, in the order the engine locks them (a slice starting or ending locks its row,
    // then the run's): the other order deadlocked with a slice ending at the same moment. A run that has ended
    // has no queued slice, so this changes nothing there.
    await runsRepository.cancelQueuedSlices(tx, run.id, now);
    const current = await runsRepository.getRun(tx, run.id, { forUpdate: true });
    // Deleted meanwhile with its extraction.
    if (!current) throw new TributaryError('not_found', `Run ${params.id} does not exist`);
    if (['succeeded', 'partial', 'failed', 'cancelled'].includes(current.status)) return current;
    const next = { ...current, cancelRequested: true };
    await runsRepository.updateRun(tx, next);
    await runsRepository.log(tx, run.id, 'warn', 'Cancellation requested', now);
    return next;
  });
  await context.jobs.finalizeRun(run.id);
  return runView(updated);
};
