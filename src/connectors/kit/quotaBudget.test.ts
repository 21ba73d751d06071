import { describe, expect, it } from 'vitest';
import { InsightsPacer } from '../meta-ads/pacing.ts';
import { QuotaBudget } from './quotaBudget.ts';

describe('quota budget', () => {
  it('keeps the latest block per key and forgets expired ones', () => {
    const budget = new QuotaBudget();
    budget.blockUntil('account:1', new Date(2_000));
    budget.blockUntil('account:1', new Date(1_500));
    expect(budget.blockedUntil(['account:1'], 1_000)?.getTime()).toBe(2_000);
    expect(budget.blockedUntil(['account:2', 'app'], 1_000)).toBeNull();
    expect(budget.blockedUntil(['account:1'], 2_500)).toBeNull();
  });

  it('makes a second read of a throttled account wait without spending a call', async () => {
    const budget = new QuotaBudget();
    const http = { timeoutMs: 1000, maxRetries: 0, retryBaseMs: 1, maxQuotaWaitMs: 50 };
    const hooks = { onApiCall() {}, onQuotaWait() {}, signal: new AbortController().signal };
    const first = new InsightsPacer('42', http, hooks, budget);
    const second = new InsightsPacer('42', http, hooks, budget);
    const other = new InsightsPacer('43', http, hooks, budget);
    first.blocked(new Date(Date.now() + 60_000));
    await expect(second.beforeCall()).rejects.toMatchObject({ code: 'rate_limited' });
    await expect(other.beforeCall()).resolves.toBeUndefined();
  });
});
