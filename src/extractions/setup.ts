/**
 * Setting up an extraction: every check a create or update makes — connection usable, template
 * and selection valid, accounts known, schedules valid, table and destination — raising one 400
 * that names every problem.
 */
import crypto from 'node:crypto';
import type { z } from 'zod';
import type { AppContext } from '../connections/context.ts';
import type { createExtractionBodySchema, scheduleInputSchema } from '../contract/extractionSchemas.ts';
import type { Connection } from '../domain/connection.ts';
import { addDays, isIsoDay, todayIn } from '../domain/dates.ts';
import { TributaryError } from '../domain/errors.ts';
import type { ExtractionSchedule } from '../domain/extraction.ts';
import { compileSchedule, nextRunTimes, type ScheduleSpec } from '../domain/schedule.ts';
import { type Selection, validateSelection } from '../domain/selection.ts';
import { type ResolvedTemplate, resolveTemplate } from '../engine/templateCatalog.ts';
import { accountsRepository } from '../store/accountsRepository.ts';
import { connectionsRepository } from '../store/connectionsRepository.ts';
import { destinationsRepository } from '../store/destinationsRepository.ts';

/** One field problem, as the 400's details list it. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** Raises one `validation_failed` naming every problem. */
export function refuse(problems: FieldProblem[]): never {
  throw new TributaryError(
    'validation_failed',
    `Invalid extraction — ${problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ')}`,
    { details: { issues: problems } },
  );
}

/** The connection of an extraction, which must be active with at least one account. */
export async function usableConnection(context: AppContext, connectionId: string): Promise<Connection> {
  const connection = await connectionsRepository.get(context.db, connectionId);
  if (!connection) throw new TributaryError('not_found', `Connection ${connectionId} does not exist`);
  if (connection.status !== 'active' || connection.accountsCount === 0) {
    throw new TributaryError(
      'connection_not_authorized',
      `Extraction needs an active connection with at least one account; this one is ${connection.status} with ${connection.accountsCount} account(s)`,
      { details: { status: connection.status, accountsCount: connection.accountsCount } },
    );
  }
  return connection;
}

/** Checks a template against the connection's source and the selection against the template. */
export async function checkSelection(
  context: AppContext,
  connection: Connection,
  templateId: string,
  input: {
    dimensions?: string[] | undefined;
    metrics?: string[] | undefined;
    settings?: Record<string, unknown> | undefined;
  },
): Promise<{ resolved: ResolvedTemplate; selection: Selection }> {
  const resolved = await resolveTemplate(context, templateId).catch(() =>
    refuse([{ field: 'templateId', message: `no template ${templateId}` }]),
  );
  if (resolved.template.dataSource !== connection.dataSource) {
    refuse([
      {
        field: 'templateId',
        message: `template ${templateId} belongs to ${resolved.template.dataSource}, not to this ${connection.dataSource} connection`,
      },
    ]);
  }
  const result = validateSelection(resolved.template, input);
  if ('problems' in result) refuse(result.problems);
  return { resolved, selection: result.selection };
}

/** Account ids must be accounts discovered behind the connection. */
export async function checkAccounts(
  context: AppContext,
  connection: Connection,
  accounts: 'all' | string[],
): Promise<void> {
  if (accounts === 'all') return;
  const known = new Map(
    (await accountsRepository.list(context.db, connection.id)).map((account) => [
      account.providerAccountId,
      account,
    ]),
  );
  const unknown = accounts.filter((id) => !known.has(id));
  if (unknown.length) {
    refuse([
      { field: 'accounts', message: `not accounts of this connection: ${unknown.slice(0, 10).join(', ')}` },
    ]);
  }
  const managers = accounts.filter((id) => known.get(id)?.manager === true);
  if (managers.length) {
    refuse([
      {
        field: 'accounts',
        message: `manager accounts have no report data of their own (pick their client accounts): ${managers.slice(0, 10).join(', ')}`,
      },
    ]);
  }
  const unselected = accounts.filter((id) => known.get(id)?.selected === false);
  if (unselected.length) {
    refuse([
      {
        field: 'accounts',
        message: `not selected on this connection (select them on its Accounts tab first): ${unselected.slice(0, 10).join(', ')}`,
      },
    ]);
  }
}

type ScheduleInput = z.infer<typeof scheduleInputSchema>;

/** Validates and compiles schedules; the default is one daily run at 06:00 UTC re-reading the template's lookback. */
export function buildSchedules(
  extractionId: string,
  inputs: ScheduleInput[] | undefined,
  defaultLookbackDays: number,
  now: Date,
): ExtractionSchedule[] {
  const list = inputs ?? [{ frequency: 'daily' as const, time: '06:00', timezone: 'UTC' }];
  const problems: FieldProblem[] = [];
  const schedules: ExtractionSchedule[] = [];
  list.forEach((input, position) => {
    const spec: ScheduleSpec = {
      frequency: input.frequency,
      time: input.time,
      timezone: input.timezone,
      weekday: input.weekday,
      dayOfMonth: input.dayOfMonth,
      cron: input.cron,
      lookbackDays: input.lookbackDays ?? defaultLookbackDays,
    };
    const compiled = compileSchedule(spec);
    if ('problems' in compiled) {
      for (const problem of compiled.problems)
        problems.push({ field: `schedules.${position}.${problem.field}`, message: problem.message });
      return;
    }
    const [next] = nextRunTimes(compiled.cron, spec.timezone, now, 1);
    schedules.push({
      id: crypto.randomUUID(),
      extractionId,
      position,
      spec,
      cron: compiled.cron,
      timezone: spec.timezone,
      lookbackDays: spec.lookbackDays,
      nextRunAt: next ?? now,
      lastRunAt: null,
    });
  });
  if (problems.length) refuse(problems);
  return schedules;
}

/** The destination to write to: the given one, or the default. */
export async function resolveDestination(
  context: AppContext,
  destinationId: string | undefined,
  workspaceId: string,
): Promise<string> {
  if (destinationId) {
    const record = await destinationsRepository.get(context.db, destinationId);
    if (!record) refuse([{ field: 'destinationId', message: `no destination ${destinationId}` }]);
    return record.id;
  }
  const fallback = await context.destinations.ensureDefault(context.now(), workspaceId);
  return fallback.id;
}

/** A backfill start must be a real date within the provider's history and not in the future. */
export function checkLoadSince(loadSince: string | undefined, historicalDepthDays: number, now: Date): void {
  if (!loadSince) return;
  const today = todayIn('UTC', now);
  if (!isIsoDay(loadSince)) refuse([{ field: 'loadSince', message: 'must be a date YYYY-MM-DD' }]);
  if (loadSince > today) refuse([{ field: 'loadSince', message: 'must not be in the future' }]);
  const earliest = addDays(today, -historicalDepthDays);
  if (loadSince < earliest) {
    refuse([
      {
        field: 'loadSince',
        message: `the provider keeps ${historicalDepthDays} days of history; the earliest is ${earliest}`,
      },
    ]);
  }
}

export type CreateExtractionBody = z.infer<typeof createExtractionBodySchema>;
