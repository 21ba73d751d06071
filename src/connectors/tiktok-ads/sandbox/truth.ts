/**
 * Ground truth for reconciliation tests: advertiser-level totals per day as of the virtual clock,
 * computed from the same ad-day vectors the report sums — so they equal the rows of an
 * `AUCTION_ADVERTISER` + `stat_time_day` report read at the same clock, exactly.
 *
 * Per advertiser-local day from `from` to `to` (inclusive; days after the clock's today left out):
 * `spend` (currency units), `impressions`, `clicks`, and `conversions` = the report's `conversion`.
 */

import { dayString, localClock, parseDay } from '../../../sandbox/calendar.ts';
import type { SandboxTruthDay } from '../../kit/types.ts';
import { SLOT } from './delivery.ts';
import { entitiesOf } from './entities.ts';
import { dayTotals } from './report-rows.ts';

/** The truth of one advertiser, or null when the sandbox has no such advertiser. */
export function reportTruth(
  advertiserId: string,
  from: string,
  to: string,
  now: Date,
): SandboxTruthDay[] | null {
  const entities = entitiesOf(advertiserId);
  if (!entities) return null;
  const first = parseDay(from);
  const last = parseDay(to);
  if (first === undefined || last === undefined) return [];
  const clock = localClock(now, entities.advertiser.timezone);
  const days: SandboxTruthDay[] = [];
  for (let day = first; day <= Math.min(last, clock.today); day += 1) {
    const total = dayTotals(entities, day, clock);
    days.push({
      date: dayString(day),
      // Integer cents divided once: the nearest double to the exact decimal amount.
      spend: total[SLOT.spend]! / 100,
      impressions: total[SLOT.impressions]!,
      clicks: total[SLOT.clicks]!,
      conversions: total[SLOT.conversion]!,
    });
  }
  return days;
}
