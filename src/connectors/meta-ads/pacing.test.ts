/**
 * The pacer's decisions against synthetic header sequences on an injected clock: a small rolling-window
 * budget below answers like Meta (floored `call_count` percentages, a regain estimate in whole minutes only
 * once a call is refused), and a discrete-event loop plays the engine (slices on a few workers, a slice
 * stopped with `rate_limited` is queued again at its `retryAt`). No real time passes.
 */
import { describe, expect, it } from 'vitest';
import { TributaryError } from '../../domain/errors.ts';
import { QuotaBudget } from '../kit/quotaBudget.ts';
import { InsightsPacer } from './pacing.ts';

const ACCOUNT = '120000000000001';
// maxQuotaWaitMs 0: every wait becomes a `rate_limited` with `retryAt`, which the loop below honours.
const http = { timeoutMs: 30_000, maxRetries: 3, retryBaseMs: 500, maxQuotaWaitMs: 0 };
const hooks = { onApiCall() {}, onQuotaWait() {}, signal: new AbortController().signal };

/** A per-account rolling budget of `capacity` calls per `windowMs`, reporting like Meta. */
function metaBudget(capacity: number, windowMs: number) {
  const calls: number[] = [];
  return {
    refused: 0,
    call(at: number): { headers: Headers } | { until: number } {
      while (calls.length > 0 && at - calls[0]! >= windowMs) calls.shift();
      if (calls.length >= capacity) {
        this.refused += 1;
        const regainMinutes = Math.max(1, Math.ceil((calls[0]! + windowMs - at) / 60_000));
        return { until: at + regainMinutes * 60_000 };
      }
      calls.push(at);
      const pct = Math.floor((100 * calls.length) / capacity);
      const usage = {
        [ACCOUNT]: [{ type: 'ads_insights', call_count: pct, estimated_time_to_regain_access: 0 }],
      };
      return { headers: new Headers({ 'x-business-use-case-usage': JSON.stringify(usage) }) };
    },
  };
}

/**
 * Runs `slices` one-call slices on `workers` workers against `server`, each call taking `latencyMs`;
 * returns when the last one finished.
 */
async function extract(input: {
  slices: number;
  workers: number;
  server: ReturnType<typeof metaBudget>;
  latencyMs?: number;
  budget?: QuotaBudget;
  clock?: { now: number };
}): Promise<{ finishedAt: number; budget: QuotaBudget }> {
  const latency = input.latencyMs ?? 20;
  const clock = input.clock ?? { now: 0 };
  const budget = input.budget ?? new QuotaBudget(() => clock.now);
  // Events: a slice ready to start on a free worker, or an answer arriving; ties run in insertion order.
  const events: { at: number; seq: number; run: () => Promise<void> }[] = [];
  let seq = 0;
  const at = (time: number, run: () => Promise<void>) => events.push({ at: time, seq: seq++, run });
  let free = input.workers;
  const waiting: number[] = [];
  let done = 0;
  const startSlice = async (): Promise<void> => {
    const pacer = new InsightsPacer(ACCOUNT, http, hooks, budget);
    try {
      await pacer.beforeCall();
    } catch (error) {
      if (!(error instanceof TributaryError) || !error.retryAt) throw error;
      free += 1;
      at(error.retryAt.getTime(), async () => {
        waiting.push(1);
      });
      return;
    }
    const answer = input.server.call(clock.now);
    at(clock.now + latency, async () => {
      free += 1;
      if ('until' in answer) {
        pacer.blocked(new Date(clock.now + (answer.until - (clock.now - latency))));
        // The engine requeues a refused slice at its retryAt.
        at(clock.now + (answer.until - (clock.now - latency)), async () => {
          waiting.push(1);
        });
        return;
      }
      pacer.observe(answer.headers);
      done += 1;
    });
  };
  for (let index = 0; index < input.slices; index += 1) waiting.push(1);
  while (done < input.slices) {
    while (free > 0 && waiting.length > 0) {
      waiting.pop();
      free -= 1;
      await startSlice();
    }
    events.sort((a, b) => a.at - b.at || a.seq - b.seq);
    const next = events.shift();
    if (!next) throw new Error('stalled');
    clock.now = Math.max(clock.now, next.at);
    await next.run();
  }
  return { finishedAt: clock.now, budget };
}

/** The least time `calls` calls take under `capacity` per `windowMs`: (⌈calls ÷ C⌉ − 1) windows. */
const least = (calls: number, capacity: number, windowMs: number) =>
  (Math.ceil(calls / capacity) - 1) * windowMs;

describe('pacing by the learned rolling window', () => {
  it('spends one refusal to learn the window, then finishes within 10% of the least time (3 per minute)', async () => {
    const server = metaBudget(3, 60_000);
    const { finishedAt, budget } = await extract({ slices: 6, workers: 2, server });
    expect(server.refused).toBe(1);
    expect(finishedAt / least(6, 3, 60_000)).toBeLessThanOrEqual(1.1);
    expect(budget.quota(`account:${ACCOUNT}`, 1).capacity()).toBe(3);
    // The regain estimate bounds the window from above, close to the truth (60 s).
    const window = budget.quota(`account:${ACCOUNT}`, 1).windowMs!;
    expect(window).toBeGreaterThanOrEqual(60_000);
    expect(window).toBeLessThan(60_500);
  });

  it('keeps later windows free of refusals, on more workers than the budget has calls', async () => {
    const server = metaBudget(3, 60_000);
    const { finishedAt } = await extract({ slices: 20, workers: 4, server });
    expect(server.refused).toBe(1);
    expect(finishedAt / least(20, 3, 60_000)).toBeLessThanOrEqual(1.1);
  });

  it('never predicts a departure early when the regain estimate is rounded up to whole minutes', async () => {
    // A 90 s window: the refusal right after the budget filled says "2 minutes", so the window is taken as
    // ≤ 120 s. Later answers can only confirm it (calls go when the model says a slot is free), so each
    // window after the first costs the rounding; what must hold is that no second call is refused.
    const server = metaBudget(5, 90_000);
    const { finishedAt, budget } = await extract({ slices: 30, workers: 2, server });
    expect(server.refused).toBe(1);
    const window = budget.quota(`account:${ACCOUNT}`, 1).windowMs!;
    expect(window).toBeGreaterThanOrEqual(90_000);
    expect(window).toBeLessThanOrEqual(121_000);
    expect(finishedAt / least(30, 5, 90_000)).toBeLessThanOrEqual(121_000 / 90_000);
  });

  it('handles budgets whose percentages do not divide evenly (7 calls: steps of 14 and 15)', async () => {
    const server = metaBudget(7, 60_000);
    const { finishedAt } = await extract({ slices: 29, workers: 3, server });
    expect(server.refused).toBe(1);
    expect(finishedAt / least(29, 7, 60_000)).toBeLessThanOrEqual(1.1);
  });

  it('does not trust steps of 0–1 % (a large budget): no model, no waiting below the threshold', () => {
    let now = 0;
    const budget = new QuotaBudget(() => now);
    const quota = budget.quota(`account:${ACCOUNT}`, 1_000);
    for (const pct of [0, 0, 1, 1, 2, 2, 3]) {
      quota.answered(quota.start(), pct);
      now += 10;
    }
    expect(quota.capacity()).toBeNull();
    expect(quota.waitMs()).toBeNull();
  });

  it('falls back on the fixed pause when a refusal could not be explained by its own calls', async () => {
    let now = 0;
    const budget = new QuotaBudget(() => now);
    const pacer = new InsightsPacer(ACCOUNT, { ...http, maxQuotaWaitMs: 5_000 }, hooks, budget);
    const usage = (pct: number) =>
      new Headers({
        'x-business-use-case-usage': JSON.stringify({
          [ACCOUNT]: [{ type: 'ads_insights', call_count: pct }],
        }),
      });
    // Another client filled the budget: our two calls read 60 % and 80 %, then we are refused.
    for (const pct of [60, 80]) {
      await pacer.beforeCall();
      pacer.observe(usage(pct));
      now += 1_000;
    }
    await pacer.beforeCall();
    pacer.blocked(new Date(now + 60_000));
    expect(budget.quota(`account:${ACCOUNT}`, 1).windowMs).toBeNull();
    now += 60_000;
    await pacer.beforeCall();
    pacer.observe(usage(100));
    // No model of the other client's calls: 60 × retryBaseMs, as before the model existed.
    await expect(pacer.beforeCall()).rejects.toMatchObject({ code: 'rate_limited' });
    // Another reader of the account, which has not called yet, names the account's last utilisation.
    const fresh = new InsightsPacer(ACCOUNT, { ...http, maxQuotaWaitMs: 5_000 }, hooks, budget);
    await expect(fresh.beforeCall()).rejects.toMatchObject({ message: expect.stringContaining('at 100%') });
  });
});
