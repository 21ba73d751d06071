/**
 * How a report window is split so no `adAnalytics` answer can reach LinkedIn's cap. `adAnalytics` is unpaginated
 * and silently drops everything past 15,000 elements; a DAILY report returns at most one element per entity and
 * day, so a window of `d` days over `n` entities can return up to `n × d` elements. The plan uses the fewest
 * whole-day windows with `n × d ≤ 15,000` each: `ceil(days / floor(15,000 / n))`; no plan with fewer windows can
 * keep every window under the cap (some window would hold more than `floor(15,000 / n)` days). Days are spread
 * evenly over the windows. Should one day alone exceed the cap (`n > 15,000`), entities are split into groups by
 * the entity facet, one day at a time. Pure: no provider call; exported so benches can check the plan.
 */

import { addDays, daysBetween } from '../../domain/dates.ts';
import { TributaryError } from '../../domain/errors.ts';

/** LinkedIn's silent cap on the elements of one `adAnalytics` answer. */
export const ANALYTICS_ELEMENT_CAP = 15_000;

/** One `adAnalytics` date window (inclusive days). */
export interface AnalyticsWindow {
  from: string;
  to: string;
  days: number;
}

/** The calls one read makes for its report, before any entity finder. */
export interface AnalyticsPlan {
  windows: AnalyticsWindow[];
  /** Entity groups per window: 1 unless one day can exceed the cap; then the entity facet splits them. */
  entityGroups: number;
  /** Requests per window and group: one per chunk of at most 20 fields. */
  fieldChunks: number;
  /** `windows × entityGroups × fieldChunks`. */
  calls: number;
  /** The most elements any one request can return (`entities per group × days of the widest window`). */
  maxElementsPerCall: number;
}

/** Inclusive days of a `YYYY-MM-DD` window; a window that ends before it starts is a caller bug. */
export function windowLength(from: string, to: string): number {
  const days = daysBetween(from, to) + 1;
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(from) ||
    !/^\d{4}-\d{2}-\d{2}$/.test(to) ||
    !Number.isInteger(days) ||
    days < 1
  ) {
    throw new TributaryError('validation_failed', `LinkedIn Ads: invalid date window ${from}..${to}`);
  }
  return days;
}

/** Splits `from..to` into `count` windows of near-equal length, oldest first. */
export function evenWindows(from: string, to: string, count: number): AnalyticsWindow[] {
  const total = windowLength(from, to);
  const windows: AnalyticsWindow[] = [];
  const base = Math.floor(total / count);
  const longer = total % count;
  let start = from;
  for (let index = 0; index < count; index += 1) {
    const days = base + (index < longer ? 1 : 0);
    const end = addDays(start, days - 1);
    windows.push({ from: start, to: end, days });
    start = addDays(end, 1);
  }
  return windows;
}

/**
 * Plans the requests of one read: `entityCount` is how many entities the pivot can return per day (1 for the
 * account pivot; the finder's count for the others), `fieldChunks` how many ≤20-field requests each window needs.
 */
export function planAnalytics(input: {
  from: string;
  to: string;
  entityCount: number;
  fieldChunks: number;
  cap?: number;
}): AnalyticsPlan {
  const cap = input.cap ?? ANALYTICS_ELEMENT_CAP;
  const days = windowLength(input.from, input.to);
  // An account without entities still gets one request (it returns nothing, and proves the token works).
  const entities = Math.max(1, Math.floor(input.entityCount));
  const entityGroups = Math.ceil(entities / cap);
  const perGroup = Math.ceil(entities / entityGroups);
  const daysPerWindow = Math.max(1, Math.floor(cap / perGroup));
  const windowCount = Math.ceil(days / daysPerWindow);
  const windows = evenWindows(input.from, input.to, windowCount);
  const widest = Math.max(...windows.map((window) => window.days));
  return {
    windows,
    entityGroups,
    fieldChunks: input.fieldChunks,
    calls: windowCount * entityGroups * input.fieldChunks,
    maxElementsPerCall: perGroup * widest,
  };
}

/** Splits ids into `groups` near-equal groups, in order. */
export function entityGroupsOf(ids: string[], groups: number): string[][] {
  if (groups <= 1) return [ids];
  const size = Math.ceil(ids.length / groups);
  const result: string[][] = [];
  for (let start = 0; start < ids.length; start += size) result.push(ids.slice(start, start + size));
  return result;
}
