import crypto from 'node:crypto';
import type { AppContext } from '../../connections/context.ts';
import { tableNameFor } from '../../destinations/index.ts';
import { assertTransition } from '../../domain/connection.ts';
import { todayIn } from '../../domain/dates.ts';
import { TributaryError } from '../../domain/errors.ts';
import { type Extraction, extractionTransitions } from '../../domain/extraction.ts';
import { isUuid } from '../../domain/ids.ts';
import { nextRunTimes } from '../../domain/schedule.ts';
import { startRun } from '../../engine/runPlanner.ts';
import { resolveTemplate } from '../../engine/templateCatalog.ts';
import {
  buildSchedules,
  checkAccounts,
  checkLoadSince,
  checkSelection,
  resolveDestination,
  usableConnection,
} from '../../extractions/setup.ts';
import { eventsRepository } from '../../store/eventsRepository.ts';
import { extractionsRepository } from '../../store/extractionsRepository.ts';
import { runsRepository } from '../../store/runsRepository.ts';
import { extractionView } from '../extractionViews.ts';
import { type Handler, workspaceOf } from '../routes.ts';
import { decodeListCursor, encodeListCursor } from './cursor.ts';

/** Loads an extraction or raises `not_found`. */
export async function requireExtraction(context: AppContext, id: string): Promise<Extraction> {
  const extraction = isUuid(id) ? await extractionsRepository.get(context.db, id) : null;
  if (!extraction) throw new TributaryError('not_found', `Extraction ${id} does not exist`);
  return extraction;
}

/** Views of extractions with their schedules and newest run (the runs read in one query for all). */
async function presentAll(context: AppContext, extractions: Extraction[]) {
  const lastRuns = await runsRepository.latestRuns(
    context.db,
    extractions.map((extraction) => extraction.id),
  );
  return Promise.all(
    extractions.map(async (extraction) =>
      extractionView(
        extraction,
        await extractionsRepository.schedules(context.db, extraction.id),
        context.now(),
        lastRuns.get(extraction.id) ?? null,
      ),
    ),
  );
}

async function present(context: AppContext, extraction: Extraction) {
  const [view] = await presentAll(context, [extraction]);
  return view!;
}

/** POST /api/v1/extractions */
export const createExtraction: Handler<'createExtraction'> = async (input, context) => {
  const { body } = input;
  const { workspaceId } = workspaceOf(input);
  const connection = await usableConnection(context, body.connectionId);
  const { resolved, selection } = await checkSelection(context, connection, body.templateId, body);
  await checkAccounts(context, connection, body.accounts);
  const now = context.now();
  checkLoadSince(body.loadSince, resolved.template.historicalDepthDays, now);
  const id = crypto.randomUUID();
  const schedules = buildSchedules(id, body.schedules, resolved.template.defaultLookbackDays, now);
  const extraction: Extraction = {
    id,
    workspaceId,
    name: body.name ?? `${connection.dataSourceName} — ${resolved.template.name}`,
    connectionId: connection.id,
    dataSource: connection.dataSource,
    templateId: resolved.template.id,
    accounts: body.accounts,
    ...selection,
    loadSince: body.loadSince ?? null,
    backfillQueued: Boolean(body.loadSince),
    destinationId: await resolveDestination(context, body.destinationId, workspaceId),
    tableName: body.table ?? tableNameFor(connection.dataSource, resolved.slug),
    status: 'active',
    statusDetails: null,
    createdAt: now,
    updatedAt: now,
  };
  await context.db.transaction(async (tx) => {
    await extractionsRepository.insert(tx, extraction);
    await extractionsRepository.replaceSchedules(tx, id, schedules);
  });
  if (body.loadSince) {
    // History once, recent days first; the schedules keep the recent days fresh afterwards.
    await startRun(
      context,
      extraction,
      { kind: 'range', from: body.loadSince, to: todayIn('UTC', now) },
      'backfill',
    );
  }
  return present(context, extraction);
};

/** GET /api/v1/extractions */
export const listExtractions: Handler<'listExtractions'> = async (input, context) => {
  const { query } = input;
  const page = await extractionsRepository.list(context.db, {
    workspaceId: workspaceOf(input).workspaceId,
    connectionId: query.connectionId,
    limit: query.limit,
    after: query.cursor ? decodeListCursor(query.cursor) : undefined,
  });
  const last = page.items.at(-1);
  return {
    items: await presentAll(context, page.items),
    nextCursor:
      page.hasMore && last
        ? encodeListCursor({ createdAt: last.createdAt.toISOString(), id: last.id })
        : null,
  };
};

/** GET /api/v1/extractions/:id */
export const getExtraction: Handler<'getExtraction'> = async ({ params }, context) =>
  present(context, await requireExtraction(context, params.id));

/** PATCH /api/v1/extractions/:id — new fields add columns on the next run; nothing is dropped. */
export const updateExtraction: Handler<'updateExtraction'> = async ({ params, body }, context) => {
  const extraction = await requireExtraction(context, params.id);
  const now = context.now();
  let next: Extraction = { ...extraction, name: body.name ?? extraction.name, updatedAt: now };
  if (body.dimensions || body.metrics || body.settings || body.accounts) {
    if (!extraction.connectionId) {
      throw new TributaryError('connection_not_authorized', 'The connection of this extraction was deleted');
    }
    const connection = await usableConnection(context, extraction.connectionId);
    const { selection } = await checkSelection(context, connection, extraction.templateId, {
      dimensions: body.dimensions ?? extraction.dimensions,
      metrics: body.metrics ?? extraction.metrics,
      settings: { ...extraction.settings, ...body.settings },
    });
    if (body.accounts) await checkAccounts(context, connection, body.accounts);
    next = { ...next, ...selection, accounts: body.accounts ?? extraction.accounts };
  }
  const schedules = body.schedules
    ? buildSchedules(
        extraction.id,
        body.schedules,
        (await resolveTemplate(context, extraction.templateId)).template.defaultLookbackDays,
        now,
      )
    : null;
  await context.db.transaction(async (tx) => {
    await extractionsRepository.update(tx, next);
    if (schedules) await extractionsRepository.replaceSchedules(tx, extraction.id, schedules);
  });
  return present(context, next);
};

/** DELETE /api/v1/extractions/:id — its schedules, runs and ledger go with it (queued slice jobs then find nothing and stop); the loaded data stays. */
export const deleteExtraction: Handler<'deleteExtraction'> = async ({ params }, context) => {
  const extraction = await requireExtraction(context, params.id);
  await extractionsRepository.delete(context.db, extraction.id);
  return undefined;
};

async function setStatus(context: AppContext, id: string, status: 'active' | 'paused'): Promise<Extraction> {
  const now = context.now();
  return context.db.transaction(async (tx) => {
    const current = await extractionsRepository.get(tx, id, { forUpdate: true });
    if (!current) throw new TributaryError('not_found', `Extraction ${id} does not exist`);
    assertTransition('extraction', extractionTransitions, current.status, status);
    const next: Extraction = {
      ...current,
      status,
      statusDetails:
        status === 'paused' ? { kind: 'manual', reason: 'Paused by a user', at: now.toISOString() } : null,
      updatedAt: now,
    };
    await extractionsRepository.update(tx, next);
    if (status === 'paused' && current.status !== 'paused') {
      await eventsRepository.append(tx, 'extraction.paused', id, { kind: 'manual' }, now);
    }
    if (status === 'active') {
      // A resumed schedule starts from now: missed occurrences are not replayed in a burst.
      for (const schedule of await extractionsRepository.schedules(tx, id)) {
        const [nextRun] = nextRunTimes(schedule.cron, schedule.timezone, now, 1);
        await extractionsRepository.markScheduleFired(
          tx,
          schedule.id,
          schedule.lastRunAt ?? now,
          nextRun ?? now,
        );
      }
    }
    return next;
  });
}

/** POST /api/v1/extractions/:id/pause */
export const pauseExtraction: Handler<'pauseExtraction'> = async ({ params }, context) => {
  await requireExtraction(context, params.id);
  return present(context, await setStatus(context, params.id, 'paused'));
};

/** POST /api/v1/extractions/:id/resume */
export const resumeExtraction: Handler<'resumeExtraction'> = async ({ params }, context) => {
  const extraction = await requireExtraction(context, params.id);
  if (!extraction.connectionId) {
    throw new TributaryError('connection_not_authorized', 'The connection of this extraction was deleted');
  }
  return present(context, await setStatus(context, params.id, 'active'));
};
