/**
 * Ending a run: reconcile destination totals with the provider's own, per (account, day); set
 * the final status from the slices (a gap is never plain success); record events.
 */
import type { AppContext } from '../connections/context.ts';
import { usableCredential } from '../connections/credentials.ts';
import { asTributaryError } from '../domain/errors.ts';
import {
  finalRunStatus,
  type Reconciliation,
  type Run,
  type Slice,
  terminalSliceStatuses,
} from '../domain/extraction.ts';
import { connectionsRepository } from '../store/connectionsRepository.ts';
import { eventsRepository } from '../store/eventsRepository.ts';
import { extractionsRepository } from '../store/extractionsRepository.ts';
import { runsRepository } from '../store/runsRepository.ts';
import { resolveTemplate } from './templateCatalog.ts';

/** Money and ratios may differ by rounding; counts must match exactly. */
const TOLERANCE = 0.01;

/** Compares destination and provider totals for every account with loaded slices. */
async function reconcile(context: AppContext, run: Run, slices: Slice[]): Promise<Reconciliation> {
  const checkedAt = context.now().toISOString();
  const skipped = (reason: string): Reconciliation => ({
    checkedAt,
    status: 'skipped',
    reason,
    mismatches: [],
    daysCompared: 0,
  });
  const extraction = await extractionsRepository.get(context.db, run.extractionId);
  const connector = extraction ? context.connectors.get(extraction.dataSource) : undefined;
  if (!extraction?.connectionId || !connector?.extraction)
    return skipped('the extraction or its connection is gone');
  const { template } = await resolveTemplate(context, extraction.templateId);
  const columns = connector.extraction.columns({
    template,
    dimensions: extraction.dimensions,
    metrics: extraction.metrics,
    settings: extraction.settings,
  });
  const metrics = connector.extraction.reconcilableMetrics.filter((metric) =>
    columns.some((column) => column.name === metric),
  );
  if (metrics.length === 0) return skipped('the selection has no metric the provider reports totals for');
  const connection = await connectionsRepository.get(context.db, extraction.connectionId);
  if (connection?.status !== 'active') return skipped('the connection is not active');
  const token = await usableCredential(context, connection.id, connector);
  const destination = await context.destinations.get(extraction.destinationId);
  const byAccount = new Map<string, Slice[]>();
  for (const slice of slices.filter((candidate) => candidate.status === 'succeeded')) {
    byAccount.set(slice.accountId, [...(byAccount.get(slice.accountId) ?? []), slice]);
  }
  const mismatches: Reconciliation['mismatches'] = [];
  let daysCompared = 0;
  const abort = new AbortController();
  for (const [accountId, accountSlices] of byAccount) {
    const first = accountSlices[0]!;
    const from = accountSlices.map((slice) => slice.from).sort()[0]!;
    const to = accountSlices
      .map((slice) => slice.to)
      .sort()
      .at(-1)!;
    const provider = await connector.extraction.totals(
      token,
      {
        template,
        dimensions: extraction.dimensions,
        metrics: extraction.metrics,
        settings: extraction.settings,
        account: {
          id: accountId,
          name: first.accountName,
          timezone: first.accountTimezone,
          currency: first.accountCurrency,
        },
        from,
        to,
      },
      { onApiCall: () => {}, onQuotaWait: () => {}, signal: abort.signal },
    );
    const ours = new Map(
      (await destination.dailyTotals(extraction.tableName, accountId, from, to, metrics)).map((day) => [
        day.date,
        day.values,
      ]),
    );
    const days = new Set([...provider.map((day) => day.date), ...ours.keys()]);
    const theirs = new Map(provider.map((day) => [day.date, day.values]));
    for (const date of [...days].sort()) {
      daysCompared += 1;
      for (const metric of metrics) {
        const destinationValue = ours.get(date)?.[metric] ?? 0;
        const providerValue = theirs.get(date)?.[metric] ?? 0;
        if (Math.abs(destinationValue - providerValue) > TOLERANCE) {
          mismatches.push({
            accountId,
            date,
            metric,
            destination: destinationValue,
            provider: providerValue,
          });
        }
      }
    }
  }
  return { checkedAt, status: mismatches.length ? 'mismatched' : 'matched', mismatches, daysCompared };
}

/** Ends a run whose slices have all ended. Idempotent: a second call does nothing. */
export async function finalizeRun(context: AppContext, runId: string): Promise<void> {
  const run = await runsRepository.getRun(context.db, runId);
  if (!run || ['succeeded', 'partial', 'failed', 'cancelled'].includes(run.status)) return;
  const slices = await runsRepository.listSlices(context.db, runId);
  if (!slices.every((slice) => terminalSliceStatuses.includes(slice.status))) return;
  const status = finalRunStatus(slices, run.cancelRequested);
  let reconciliation: Reconciliation | null = null;
  if (status === 'succeeded' || status === 'partial') {
    try {
      reconciliation = await reconcile(context, run, slices);
    } catch (failure) {
      const error = asTributaryError(failure);
      reconciliation = {
        checkedAt: context.now().toISOString(),
        status: 'skipped',
        reason: `${error.code}: ${error.message}`,
        mismatches: [],
        daysCompared: 0,
      };
    }
  }
  const now = context.now();
  await context.db.transaction(async (tx) => {
    const current = await runsRepository.getRun(tx, runId, { forUpdate: true });
    if (!current || ['succeeded', 'partial', 'failed', 'cancelled'].includes(current.status)) return;
    const firstError = slices.find((slice) => slice.error && slice.status !== 'succeeded')?.error ?? null;
    await runsRepository.updateRun(tx, {
      ...current,
      status,
      error: status === 'succeeded' ? null : firstError,
      reconciliation,
      startedAt: current.startedAt ?? now,
      finishedAt: now,
    });
    const summary = `Run ${status}: ${slices.filter((slice) => slice.status === 'succeeded').length}/${slices.length} slice(s) loaded`;
    await runsRepository.log(tx, runId, status === 'succeeded' ? 'info' : 'warn', summary, now);
    if (status === 'failed' || status === 'partial') {
      await eventsRepository.append(
        tx,
        `run.${status}`,
        runId,
        { extractionId: run.extractionId, error: firstError },
        now,
      );
    }
    if (reconciliation?.status === 'mismatched') {
      await runsRepository.log(
        tx,
        runId,
        'warn',
        `Reconciliation: ${reconciliation.mismatches.length} mismatch(es)`,
        now,
      );
      await eventsRepository.append(
        tx,
        'reconciliation.mismatch',
        runId,
        { extractionId: run.extractionId, mismatches: reconciliation.mismatches.slice(0, 20) },
        now,
      );
    }
  });
}
