/**
 * Pacing of insights calls by Meta's usage headers. Meta reports utilisation (percent of the rolling-hour quota)
 * on every response; once a bucket is exhausted, further calls are rejected and extend the block. So the reader
 * looks at the headers of each answer and, when the ad account is at or above {@link PACE_THRESHOLD_PCT}, waits
 * before its next call, or stops with `rate_limited` (and `retryAt`) when the wait is longer than the engine lets
 * a read sleep (`maxQuotaWaitMs`), so the run is rescheduled instead of holding a worker.
 */

import { TributaryError } from '../../domain/errors.ts';
import { sleep } from '../kit/http.ts';
import { QuotaBudget, type RollingQuota } from '../kit/quotaBudget.ts';
import type { HttpSettings, ReadHooks } from '../kit/types.ts';

/** Utilisation (percent) from which the next call waits. */
export const PACE_THRESHOLD_PCT = 95;

/** What the headers of one response say about the account's quota. */
export interface AccountUsage {
  /** Highest utilisation (percent) among the account's buckets, the insights throttle and the app usage. */
  pct: number;
  /** Longest `estimated_time_to_regain_access` of the account's buckets, in minutes (0 when not blocked). */
  regainMinutes: number;
}

function parseHeader(headers: Headers, name: string): unknown {
  const raw = headers.get(name);
  if (!raw) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    // A garbled usage header must not fail a read whose data is fine; it just gives no pacing signal.
    return undefined;
  }
}

function percentOf(record: unknown, keys: readonly string[]): number {
  if (typeof record !== 'object' || record === null) return 0;
  let max = 0;
  for (const key of keys) {
    const value = (record as Record<string, unknown>)[key];
    if (typeof value === 'number' && Number.isFinite(value) && value > max) max = value;
  }
  return max;
}

/**
 * Reads the usage headers for one ad account (bare id). `x-business-use-case-usage` is keyed by business object
 * id: only the account's own entries count, because the documented example shows other objects near 100% that do
 * not throttle this account. `x-fb-ads-insights-throttle` gives the account's and the app's insights utilisation,
 * `x-app-usage` the app's platform utilisation; an app at its limit rejects every account's calls too.
 */
export function readAccountUsage(headers: Headers, accountId: string): AccountUsage {
  let pct = 0;
  let regainMinutes = 0;
  const buc = parseHeader(headers, 'x-business-use-case-usage');
  if (typeof buc === 'object' && buc !== null) {
    const record = buc as Record<string, unknown>;
    const entries = record[accountId] ?? record[`act_${accountId}`];
    if (Array.isArray(entries)) {
      for (const entry of entries) {
        pct = Math.max(pct, percentOf(entry, ['call_count', 'total_cputime', 'total_time']));
        regainMinutes = Math.max(regainMinutes, percentOf(entry, ['estimated_time_to_regain_access']));
      }
    }
  }
  pct = Math.max(
    pct,
    percentOf(parseHeader(headers, 'x-fb-ads-insights-throttle'), ['acc_id_util_pct', 'app_id_util_pct']),
    percentOf(parseHeader(headers, 'x-app-usage'), ['call_count', 'total_cputime', 'total_time']),
  );
  return { pct, regainMinutes };
}

/**
 * Spaces out one read's calls. Near a full budget it times each call by what the account's
 * {@link RollingQuota} (shared through the {@link QuotaBudget}) learned from Meta's percentages: the call
 * goes when enough of this process's own calls have left the rolling window. Meta never says how long
 * that window is; the model bounds it from the first refusal's regain estimate and from later answers
 * whose `call_count` dropped. Until the per-call step is known (or when the percentages are too coarse,
 * or other clients hold the budget), it falls back on thresholds: `paceMs` at ≥ {@link PACE_THRESHOLD_PCT},
 * 60 × `retryBaseMs` (30 s with the default settings), long enough for a window to move on.
 */
export class InsightsPacer {
  private waitMs = 0;
  private lastUsage: AccountUsage = { pct: 0, regainMinutes: 0 };
  private readonly paceMs: number;
  private readonly quota: RollingQuota;
  /** The call this reader has in flight (a reader's calls are sequential). */
  private current: ReturnType<RollingQuota['start']> | null = null;

  constructor(
    private readonly accountId: string,
    private readonly http: HttpSettings,
    private readonly hooks: ReadHooks,
    /** Shared by every read of the connector, so other extractions of the account wait too. */
    private readonly budget: QuotaBudget = new QuotaBudget(),
  ) {
    this.paceMs = 60 * http.retryBaseMs;
    // A call unanswered after every attempt's timeout has failed; its reader just did not say so.
    this.quota = budget.quota(`account:${accountId}`, http.timeoutMs * (http.maxRetries + 1));
  }

  private get keys(): string[] {
    return [`account:${this.accountId}`, 'app'];
  }

  /** Records a throttle the provider reported (a rejected call's reset time). */
  blocked(until: Date): void {
    this.budget.blockUntil(`account:${this.accountId}`, until);
    if (this.current) {
      this.quota.refused(this.current, until.getTime());
      this.current = null;
    }
  }

  /** Takes the usage headers of a successful response into account for the next call. */
  observe(headers: Headers): void {
    const usage = readAccountUsage(headers, this.accountId);
    this.lastUsage = usage;
    if (this.current) {
      this.quota.answered(this.current, usage.pct);
      this.current = null;
    }
    const now = this.budget.clock();
    this.waitMs = 0;
    if (usage.regainMinutes > 0) this.waitMs = usage.regainMinutes * 60_000;
    // The model times calls near a full budget itself (see beforeCall); thresholds only without it.
    else if (usage.pct >= PACE_THRESHOLD_PCT && this.quota.waitMs() === null) this.waitMs = this.paceMs;
    if (this.waitMs > 0) this.budget.blockUntil(`account:${this.accountId}`, new Date(now + this.waitMs));
  }

  /** What the next call must wait (ms): the longest of the shared block, this read's pause and the model's. */
  private nextWaitMs(): number {
    const now = this.budget.clock();
    const shared = this.budget.blockedUntil(this.keys, now);
    return Math.max(this.waitMs, shared ? shared.getTime() - now : 0, this.quota.waitMs() ?? 0);
  }

  /** Waits as the last headers ask, or throws `rate_limited` when that wait is too long to sleep through. */
  async beforeCall(): Promise<void> {
    // The previous call failed without an answer (not a quota refusal): Meta may still have counted it.
    if (this.current) this.quota.abandoned(this.current);
    this.current = null;
    for (let wait = this.nextWaitMs(); wait > 0; wait = this.nextWaitMs()) {
      if (wait > this.http.maxQuotaWaitMs) {
        const retryAt = new Date(this.budget.clock() + wait);
        // This reader may not have called yet: the account's last answer (any reader's) says more.
        const pct = Math.max(this.lastUsage.pct, this.quota.lastPercent ?? 0);
        throw new TributaryError(
          'rate_limited',
          `Meta Ads: ad account ${this.accountId} is at ${pct}% of its rate limit; ` +
            `reading resumes after ${retryAt.toISOString()}`,
          { retryAt, details: { utilisationPct: pct, paced: true } },
        );
      }
      this.hooks.onQuotaWait(wait);
      await sleep(wait, this.hooks.signal);
      this.waitMs = 0;
    }
    this.current = this.quota.start();
  }
}
