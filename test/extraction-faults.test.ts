/**
 * Every provider fault the sandbox can inject during an extraction ends in a completed run or a
 * failed/partial run with a classified error — and the destination then holds, for every
 * (account, day), either exactly the sandbox's truth or nothing new: no duplicate, no partial day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, eachDay, todayIn } from '../src/domain/dates.ts';
import { approveInSandbox, injectFault, startTestApp, type TestApp, waitFor } from './harness.ts';

interface TruthDay {
  date: string;
  spend: number;
  impressions: number;
  clicks: number;
}

const faults = [
  ['server_error', 1],
  ['server_error', 30],
  ['malformed', 1],
  ['truncated_page', 1],
  ['async_job_failed', 1],
  ['permission_denied', 1],
] as const;

describe('extraction under provider faults', () => {
  let app: TestApp;
  let connectionId: string;
  let extractionId: string;
  let accounts: string[];
  const today = todayIn('UTC', new Date());
  const from = addDays(today, -12);
  const to = addDays(today, -3);

  beforeAll(async () => {
    app = await startTestApp('pglite');
    const created = await app.api.call('createConnection', { body: { dataSource: 'meta-ads' } });
    await approveInSandbox(created.authorizationUrl!, 'alex@example.com');
    connectionId = created.connection.id;
    const connection = await waitFor(
      () => app.api.call('getConnection', { params: { id: connectionId } }),
      (candidate) => candidate.accountStatus === 'ready',
    );
    accounts = connection.accounts.map((account) => account.id);
    const extraction = await app.api.call('createExtraction', {
      body: { connectionId, templateId: 'meta-ads.ad_daily', metrics: ['impressions', 'spend', 'clicks'] },
    });
    extractionId = extraction.id;
  });
  afterAll(async () => {
    await app?.close();
  });

  async function check(): Promise<void> {
    const destination = await app.runtime.context.destinations.get(
      (await app.api.call('getExtraction', { params: { id: extractionId } })).destinationId,
    );
    const ledger = await app.api.call('getExtractionLedger', {
      params: { id: extractionId },
      query: { from, to },
    });
    for (const account of accounts) {
      const url = `${app.url}/sandbox/_control/truth?provider=meta-ads&account=${account}&from=${from}&to=${to}`;
      const truth = new Map(
        ((await (await fetch(url)).json()) as { days: TruthDay[] }).days.map((day) => [day.date, day]),
      );
      const loaded = new Map(
        (
          await destination.dailyTotals('meta_ads_ad_daily', account, from, to, [
            'impressions',
            'clicks',
            'spend',
          ])
        ).map((day) => [day.date, day.values]),
      );
      for (const day of eachDay(from, to)) {
        const state = ledger.items.find((item) => item.accountId === account && item.day === day);
        const ours = loaded.get(day);
        if (state?.completeness === 'loaded') {
          const expected = truth.get(day);
          expect([day, ours?.impressions ?? 0, ours?.clicks ?? 0]).toEqual([
            day,
            expected?.impressions ?? 0,
            expected?.clicks ?? 0,
          ]);
          expect(Math.abs((ours?.spend ?? 0) - (expected?.spend ?? 0))).toBeLessThan(0.005);
        } else if (ours) {
          // A day that failed now keeps what an earlier run loaded: complete, never partial.
          expect(ours.impressions).toBe(truth.get(day)?.impressions);
        }
      }
    }
  }

  for (const [fault, count] of faults) {
    it(`${fault} ×${count}`, async () => {
      await fetch(`${app.url}/sandbox/_control/faults`, { method: 'DELETE' });
      await injectFault(app, fault, count);
      const queued = await app.api.call('startExtractionRun', {
        params: { id: extractionId },
        body: { from, to },
      });
      const run = await waitFor(
        () => app.api.call('getRun', { params: { id: queued.id } }),
        (detail) => ['succeeded', 'partial', 'failed', 'cancelled'].includes(detail.status),
        120_000,
      );
      if (run.status !== 'succeeded') {
        expect(run.error?.category, `${fault}: ${JSON.stringify(run.error)}`).toBeDefined();
        expect(['auth', 'permission', 'quota', 'transient', 'provider']).toContain(run.error!.category);
      }
      await check();
      // Heal whatever the fault broke, so the next case starts clean.
      await fetch(`${app.url}/sandbox/_control/faults`, { method: 'DELETE' });
      const connection = await app.api.call('getConnection', { params: { id: connectionId } });
      if (connection.status !== 'active') {
        await app.api.call('syncConnectionAccounts', { params: { id: connectionId } });
        await waitFor(
          () => app.api.call('getConnection', { params: { id: connectionId } }),
          (candidate) => candidate.status === 'active' && candidate.accountStatus === 'ready',
        );
      }
    });
  }

  it('ends with every day loaded and exact after a clean run', async () => {
    const queued = await app.api.call('startExtractionRun', {
      params: { id: extractionId },
      body: { from, to },
    });
    const run = await waitFor(
      () => app.api.call('getRun', { params: { id: queued.id } }),
      (detail) => ['succeeded', 'partial', 'failed'].includes(detail.status),
      120_000,
    );
    expect(run.status).toBe('succeeded');
    expect(run.reconciliation?.status).toBe('matched');
    await check();
  });

  // Last: the rate limit blocks the account for the next minute for every extraction (the shared budget).
  it('waits for a rate limit to recover instead of burning retries, and can be cancelled meanwhile', async () => {
    await injectFault(app, 'rate_limited', 1);
    const startedAt = Date.now();
    const queued = await app.api.call('startExtractionRun', {
      params: { id: extractionId },
      body: { from, to },
    });
    const waiting = await waitFor(
      () => app.api.call('getRun', { params: { id: queued.id } }),
      (detail) =>
        detail.slices.some((slice) => slice.error?.code === 'rate_limited' && slice.status === 'queued'),
    );
    const limited = waiting.slices.find((slice) => slice.error?.code === 'rate_limited')!;
    // The Meta usage header says when calls may resume; the slice waits for it, without using an attempt.
    expect(limited.quotaWaitMs).toBeGreaterThan(30_000);
    expect(limited.attempts).toBe(0);
    await app.api.call('cancelRun', { params: { id: queued.id } });
    const cancelled = await waitFor(
      () => app.api.call('getRun', { params: { id: queued.id } }),
      (detail) => ['succeeded', 'partial', 'failed', 'cancelled'].includes(detail.status),
    );
    expect(cancelled.status).toBe('cancelled');
    // Cancelling does not wait for the throttle to pass.
    expect(Date.now() - startedAt).toBeLessThan(30_000);
    expect(cancelled.log.map((line) => line.message).join('\n')).toContain('Cancellation requested');
    await check();
  });
});
