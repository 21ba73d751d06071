/**
 * Runs one provider's fault cases against a test app: connect the seeded user, load a clean reference table (checked
 * against the sandbox's truth), then for each fault inject it, run the extraction over a window of its own, let the
 * run end, compare (see `ledgerCheck.ts`), and recover as a user would when the outcome says the run can: reconnect
 * after an auth or permission failure, then re-run; re-run after a transient, provider or destination failure.
 */
import { expect } from 'vitest';
import { addDays, todayIn } from '../../src/domain/dates.ts';
import {
  approveInSandbox,
  connectSandboxUser,
  injectFault,
  pendingFaults,
  runEnded,
  sandboxTruth,
  type TestApp,
  waitFor,
} from '../harness.ts';
import type { MatrixLine } from './faultTable.ts';
import { addCount, compareAccount, emptyCount, type LedgerCount } from './ledgerCheck.ts';
import type { FaultCase, ProviderCase } from './providerCases.ts';

type RunDetail = Awaited<ReturnType<typeof runEnded>>;

/** Days per case window; each case gets its own, so nothing an earlier case loaded hides a loss. */
const WINDOW_DAYS = 3;
/** The newest day any case reads: settled days, whose truth does not move during the suite. */
const NEWEST_DAY_OFFSET = -3;

/** One provider's extraction, connected and with its reference loaded. */
export interface PreparedProvider {
  spec: ProviderCase;
  connectionId: string;
  /** The accounts of the main extraction. */
  accounts: string[];
  /** Unused active accounts, for cases that leave an account blocked (long quota waits). */
  spareAccounts: string[];
  extractionId: string;
  table: string;
  destinationId: string;
  referenceTable: string;
  /** Reference rows per account and day, over every case window. */
  reference: Map<string, Map<string, number>>;
  /** The next unused window (counting back from the newest day). */
  nextWindow: number;
}

const window = (index: number): { from: string; to: string } => {
  const newest = addDays(todayIn('UTC', new Date()), NEWEST_DAY_OFFSET - index * WINDOW_DAYS);
  return { from: addDays(newest, 1 - WINDOW_DAYS), to: newest };
};

/** Connects the provider's user, creates the extraction and a reference extraction, and loads the reference. */
export async function prepareProvider(
  app: TestApp,
  spec: ProviderCase,
  windows: number,
  destinationId?: string,
): Promise<PreparedProvider> {
  const connection = await connectSandboxUser(app, spec.email, {
    provider: spec.provider,
    timeoutMs: 60_000,
  });
  const listed = (await app.api.call('listConnectionAccounts', { params: { id: connection.id } })).items;
  const active = listed.filter(
    (account) => account.status === 'active' && !('manager' in account && account.manager),
  );
  expect(active.length, `${spec.provider}: active accounts of ${spec.email}`).toBeGreaterThanOrEqual(
    spec.accounts,
  );
  const accounts = active.slice(0, spec.accounts).map((account) => account.id);
  const body = {
    connectionId: connection.id,
    templateId: spec.templateId,
    metrics: spec.metrics,
    ...(destinationId ? { destinationId } : {}),
  };
  const extraction = await app.api.call('createExtraction', { body: { ...body, accounts } });
  const allIds = active.map((account) => account.id);
  const referenceExtraction = await app.api.call('createExtraction', {
    body: { ...body, accounts: allIds, table: `${extraction.table}_ref` },
  });
  const oldest = window(windows - 1).from;
  const newest = window(0).to;
  const run = await startAndWait(app, referenceExtraction.id, oldest, newest);
  expect(run.status, `${spec.provider} reference run: ${JSON.stringify(run.log.slice(-5))}`).toBe(
    'succeeded',
  );
  const destination = await app.runtime.context.destinations.get(referenceExtraction.destinationId);
  const reference = new Map<string, Map<string, number>>();
  for (const account of allIds) {
    const counts = await destination.dailyRowCounts(referenceExtraction.table, account, oldest, newest);
    reference.set(account, new Map(counts.map((day) => [day.date, day.rows])));
    // The reference itself must equal the truth, or it proves nothing.
    const check = await compareAccount({
      destination,
      table: referenceExtraction.table,
      accountId: account,
      from: oldest,
      to: newest,
      reference: reference.get(account)!,
      truth: await sandboxTruth(app, spec.provider, account, oldest, newest),
      loadedDays: new Set(),
      expected: spec.expected,
      money: spec.money,
    });
    expect(check.problems, `${spec.provider} reference vs truth`).toEqual([]);
  }
  return {
    spec,
    connectionId: connection.id,
    accounts,
    spareAccounts: allIds.slice(spec.accounts),
    extractionId: extraction.id,
    table: extraction.table,
    destinationId: extraction.destinationId,
    referenceTable: referenceExtraction.table,
    reference,
    nextWindow: 0,
  };
}

/** The next unused case window of a prepared provider. */
export function takeWindow(prepared: PreparedProvider): { from: string; to: string } {
  const span = window(prepared.nextWindow);
  prepared.nextWindow += 1;
  return span;
}

/** Starts a run of the extraction over `from`..`to` and waits for it to end. */
export async function startAndWait(
  app: TestApp,
  extractionId: string,
  from: string,
  to: string,
  timeoutMs = 90_000,
) {
  const queued = await app.api.call('startExtractionRun', {
    params: { id: extractionId },
    body: { from, to },
  });
  return runEnded(app, queued.id, timeoutMs);
}

/** Compares the extraction's table with the reference and the truth over one window. */
export async function compareWindow(
  app: TestApp,
  prepared: PreparedProvider,
  extraction: { id: string; table: string; accounts: string[] },
  span: { from: string; to: string },
): Promise<LedgerCount> {
  const destination = await app.runtime.context.destinations.get(prepared.destinationId);
  const ledger = await app.api.call('getExtractionLedger', {
    params: { id: extraction.id },
    query: { ...span, limit: 5000 },
  });
  const total = emptyCount();
  for (const account of extraction.accounts) {
    const loadedDays = new Set(
      ledger.items
        .filter((item) => item.accountId === account && item.completeness === 'loaded')
        .map((item) => item.day),
    );
    addCount(
      total,
      await compareAccount({
        destination,
        table: extraction.table,
        accountId: account,
        ...span,
        reference: prepared.reference.get(account) ?? new Map(),
        truth: await sandboxTruth(app, prepared.spec.provider, account, span.from, span.to),
        loadedDays,
        expected: prepared.spec.expected,
        money: prepared.spec.money,
      }),
    );
  }
  return total;
}

async function clearFaults(app: TestApp): Promise<void> {
  await fetch(`${app.url}/sandbox/_control/faults`, { method: 'DELETE' });
}

/** Authorizes the connection again in the sandbox, as a user answering "reconnect" would. */
export async function reconnect(app: TestApp, connectionId: string, email: string): Promise<void> {
  const started = await app.api.call('reconnectConnection', { params: { id: connectionId }, body: {} });
  if (started.authorizationUrl) {
    const callback = await approveInSandbox(started.authorizationUrl, email);
    expect(callback.status, await callback.clone().text()).toBeLessThan(400);
  }
  await waitFor(
    () => app.api.call('getConnection', { params: { id: connectionId } }),
    (connection) => connection.status === 'active' && connection.accountStatus === 'ready',
    60_000,
  );
}

/** Waits for a run to end, or for it to park a slice on a quota longer than a test waits; the run's state then. */
async function runEndedOrParked(
  app: TestApp,
  runId: string,
  patienceMs: number,
): Promise<{ run: RunDetail; parkedUntil: string | null }> {
  const run = await waitFor(
    () => app.api.call('getRun', { params: { id: runId } }),
    (detail) =>
      ['succeeded', 'partial', 'failed', 'cancelled'].includes(detail.status) ||
      detail.slices.some(
        (slice) =>
          slice.status === 'queued' && slice.error?.category === 'quota' && slice.quotaWaitMs > 30_000,
      ),
    patienceMs,
  );
  const parked = run.slices.find((slice) => slice.status === 'queued' && slice.error?.category === 'quota');
  if (!parked || ['succeeded', 'partial', 'failed', 'cancelled'].includes(run.status))
    return { run, parkedUntil: null };
  const until = /retrying after (\S+)/.exec(
    run.log.filter((line) => line.message.includes(parked.accountId)).at(-1)?.message ?? '',
  )?.[1];
  return { run, parkedUntil: until ?? `+${Math.round(parked.quotaWaitMs / 1000)} s` };
}

async function inject(
  app: TestApp,
  prepared: PreparedProvider,
  fault: FaultCase,
  accounts: string[],
): Promise<void> {
  const injection = fault.injection;
  if (injection.kind === 'sandbox')
    return injectFault(app, injection.fault, injection.count, prepared.spec.provider);
  for (const property of accounts) {
    const response = await fetch(`${app.url}/sandbox/ga4/_control/quota`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ property, tokensPerDay: 0 }),
    });
    expect(response.status, await response.clone().text()).toBe(200);
  }
}

/** Runs one fault case and returns its line of the table (the assertions are the caller's). */
export async function runFaultCase(
  app: TestApp,
  prepared: PreparedProvider,
  fault: FaultCase,
): Promise<MatrixLine> {
  const span = takeWindow(prepared);
  let extraction = { id: prepared.extractionId, table: prepared.table, accounts: prepared.accounts };
  if (fault.longQuota) {
    // The account stays blocked in this process until the reset: give the case an account of its own.
    const account = prepared.spareAccounts.shift() ?? prepared.accounts[0]!;
    const created = await app.api.call('createExtraction', {
      body: {
        connectionId: prepared.connectionId,
        templateId: prepared.spec.templateId,
        metrics: prepared.spec.metrics,
        accounts: [account],
        table: `${prepared.table}_q${prepared.nextWindow}`,
      },
    });
    extraction = { id: created.id, table: created.table, accounts: [account] };
  }
  await clearFaults(app);
  await inject(app, prepared, fault, extraction.accounts);
  const queued = await app.api.call('startExtractionRun', { params: { id: extraction.id }, body: span });
  const { run: first, parkedUntil } = await runEndedOrParked(app, queued.id, fault.patienceMs ?? 120_000);
  // A fault the run never met would make the case prove nothing.
  const pending = (await pendingFaults(app)) as { provider: string }[];
  expect(
    pending.filter((entry) => entry.provider === prepared.spec.provider),
    `${fault.name}: the fault was not served`,
  ).toEqual([]);
  let outcome: string = first.status;
  let category = first.error?.category ?? null;
  let errorCode = first.error?.code ?? null;
  let runs = 1;
  let firstStatus: string = first.status;
  if (parkedUntil) {
    const parked = first.slices.find((slice) => slice.error?.category === 'quota')!;
    category = parked.error!.category;
    errorCode = parked.error!.code;
    await app.api.call('cancelRun', { params: { id: queued.id } });
    const cancelled = await runEnded(app, queued.id, 60_000);
    firstStatus = cancelled.status;
    outcome = `parked until ${parkedUntil.slice(0, 16)}, ${cancelled.status}`;
  }
  const afterFault = await compareWindow(app, prepared, extraction, span);
  const total = addCount(emptyCount(), afterFault);
  let recovered: string | null = null;
  if (first.status !== 'succeeded' && !parkedUntil) {
    await clearFaults(app);
    if (category === 'auth' || category === 'permission')
      await reconnect(app, prepared.connectionId, prepared.spec.email);
    const again = await startAndWait(app, extraction.id, span.from, span.to);
    runs += 1;
    recovered = again.status;
    const afterRecovery = await compareWindow(app, prepared, extraction, span);
    total.lost += afterRecovery.lost;
    total.duplicated += afterRecovery.duplicated;
    total.offTruth += afterRecovery.offTruth;
    total.problems.push(...afterRecovery.problems.map((problem) => `after recovery: ${problem}`));
    if (afterRecovery.notLoaded > 0)
      total.problems.push(`after recovery: ${afterRecovery.notLoaded} days not loaded`);
  }
  await clearFaults(app);
  return {
    fault: fault.name,
    provider: prepared.spec.provider,
    runs,
    outcome: recovered ? `${outcome} → ${recovered}` : outcome,
    firstStatus,
    category,
    recovered,
    parked: Boolean(parkedUntil),
    notLoaded: afterFault.notLoaded,
    lost: total.lost,
    duplicated: total.duplicated,
    offTruth: total.offTruth,
    problems: total.problems,
    errorCode,
  };
}
