/**
 * Starting a run: resolve the accounts and their dates, split them into slices (account × date
 * window, the window size declared by the template), most recent days first, and queue them.
 */
import crypto from 'node:crypto';
import type { AppContext } from '../connections/context.ts';
import { accountSkipReason } from '../domain/connection.ts';
import { addDays, todayIn, windowsRecentFirst } from '../domain/dates.ts';
import { TributaryError } from '../domain/errors.ts';
import type { Extraction, Run, RunWindow, Slice } from '../domain/extraction.ts';
import { accountsRepository } from '../store/accountsRepository.ts';
import { connectionsRepository } from '../store/connectionsRepository.ts';
import { eventsRepository } from '../store/eventsRepository.ts';
import { ownershipRepository } from '../store/ownershipRepository.ts';
import { runsRepository } from '../store/runsRepository.ts';
import { resolveTemplate } from './templateCatalog.ts';

/** Creates a run with its slices and queues them. An extraction whose connection cannot be used gets a failed run. */
export async function startRun(
  context: AppContext,
  extraction: Extraction,
  window: RunWindow,
  trigger: Run['trigger'],
): Promise<Run> {
  const now = context.now();
  const run: Run = {
    id: crypto.randomUUID(),
    extractionId: extraction.id,
    trigger,
    window,
    status: 'queued',
    cancelRequested: false,
    rowsInserted: 0,
    rowsUpdated: 0,
    rowsDeleted: 0,
    apiCalls: 0,
    quotaWaitMs: 0,
    error: null,
    reconciliation: null,
    createdAt: now,
    startedAt: null,
    finishedAt: null,
  };
  // A connection another workspace stopped sharing is gone for this extraction, exactly like a deleted one.
  const connection =
    extraction.connectionId &&
    (await ownershipRepository.belongs(
      context.db,
      'sharedConnection',
      extraction.connectionId,
      extraction.workspaceId,
    ))
      ? await connectionsRepository.get(context.db, extraction.connectionId)
      : null;
  if (connection?.status !== 'active') {
    const error = new TributaryError(
      'connection_not_authorized',
      connection
        ? `The connection is in ${connection.status}; reconnect it`
        : 'The connection of this extraction was deleted (or is no longer shared with this workspace)',
    );
    await context.db.transaction(async (tx) => {
      await runsRepository.insertRun(tx, { ...run, status: 'failed' });
      await runsRepository.updateRun(tx, {
        ...run,
        status: 'failed',
        error: error.toProblem(now),
        finishedAt: now,
      });
      await runsRepository.log(tx, run.id, 'error', error.message, now);
      await eventsRepository.append(
        tx,
        'run.failed',
        run.id,
        { extractionId: extraction.id, code: error.code },
        now,
      );
    });
    return { ...run, status: 'failed', error: error.toProblem(now), finishedAt: now };
  }
  const { template } = await resolveTemplate(context, extraction.templateId);
  const known = await accountsRepository.list(context.db, connection.id);
  const unreportableStatuses =
    context.connectors.get(extraction.dataSource)?.extraction?.unreportableStatuses ?? [];
  const skipReason = (account: Parameters<typeof accountSkipReason>[0]) =>
    accountSkipReason(account, unreportableStatuses);
  // "All accounts" means every account that can have data; named ones that cannot are skipped with the reason.
  const wanted =
    extraction.accounts === 'all' ? known.filter((account) => skipReason(account) === null) : null;
  const accounts =
    wanted ??
    (extraction.accounts as string[]).map(
      (id) =>
        known.find((account) => account.providerAccountId === id) ?? {
          providerAccountId: id,
          name: id,
          timezone: null,
          currency: null,
          lostAt: now,
          selected: true,
          manager: false,
          providerStatus: 'unknown',
        },
    );
  const perAccount = accounts.map((account) => {
    const today = todayIn(account.timezone, now);
    const earliest = addDays(today, -template.historicalDepthDays);
    const from = window.kind === 'lookback' ? addDays(today, -window.days) : window.from;
    const to = window.kind === 'lookback' ? today : window.to;
    // ISO days compare as strings (Math.max would coerce them to NaN).
    const clampedFrom = [from, earliest].sort().at(-1)!;
    const clampedTo = [to, today].sort()[0]!;
    return {
      account,
      skipped: skipReason(account),
      windows:
        clampedFrom <= clampedTo ? windowsRecentFirst(clampedFrom, clampedTo, template.maxWindowDays) : [],
    };
  });
  const slices: Slice[] = [];
  const longest = Math.max(0, ...perAccount.map((entry) => entry.windows.length));
  // Interleave accounts so the most recent days of every account land first.
  for (let index = 0; index < longest; index += 1) {
    for (const { account, skipped, windows } of perAccount) {
      const range = windows[index];
      if (!range) continue;
      slices.push({
        id: crypto.randomUUID(),
        runId: run.id,
        position: slices.length,
        accountId: account.providerAccountId,
        accountName: account.name,
        accountTimezone: account.timezone,
        accountCurrency: account.currency,
        from: range.from,
        to: range.to,
        status: skipped ? 'skipped' : 'queued',
        attempts: 0,
        heartbeatAt: null,
        rowsWritten: 0,
        apiCalls: 0,
        quotaWaitMs: 0,
        error: skipped
          ? { code: 'permission_denied', category: 'permission', message: skipped, at: now.toISOString() }
          : null,
        startedAt: null,
        finishedAt: skipped ? now : null,
      });
    }
  }
  await context.db.transaction(async (tx) => {
    await runsRepository.insertRun(tx, run);
    await runsRepository.insertSlices(tx, slices);
    await runsRepository.log(
      tx,
      run.id,
      'info',
      `Run queued: ${accounts.length} account(s), ${slices.length} slice(s), ${describeWindow(window)}`,
      now,
    );
  });
  const queued = slices.filter((slice) => slice.status === 'queued');
  for (const slice of queued) await context.jobs.runSlice(slice.id);
  if (queued.length === 0) await context.jobs.finalizeRun(run.id);
  return run;
}

function describeWindow(window: RunWindow): string {
  return window.kind === 'lookback'
    ? `the last ${window.days} day(s) and today`
    : `${window.from} to ${window.to}`;
}
