/**
 * Ground truth for reconciliation tests: account-level totals per UTC day as of the virtual clock, from the
 * same creative-day vectors the analytics finder sums — so they equal the elements of an ACCOUNT / DAILY
 * report read at the same clock, exactly.
 *
 * `spend` = Σ costInLocalCurrency (currency units), `impressions`, `clicks`, and `conversions` =
 * Σ externalWebsiteConversions (restated for seven days).
 */
import { dayString, parseDay } from '../../../sandbox/calendar.ts';
import type { SandboxTruthDay } from '../../kit/types.ts';
import { addInto, creativeDay, SLOT, utcClock, VECTOR_LENGTH } from './delivery.ts';
import { entitiesOf } from './entities.ts';

/** The truth of one account (decimal id), or null when the sandbox has no such account. */
export function analyticsTruth(
  account: string,
  from: string,
  to: string,
  now: Date,
): SandboxTruthDay[] | null {
  const entities = /^\d{1,18}$/.test(account) ? entitiesOf(Number(account)) : undefined;
  if (!entities) return null;
  const first = parseDay(from);
  const last = parseDay(to);
  if (first === undefined || last === undefined) return [];
  const clock = utcClock(now);
  const days: SandboxTruthDay[] = [];
  for (let day = first; day <= Math.min(last, clock.today); day += 1) {
    const total = new Float64Array(VECTOR_LENGTH);
    for (const creative of entities.creatives) {
      const vector = creativeDay(entities, creative, day, clock);
      if (vector) addInto(total, vector);
    }
    days.push({
      date: dayString(day),
      // Integer thousandths divided once: the nearest double to the exact decimal amount.
      spend: total[SLOT.costLocal]! / 1000,
      impressions: total[SLOT.impressions]!,
      clicks: total[SLOT.clicks]!,
      conversions: total[SLOT.postClickConversions]! + total[SLOT.postViewConversions]!,
      metrics: { costInUsd: total[SLOT.costUsd]! / 1000 },
    });
  }
  return days;
}
