/**
 * Ground truth for reconciliation tests: property-level totals per local day as of the virtual clock, summed
 * from the same traffic cells the Data API reports, so they equal a `date`-only `runReport` read at the same clock
 * exactly. GA4 is not an ads source: spend, impressions and clicks are 0; `conversions` is the day's `keyEvents`;
 * `metrics` carries `sessions`, `screenPageViews`, `keyEvents` and `totalRevenue` (currency units).
 */
import { dayString, localClock, parseDay } from '../../../sandbox/calendar.ts';
import type { SandboxTruthDay } from '../../kit/types.ts';
import { metricNumber } from './report-build.ts';
import { findProperty } from './seed.ts';
import { dayCells, VECTOR_LENGTH } from './traffic.ts';

/** The truth of one property, or null when the sandbox has no such property. */
export function propertyTruth(
  propertyId: string,
  from: string,
  to: string,
  now: Date,
): SandboxTruthDay[] | null {
  const found = findProperty(propertyId);
  if (!found) return null;
  const { property } = found;
  const first = parseDay(from);
  const last = parseDay(to);
  if (first === undefined || last === undefined) return [];
  const clock = localClock(now, property.timeZone);
  const days: SandboxTruthDay[] = [];
  for (let day = first; day <= Math.min(last, clock.today); day += 1) {
    const total = new Float64Array(VECTOR_LENGTH);
    for (const cell of dayCells(property, day, clock)) {
      for (let slot = 0; slot < VECTOR_LENGTH; slot += 1) total[slot]! += cell.values[slot]!;
    }
    const metric = (name: string) => metricNumber(name, total, property.currencyCode);
    days.push({
      date: dayString(day),
      spend: 0,
      impressions: 0,
      clicks: 0,
      conversions: metric('keyEvents'),
      metrics: {
        sessions: metric('sessions'),
        screenPageViews: metric('screenPageViews'),
        keyEvents: metric('keyEvents'),
        totalRevenue: metric('totalRevenue'),
      },
    });
  }
  return days;
}
