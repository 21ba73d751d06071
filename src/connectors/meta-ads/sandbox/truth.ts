/**
 * Ground truth for reconciliation tests: the account-level totals per day, as of the virtual clock,
 * computed from the same ad-day vectors the insights API sums — so they agree exactly with any level
 * or breakdown of a report read at the same clock.
 *
 * Per account-local day from `from` to `to` (inclusive, days after the clock's today left out):
 * `spend` = Σ ad spend (minor units) / 10^decimals, `impressions` and `clicks` = Σ over ads, and
 * `conversions` = Σ of the `purchase` action's default-attribution count (7d_click + 1d_view), i.e.
 * the `actions` → `purchase` → `value` of a level=account row for that day.
 */

import { dayString, localClock, parseDay } from '../../../sandbox/calendar.ts';
import type { SandboxTruthDay } from '../../kit/types.ts';
import { entitiesOf } from './entities.ts';
import { ACTION_TYPES, adDay, currencyExponent, defaultCount, SLOT } from './metrics.ts';

const PURCHASE = ACTION_TYPES.indexOf('purchase');

/** The truth of one account (bare id; `act_…` accepted), or null when the sandbox has no such account. */
export function insightsTruth(
  account: string,
  from: string,
  to: string,
  now: Date,
): SandboxTruthDay[] | null {
  const entities = entitiesOf(account.replace(/^act_/, ''));
  if (!entities) return null;
  const first = parseDay(from);
  const last = parseDay(to);
  if (first === undefined || last === undefined) return [];
  const clock = localClock(now, entities.account.timezoneName);
  const scale = 10 ** currencyExponent(entities.account.currency);
  const days: SandboxTruthDay[] = [];
  for (let day = first; day <= Math.min(last, clock.today); day += 1) {
    let spend = 0;
    let impressions = 0;
    let clicks = 0;
    let conversions = 0;
    for (const ad of entities.ads) {
      const vector = adDay(entities, ad, day, clock);
      if (!vector) continue;
      spend += vector[SLOT.spend]!;
      impressions += vector[SLOT.impressions]!;
      clicks += vector[SLOT.clicks]!;
      conversions += defaultCount(vector, PURCHASE);
    }
    // Integer minor units divided once: the nearest double to the exact decimal amount.
    days.push({ date: dayString(day), spend: spend / scale, impressions, clicks, conversions });
  }
  return days;
}
