/**
 * Ground truth for reconciliation tests: account-level totals per day as of the virtual clock, summed from
 * the same unit-day-device vectors the reports sum, so they equal a `FROM customer` (or `FROM campaign`)
 * report with `segments.date` read at the same clock, exactly.
 *
 * Per account-local day from `from` to `to` (inclusive; days after the account's today left out):
 * `spend` = Σ cost_micros / 1e6, `impressions`, `clicks`, `conversions` = Σ metrics.conversions.
 */
import { dayString, localClock, parseDay } from '../../../sandbox/calendar.ts';
import type { SandboxTruthDay } from '../../kit/types.ts';
import { addInto, SLOT, unitDay, VECTOR_LENGTH } from './delivery.ts';
import { entitiesOf } from './entities.ts';
import { findCustomer } from './seed.ts';

/** The truth of one customer, or null when the sandbox has no such customer. Managers have no metrics. */
export function reportTruth(
  customerId: string,
  from: string,
  to: string,
  now: Date,
): SandboxTruthDay[] | null {
  const customer = findCustomer(customerId);
  if (!customer) return null;
  const entities = entitiesOf(customerId);
  const first = parseDay(from);
  const last = parseDay(to);
  if (!entities || first === undefined || last === undefined) return [];
  const clock = localClock(now, customer.timeZone);
  const days: SandboxTruthDay[] = [];
  for (let day = first; day <= Math.min(last, clock.today); day += 1) {
    const total = new Float64Array(VECTOR_LENGTH);
    for (const unit of entities.units) {
      for (const { vector } of unitDay(entities, unit, day, clock)) addInto(total, vector);
    }
    days.push({
      date: dayString(day),
      // Integer micros divided once: the nearest double to the exact decimal amount.
      spend: total[SLOT.costMicros]! / 1_000_000,
      impressions: total[SLOT.impressions]!,
      clicks: total[SLOT.clicks]!,
      conversions: total[SLOT.conversions8]! / 8,
    });
  }
  return days;
}
