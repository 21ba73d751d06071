/**
 * What one process knows about each GA4 property's token quotas, from the `propertyQuota` every report page
 * returns: the tokens left this hour (the property's and this project's share) and today, and what a page costs.
 * A read stops before a page that would not fit, with the time the quota refills, instead of running into a 429
 * that Google counts against the property all the same. Shared by every read of one connector instance.
 */
import { type ErrorCode, TributaryError } from '../../domain/errors.ts';
import { sleep } from '../kit/http.ts';
import { QuotaBudget } from '../kit/quotaBudget.ts';
import type { ReadHooks } from '../kit/types.ts';
import { nextHour, nextPacificMidnight } from './errors.ts';
import type { PropertyQuota } from './report-rows.ts';

interface PropertyState {
  /** Tokens left this hour: the smaller of the property's and this project's hourly quota. */
  hourly: number | null;
  daily: number | null;
  /** The most a page of this property has cost (tokens per hour consumed by one request). */
  cost: number;
  /** When the figures were read: hourly figures hold until the next hour, daily ones until Pacific midnight. */
  hourEnds: number;
  dayEnds: number;
}

/** The per-property quota memory of one connector. */
export class PropertyQuotas {
  private readonly budget: QuotaBudget;
  private readonly states = new Map<string, PropertyState>();
  private readonly blockCodes = new Map<string, ErrorCode>();

  constructor(private readonly clock: () => number = Date.now) {
    this.budget = new QuotaBudget(clock);
  }

  private key(propertyId: string): string {
    return `property:${propertyId}`;
  }

  /** Takes in the quota a page reported. */
  observe(propertyId: string, quota: PropertyQuota | null): void {
    if (!quota) return;
    const now = new Date(this.clock());
    const previous = this.states.get(propertyId);
    const hourlies = [quota.tokensPerHour?.remaining, quota.tokensPerProjectPerHour?.remaining].filter(
      (value): value is number => value !== undefined,
    );
    const consumed = quota.tokensPerHour?.consumed ?? quota.tokensPerProjectPerHour?.consumed ?? 0;
    this.states.set(propertyId, {
      hourly: hourlies.length > 0 ? Math.min(...hourlies) : null,
      daily: quota.tokensPerDay?.remaining ?? null,
      cost: Math.max(consumed, previous && previous.hourEnds > now.getTime() ? previous.cost : 1),
      hourEnds: nextHour(now).getTime(),
      dayEnds: nextPacificMidnight(now).getTime(),
    });
  }

  /** Records a refusal (a 429, or our own stop) so every read of the property waits for the same time. */
  block(propertyId: string, code: ErrorCode, until: Date): void {
    this.budget.blockUntil(this.key(propertyId), until);
    this.blockCodes.set(propertyId, code);
  }

  /** The quota error the next page of a property would run into, or null when it fits. */
  private refusal(propertyId: string): TributaryError | null {
    const now = this.clock();
    const until = this.budget.blockedUntil([this.key(propertyId)], now);
    if (until) {
      const code = this.blockCodes.get(propertyId) ?? 'rate_limited';
      return new TributaryError(code, `Google Analytics 4: property ${propertyId} is out of report tokens`, {
        retryAt: until,
        details: { propertyId },
      });
    }
    const state = this.states.get(propertyId);
    if (!state) return null;
    if (state.daily !== null && now < state.dayEnds && state.daily < state.cost) {
      const retryAt = new Date(state.dayEnds);
      this.block(propertyId, 'quota_exhausted', retryAt);
      return new TributaryError(
        'quota_exhausted',
        `Google Analytics 4: property ${propertyId} has ${state.daily} report tokens left today and a page costs about ${state.cost}; stopping before Google refuses`,
        { retryAt, details: { propertyId, remaining: state.daily } },
      );
    }
    if (state.hourly !== null && now < state.hourEnds && state.hourly < state.cost) {
      const retryAt = new Date(state.hourEnds);
      this.block(propertyId, 'rate_limited', retryAt);
      return new TributaryError(
        'rate_limited',
        `Google Analytics 4: property ${propertyId} has ${state.hourly} report tokens left this hour and a page costs about ${state.cost}; stopping before Google refuses`,
        { retryAt, details: { propertyId, remaining: state.hourly } },
      );
    }
    return null;
  }

  /**
   * Waits until the next page of a property fits, when that is within `maxQuotaWaitMs`; otherwise throws the
   * quota error with its `retryAt`.
   */
  async beforePage(propertyId: string, hooks: ReadHooks, maxQuotaWaitMs: number): Promise<void> {
    const error = this.refusal(propertyId);
    if (!error) return;
    const wait = error.retryAt!.getTime() - this.clock();
    if (wait > maxQuotaWaitMs) throw error;
    hooks.onQuotaWait(Math.max(wait, 0));
    await sleep(Math.max(wait, 0), hooks.signal);
    // The refilled quota is unknown until the next answer: forget the old figures.
    this.states.delete(propertyId);
  }
}
