/**
 * Generated delivery: the numbers of one delivery unit (an ad, or a Performance Max campaign) on one
 * account-local day and device, as of the virtual clock. Pure functions of (customer, unit, day, device):
 * every random draw happens in a fixed order, so a day's final numbers never depend on the clock; only the
 * partial-day scaling (today) and the conversion restatement (the last 14 days) do.
 *
 * Conversions are kept in eighths (Google reports fractional conversions; eighths sum exactly in doubles),
 * conversion values in cents, cost in micros.
 */
import { type LocalClock, weekday } from '../../../sandbox/calendar.ts';
import { RESTATEMENT_DAYS } from './constants.ts';
import type { CustomerEntities, DeliveryUnit } from './entities.ts';
import { seededRandom } from './seeded-random.ts';

/** Slots of a delivery vector. */
export const SLOT = {
  impressions: 0,
  clicks: 1,
  costMicros: 2,
  interactions: 3,
  /** Conversions × 8. */
  conversions8: 4,
  conversionsValueCents: 5,
  allConversions8: 6,
  allConversionsValueCents: 7,
  viewThroughConversions: 8,
  videoViews: 9,
} as const;

export const VECTOR_LENGTH = 10;

/** Slots restated while a day is younger than the restatement window. */
const RESTATED = [
  SLOT.conversions8,
  SLOT.conversionsValueCents,
  SLOT.allConversions8,
  SLOT.allConversionsValueCents,
];

/** Rough local currency per US dollar, so prices look local. */
const perUsd: Record<string, number> = { USD: 1, EUR: 0.92, GBP: 0.79, AUD: 1.52, CAD: 1.36, JPY: 150 };

/** Device shares of a unit's traffic; video also plays on TVs. */
function devicesOf(channel: string): [string, number][] {
  return channel === 'VIDEO'
    ? [
        ['MOBILE', 0.5],
        ['DESKTOP', 0.2],
        ['TABLET', 0.1],
        ['CONNECTED_TV', 0.2],
      ]
    : [
        ['MOBILE', 0.58],
        ['DESKTOP', 0.34],
        ['TABLET', 0.08],
      ];
}

/**
 * Share of a day's final conversions known `age` days after it: 40% on the day, rising to 100% once the
 * window has passed (most conversions arrive in the first days).
 */
export function restatedShare(age: number): number {
  if (age >= RESTATEMENT_DAYS) return 1;
  const left = (RESTATEMENT_DAYS - age) / RESTATEMENT_DAYS;
  return 1 - 0.6 * left * left;
}

/** One unit's vector on one day and device. */
function unitDeviceDay(
  entities: CustomerEntities,
  unit: DeliveryUnit,
  day: number,
  device: string,
  share: number,
  clock: LocalClock,
): Float64Array | null {
  const campaign = entities.campaigns[unit.campaign]!;
  const random = seededRandom(`${entities.customer.id}|${unit.key}|${day}|${device}`);
  const rate = perUsd[entities.customer.currency] ?? 1;
  const dayFactor = (weekday(day) % 6 === 0 ? 0.8 : 1) * (1 + 0.25 * Math.sin(day / 17));
  const v = new Float64Array(VECTOR_LENGTH);
  const impressions = Math.max(
    1,
    Math.round(unit.dailyImpressions * share * dayFactor * (0.7 + 0.6 * random())),
  );
  const clicks = Math.floor(impressions * unit.ctr * (0.8 + 0.4 * random()) + random());
  const perClick = campaign.channel === 'SEARCH' || campaign.channel === 'SHOPPING';
  const price = unit.priceMicrosUsd * rate * (0.85 + 0.3 * random());
  v[SLOT.impressions] = impressions;
  v[SLOT.clicks] = clicks;
  v[SLOT.costMicros] = Math.round(perClick ? clicks * price : (impressions * price) / 1000);
  v[SLOT.videoViews] = campaign.channel === 'VIDEO' ? Math.floor(impressions * (0.15 + 0.15 * random())) : 0;
  v[SLOT.interactions] = clicks + v[SLOT.videoViews]!;
  const conversions8 = Math.floor(clicks * unit.conversionRate * (0.6 + 0.8 * random()) * 8);
  v[SLOT.conversions8] = conversions8;
  v[SLOT.conversionsValueCents] = Math.round(
    (conversions8 / 8) * unit.valueCentsUsd * rate * (0.8 + 0.4 * random()),
  );
  const extra8 = Math.floor(conversions8 * 0.25 * random());
  v[SLOT.allConversions8] = conversions8 + extra8;
  v[SLOT.allConversionsValueCents] =
    v[SLOT.conversionsValueCents]! + Math.round((extra8 / 8) * unit.valueCentsUsd * rate * 0.5);
  const viewable = campaign.channel === 'DISPLAY' || campaign.channel === 'VIDEO';
  v[SLOT.viewThroughConversions] = viewable ? Math.floor(impressions * 0.0008 * random()) : 0;

  if (day === clock.today) {
    for (let slot = 0; slot < VECTOR_LENGTH; slot += 1) v[slot] = Math.floor((v[slot]! * clock.hour) / 24);
    if (v[SLOT.impressions] === 0) return null;
  }
  const known = restatedShare(clock.today - day);
  for (const slot of RESTATED) v[slot] = Math.floor(v[slot]! * known);
  return v;
}

/** One device's numbers of a unit on a day. */
export interface DeviceDay {
  device: string;
  vector: Float64Array;
}

/** A unit's numbers on a day, per device; empty when it did not deliver (Google leaves such rows out). */
export function unitDay(
  entities: CustomerEntities,
  unit: DeliveryUnit,
  day: number,
  clock: LocalClock,
): DeviceDay[] {
  const campaign = entities.campaigns[unit.campaign]!;
  if (
    day > clock.today ||
    day < campaign.startDay ||
    (campaign.endDay !== undefined && day > campaign.endDay)
  ) {
    return [];
  }
  // Drawn apart from the device numbers, so whether a unit delivered is the same on every device.
  if (seededRandom(`${entities.customer.id}|${unit.key}|${day}`)() < 0.05) return [];
  const days: DeviceDay[] = [];
  for (const [device, share] of devicesOf(campaign.channel)) {
    const vector = unitDeviceDay(entities, unit, day, device, share, clock);
    if (vector) days.push({ device, vector });
  }
  return days;
}

/** Adds `source` into `target`, slot by slot. */
export function addInto(target: Float64Array, source: Float64Array): void {
  for (let slot = 0; slot < VECTOR_LENGTH; slot += 1) target[slot]! += source[slot]!;
}

/**
 * Splits an integer vector over parts with the given weights, slot by slot, by largest remainder: the
 * parts are integers and sum exactly to the whole (keyword rows sum to their ad group, terms to keywords).
 */
export function splitVector(whole: Float64Array, weights: readonly number[]): Float64Array[] {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const parts = weights.map(() => new Float64Array(VECTOR_LENGTH));
  for (let slot = 0; slot < VECTOR_LENGTH; slot += 1) {
    const amount = whole[slot]!;
    const exact = weights.map((weight) => (amount * weight) / total);
    let left = amount;
    exact.forEach((value, index) => {
      parts[index]![slot] = Math.floor(value);
      left -= Math.floor(value);
    });
    const order = exact
      .map((value, index) => ({ index, fraction: value - Math.floor(value) }))
      .sort((a, b) => b.fraction - a.fraction || a.index - b.index);
    for (let index = 0; left > 0; index += 1, left -= 1)
      parts[order[index % order.length]!.index]![slot]! += 1;
  }
  return parts;
}
