/**
 * Running one slice (account × date window): read the provider's report through the connector,
 * replace the (account, day) partitions in the destination, record the days in the ledger. A
 * slice is fenced by its attempt number and kept alive by heartbeats, so a stalled or killed
 * worker's slice is picked up again and never runs twice at once.
 */

import type { AppContext } from '../connections/context.ts';
import { usableCredential } from '../connections/credentials.ts';
import { breaksCredential, recordConnectionProblem } from '../connections/health.ts';
import type { CellValue, Connector, ReadHooks } from '../connectors/kit/types.ts';
import { addDays, eachDay, todayIn } from '../domain/dates.ts';
import { asTributaryError, TributaryError } from '../domain/errors.ts';
import { attributionDays, retryDelayMs, type Slice, terminalSliceStatuses } from '../domain/extraction.ts';
import { connectionsRepository } from '../store/connectionsRepository.ts';
import { extractionsRepository } from '../store/extractionsRepository.ts';
import { type LedgerDay, runsRepository } from '../store/runsRepository.ts';
import { resolveTemplate } from './templateCatalog.ts';

/** Engine timings; tests shorten them. */
export interface EngineSettings {
  heartbeatMs: number;
  /** A running slice without a heartbeat for this long is stalled. */
  stallAfterMs: number;
  /** Transient failures are retried this many times. */
  maxAttempts: number;
  retryBaseMs: number;
}

export const defaultEngineSettings: EngineSettings = {
  heartbeatMs: 10_000,
  stallAfterMs: 120_000,
  maxAttempts: 4,
  retryBaseMs: 5_000,
};

/** Claims a queued (or stalled) slice for this worker; returns it with its new attempt number, or null. */
async function claim(
  context: AppContext,
  sliceId: string,
): Promise<{ slice: Slice; cancelled: boolean } | null> {
  const now = context.now();
  return context.db.transaction(async (tx) => {
    const slice = await runsRepository.getSlice(tx, sliceId, { forUpdate: true });
    if (!slice || terminalSliceStatuses.includes(slice.status) || slice.status === 'running') return null;
    const run = await runsRepository.getRun(tx, slice.runId, { forUpdate: true });
    if (!run) return null;
    if (run.cancelRequested) {
      await runsRepository.updateSlice(tx, { ...slice, status: 'cancelled', finishedAt: now });
      return { slice, cancelled: true };
    }
    const claimed: Slice = {
      ...slice,
      status: 'running',
      attempts: slice.attempts + 1,
      heartbeatAt: now,
      startedAt: slice.startedAt ?? now,
    };
    await runsRepository.updateSlice(tx, claimed);
    if (run.status === 'queued')
      await runsRepository.updateRun(tx, { ...run, status: 'running', startedAt: now });
    return { slice: claimed, cancelled: false };
  });
}

/** Finishes the slice if this worker still owns it (same attempt, still running). Returns false if it lost it. */
async function finish(
  context: AppContext,
  owned: Slice,
  update: (current: Slice) => Slice,
  afterwards?: (tx: import('../store/db.ts').Queryable) => Promise<void>,
): Promise<boolean> {
  return context.db.transaction(async (tx) => {
    const current = await runsRepository.getSlice(tx, owned.id, { forUpdate: true });
    if (current?.status !== 'running' || current.attempts !== owned.attempts) return false;
    await runsRepository.updateSlice(tx, update(current));
    await afterwards?.(tx);
    return true;
  });
}

/** Queues the run's finalization once every slice has ended. */
async function finalizeIfDone(context: AppContext, runId: string): Promise<void> {
  if (await runsRepository.allSlicesEnded(context.db, runId)) await context.jobs.finalizeRun(runId);
}

/**
 * Asks `source` for its next batch as soon as the consumer takes the current one, so the provider's next page
 * travels while the destination writes this one (at most one batch ahead: memory stays two pages). A consumer
 * that stops early aborts the read in flight through `abort`, then lets the source release what it holds.
 */
export async function* readAhead<T>(source: AsyncIterable<T>, abort: AbortController): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let pending = iterator.next();
  // A failure of the page read ahead is rethrown when the consumer asks for it, not reported as unhandled.
  pending.catch(() => undefined);
  let finished = false;
  try {
    for (;;) {
      const result = await pending;
      if (result.done) {
        finished = true;
        return;
      }
      pending = iterator.next();
      pending.catch(() => undefined);
      yield result.value;
    }
  } catch (error) {
    finished = true;
    throw error;
  } finally {
    if (!finished) {
      abort.abort();
      await pending.catch(() => undefined);
      await iterator.return?.();
    }
  }
}

/** Runs one slice. Provider and destination failures are recorded, never thrown. */
export async function executeSlice(
  context: AppContext,
  sliceId: string,
  settings: EngineSettings,
): Promise<void> {
  const claimed = await claim(context, sliceId);
  if (!claimed) return;
  if (claimed.cancelled) return finalizeIfDone(context, claimed.slice.runId);
  const slice = claimed.slice;
  const run = (await runsRepository.getRun(context.db, slice.runId))!;
  const abort = new AbortController();
  const counters = { apiCalls: 0, quotaWaitMs: 0, rows: 0 };
  const beat = setInterval(() => {
    void (async () => {
      const fresh = await runsRepository.getSlice(context.db, slice.id);
      const cancelled = (await runsRepository.getRun(context.db, slice.runId))?.cancelRequested;
      // Lost the slice (stalled and handed to another worker) or the run was cancelled: stop reading.
      if (fresh?.status !== 'running' || fresh.attempts !== slice.attempts || cancelled) abort.abort();
      else await runsRepository.heartbeat(context.db, slice.id, context.now());
    })().catch(() => {});
  }, settings.heartbeatMs);
  beat.unref();
  let destinationId: string | null = null;
  /** The credential the read used and who can refresh it, for a token that expires mid-read. */
  let used: { connectionId: string; connector: Connector; accessToken: string } | null = null;
  try {
    const extraction = await extractionsRepository.get(context.db, run.extractionId);
    if (!extraction) throw new TributaryError('not_found', 'The extraction was deleted');
    destinationId = extraction.destinationId;
    const connection = extraction.connectionId
      ? await connectionsRepository.get(context.db, extraction.connectionId)
      : null;
    if (connection?.status !== 'active') {
      throw new TributaryError('connection_not_authorized', 'The connection is not active; reconnect it');
    }
    const connector = context.connectors.get(extraction.dataSource);
    if (!connector?.extraction)
      throw new TributaryError('unknown_data_source', `${extraction.dataSource} cannot be extracted`);
    const { template, baseTemplateId } = await resolveTemplate(context, extraction.templateId);
    const token = await usableCredential(context, connection.id, connector);
    used = { connectionId: connection.id, connector, accessToken: token.accessToken };
    const destination = await context.destinations.get(extraction.destinationId);
    const selection = {
      template,
      dimensions: extraction.dimensions,
      metrics: extraction.metrics,
      settings: extraction.settings,
    };
    const spec = { name: extraction.tableName, columns: connector.extraction.columns(selection) };
    // Once per process and column list (the pool remembers), not once per slice: a run's slices share a table.
    const ensured = await context.destinations.ensureTable(extraction.destinationId, spec);
    if (ensured.addedColumns.length) {
      await runsRepository.log(
        context.db,
        run.id,
        'info',
        `Added column(s) ${ensured.addedColumns.join(', ')}`,
        context.now(),
      );
    }
    const request = {
      ...selection,
      account: {
        id: slice.accountId,
        name: slice.accountName,
        timezone: slice.accountTimezone,
        currency: slice.accountCurrency,
      },
      from: slice.from,
      to: slice.to,
    };
    const hooks: ReadHooks = {
      onApiCall: () => {
        counters.apiCalls += 1;
      },
      onQuotaWait: (ms) => {
        counters.quotaWaitMs += ms;
      },
      signal: abort.signal,
    };
    const read = readAhead(connector.extraction.read(token, request, hooks), abort);
    async function* checked(): AsyncIterable<Record<string, CellValue>[]> {
      for await (const batch of read) {
        for (const row of batch) {
          const day = String(row.date);
          if (day < slice.from || day > slice.to) {
            throw new TributaryError(
              'provider_malformed_response',
              `The provider returned a row for ${day}, outside ${slice.from}..${slice.to}`,
            );
          }
        }
        counters.rows += batch.length;
        yield batch;
      }
    }
    const days = eachDay(slice.from, slice.to);
    const counts = await destination.replacePartitions(
      spec,
      { accountId: slice.accountId, accountName: slice.accountName, dates: days },
      checked(),
      { runId: run.id, insertDate: context.now() },
    );
    if (abort.signal.aborted)
      throw new TributaryError('provider_timeout', 'The slice was cancelled or taken over');
    const now = context.now();
    await destination.recordLoad({
      runId: run.id,
      extractionId: extraction.id,
      table: extraction.tableName,
      accountId: slice.accountId,
      from: slice.from,
      to: slice.to,
      parameters: {
        template: template.id,
        dimensions: extraction.dimensions,
        metrics: extraction.metrics,
        settings: extraction.settings,
        accountTimezone: slice.accountTimezone,
        accountCurrency: slice.accountCurrency,
        connector: connector.id,
        sandbox: connector.sandbox,
      },
      rows: counters.rows,
      loadedAt: now.toISOString(),
    });
    const paidAds = connector.extraction.paidAds;
    if (paidAds?.templates.includes(baseTemplateId ?? template.id)) {
      await destination.refreshPaidAds({
        sourceTable: spec.name,
        sourceColumns: spec.columns.map((column) => column.name),
        dataSource: connector.id,
        accountId: slice.accountId,
        currency: slice.accountCurrency,
        from: slice.from,
        to: slice.to,
        fields: paidAds.fields,
      });
    }
    const finalBefore = addDays(
      todayIn(slice.accountTimezone, now),
      -attributionDays(extraction.settings, template.defaultLookbackDays),
    );
    const ledger: LedgerDay[] = days.map((day) => ({
      accountId: slice.accountId,
      day,
      completeness: 'loaded',
      reason: null,
      finality: day < finalBefore ? 'final' : 'provisional',
      runId: run.id,
      updatedAt: now,
    }));
    await finish(
      context,
      slice,
      (current) => ({
        ...current,
        status: 'succeeded',
        rowsWritten: counters.rows,
        apiCalls: current.apiCalls + counters.apiCalls,
        quotaWaitMs: current.quotaWaitMs + counters.quotaWaitMs,
        error: null,
        finishedAt: now,
      }),
      async (tx) => {
        await runsRepository.addRunCounters(tx, run.id, { ...counts, ...counters });
        await runsRepository.recordDays(tx, extraction.id, ledger);
        await runsRepository.log(
          tx,
          run.id,
          'info',
          `Account ${slice.accountId} ${slice.from}..${slice.to}: ${counters.rows} rows (${counts.inserted} inserted, ${counts.updated} updated, ${counts.deleted} deleted), ${counters.apiCalls} API calls`,
          now,
        );
      },
    );
  } catch (failure) {
    // A table changed behind our back (dropped, altered) must be checked again next time.
    if (destinationId && asTributaryError(failure).category === 'destination')
      context.destinations.forgetTables(destinationId);
    const error = await refreshAfterExpiry(context, asTributaryError(failure), used);
    await handleFailure(context, slice, run.extractionId, error, counters, settings);
  } finally {
    clearInterval(beat);
  }
  await finalizeIfDone(context, slice.runId);
}

/**
 * A token the provider refused as expired, from a connector that can refresh: refresh it (once, shared with every
 * other reader of the credential) and turn the failure into a transient one, so the slice runs again with the new
 * token. A refresh that fails (the grant was revoked) is the error that counts.
 */
async function refreshAfterExpiry(
  context: AppContext,
  error: TributaryError,
  used: { connectionId: string; connector: Connector; accessToken: string } | null,
): Promise<TributaryError> {
  if (error.code !== 'auth_token_expired' || !used?.connector.refresh) return error;
  try {
    await usableCredential(context, used.connectionId, used.connector, { stale: used.accessToken });
  } catch (refreshFailure) {
    return asTributaryError(refreshFailure);
  }
  return new TributaryError(
    'provider_unavailable',
    'The access token expired during the read; it was refreshed and the slice runs again',
  );
}

async function handleFailure(
  context: AppContext,
  slice: Slice,
  extractionId: string,
  error: TributaryError,
  counters: { apiCalls: number; quotaWaitMs: number },
  settings: EngineSettings,
): Promise<void> {
  const now = context.now();
  const run = await runsRepository.getRun(context.db, slice.runId);
  // A run cancelled meanwhile ends the slice, whatever failed: a retry would only wait to be cancelled.
  const cancelled = Boolean(run?.cancelRequested);
  const quotaWait = error.category === 'quota' && !cancelled;
  const retryable = !cancelled && (quotaWait || (error.retryable && slice.attempts < settings.maxAttempts));
  const startAfter = quotaWait
    ? (error.retryAt ?? new Date(now.getTime() + 60_000))
    : new Date(now.getTime() + retryDelayMs(slice.attempts, settings.retryBaseMs, Math.random));
  const problem = {
    code: error.code,
    category: error.category,
    message: error.message,
    at: now.toISOString(),
  };
  const owned = await finish(
    context,
    slice,
    (current) => ({
      ...current,
      status: cancelled ? 'cancelled' : retryable ? 'queued' : 'failed',
      // Waiting for a quota is not a failed attempt: it must not burn the retries.
      attempts: quotaWait ? current.attempts - 1 : current.attempts,
      apiCalls: current.apiCalls + counters.apiCalls,
      quotaWaitMs:
        current.quotaWaitMs +
        counters.quotaWaitMs +
        (quotaWait ? Math.max(0, startAfter.getTime() - now.getTime()) : 0),
      error: problem,
      finishedAt: retryable ? null : now,
    }),
    async (tx) => {
      await runsRepository.addRunCounters(tx, slice.runId, {
        inserted: 0,
        updated: 0,
        deleted: 0,
        apiCalls: counters.apiCalls,
        quotaWaitMs:
          counters.quotaWaitMs + (quotaWait ? Math.max(0, startAfter.getTime() - now.getTime()) : 0),
      });
      await runsRepository.log(
        tx,
        slice.runId,
        retryable ? 'warn' : 'error',
        `Account ${slice.accountId} ${slice.from}..${slice.to}: ${error.code} (${error.category}): ${error.message}` +
          (retryable ? ` — retrying after ${startAfter.toISOString()}` : ''),
        now,
      );
      if (!retryable && !cancelled) {
        await runsRepository.recordDays(
          tx,
          extractionId,
          eachDay(slice.from, slice.to).map((day) => ({
            accountId: slice.accountId,
            day,
            completeness: 'failed' as const,
            reason: `${error.code}: ${error.message}`,
            finality: 'provisional' as const,
            runId: slice.runId,
            updatedAt: now,
          })),
        );
      }
    },
  );
  if (!owned) return;
  if (retryable) {
    await context.jobs.runSlice(slice.id, startAfter);
    return;
  }
  if (breaksCredential(error)) {
    const extraction = await extractionsRepository.get(context.db, extractionId);
    if (extraction?.connectionId) {
      await recordConnectionProblem(context, extraction.connectionId, error, { credentialBroken: true });
    }
    // Every other slice of the run would fail the same way: stop them.
    await runsRepository.cancelQueuedSlices(context.db, slice.runId, now);
  }
}
