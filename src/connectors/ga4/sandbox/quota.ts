/**
 * Data API property quotas on the virtual clock: each `runReport` consumes tokens (1 + rows/1000, rounded up)
 * from its property's hourly and daily budgets and from the project's hourly budget. Hour windows are UTC clock
 * hours, day windows Pacific days, both of the virtual clock, so tests reset them by moving the clock. An
 * exhausted budget turns every request to the property into 429 `RESOURCE_EXHAUSTED` until its window ends.
 */
import { localClock } from '../../../sandbox/calendar.ts';
import { QUOTA, QUOTA_DAY_ZONE } from './constants.ts';

const HOUR_MS = 3_600_000;

/** One quota's state on the wire. */
export interface QuotaStatus {
  consumed: number;
  remaining: number;
}

interface PropertyUsage {
  hour: number;
  hourConsumed: number;
  day: number;
  dayConsumed: number;
}

/** Which budget is exhausted. */
export type Exhausted = 'hour' | 'day' | 'project';

/** Tokens a page of `rows` rows costs. */
export function tokenCost(rows: number): number {
  return 1 + Math.ceil(rows / 1000);
}

/** Token usage per property and for the project, in the current virtual windows. */
export class QuotaBook {
  private readonly properties = new Map<string, PropertyUsage>();
  private project = { hour: -1, consumed: 0, serverErrors: 0 };

  private windows(now: Date): { hour: number; day: number } {
    return { hour: Math.floor(now.getTime() / HOUR_MS), day: localClock(now, QUOTA_DAY_ZONE).today };
  }

  private usage(propertyId: string, now: Date): PropertyUsage {
    const { hour, day } = this.windows(now);
    const usage = this.properties.get(propertyId) ?? { hour, hourConsumed: 0, day, dayConsumed: 0 };
    if (usage.hour !== hour) Object.assign(usage, { hour, hourConsumed: 0 });
    if (usage.day !== day) Object.assign(usage, { day, dayConsumed: 0 });
    this.properties.set(propertyId, usage);
    return usage;
  }

  private projectUsage(now: Date) {
    const { hour } = this.windows(now);
    if (this.project.hour !== hour) this.project = { hour, consumed: 0, serverErrors: 0 };
    return this.project;
  }

  /** The budget that is used up for this property, if any. */
  exhausted(propertyId: string, now: Date): Exhausted | undefined {
    const usage = this.usage(propertyId, now);
    if (usage.dayConsumed >= QUOTA.tokensPerDay) return 'day';
    if (usage.hourConsumed >= QUOTA.tokensPerHour) return 'hour';
    if (this.projectUsage(now).consumed >= QUOTA.tokensPerProjectPerHour) return 'project';
    return undefined;
  }

  /** Consumes `tokens` from the property's and the project's budgets. */
  charge(propertyId: string, tokens: number, now: Date): void {
    const usage = this.usage(propertyId, now);
    usage.hourConsumed += tokens;
    usage.dayConsumed += tokens;
    this.projectUsage(now).consumed += tokens;
  }

  /** Counts a server error against the project's hourly allowance. */
  noteServerError(now: Date): void {
    this.projectUsage(now).serverErrors += 1;
  }

  /** Sets what remains of the property's current hourly and/or daily token budget (the control route). */
  setRemaining(
    propertyId: string,
    remaining: { tokensPerHour?: number; tokensPerDay?: number },
    now: Date,
  ): void {
    const usage = this.usage(propertyId, now);
    if (remaining.tokensPerHour !== undefined)
      usage.hourConsumed = QUOTA.tokensPerHour - remaining.tokensPerHour;
    if (remaining.tokensPerDay !== undefined) usage.dayConsumed = QUOTA.tokensPerDay - remaining.tokensPerDay;
  }

  /**
   * The `propertyQuota` object of a response: `consumed` is what this request used, `remaining` what is left
   * after it (the recorded payloads keep zero values, so they are sent too).
   */
  status(propertyId: string, cost: number, now: Date): Record<string, QuotaStatus> {
    const usage = this.usage(propertyId, now);
    const project = this.projectUsage(now);
    const of = (consumed: number, used: number, limit: number): QuotaStatus => ({
      consumed,
      remaining: Math.max(0, limit - used),
    });
    return {
      tokensPerDay: of(cost, usage.dayConsumed, QUOTA.tokensPerDay),
      tokensPerHour: of(cost, usage.hourConsumed, QUOTA.tokensPerHour),
      // Requests are answered one at a time here, so none other is in flight while this one is.
      concurrentRequests: of(0, 0, QUOTA.concurrentRequests),
      serverErrorsPerProjectPerHour: of(0, project.serverErrors, QUOTA.serverErrorsPerProjectPerHour),
      potentiallyThresholdedRequestsPerHour: of(0, 0, QUOTA.potentiallyThresholdedRequestsPerHour),
      tokensPerProjectPerHour: of(cost, project.consumed, QUOTA.tokensPerProjectPerHour),
    };
  }
}
