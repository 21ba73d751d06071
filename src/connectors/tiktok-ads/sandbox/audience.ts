/**
 * Audience breakdowns (`report_type=AUDIENCE`): every ad-day vector is split over age × gender ×
 * country cells with integer largest-remainder splits, so the cells of a slot always add up to exactly
 * the ad's total — any audience report sums to the same numbers as the BASIC report and `truth()`.
 */

import { VECTOR_LENGTH } from './delivery.ts';
import type { AdvertiserEntities, SandboxAd } from './entities.ts';
import { seededRandom } from './hash.ts';

/** TikTok's age buckets, in its order. */
export const AGES = ['AGE_13_17', 'AGE_18_24', 'AGE_25_34', 'AGE_35_44', 'AGE_45_54', 'AGE_55_100'] as const;

/** TikTok's gender values (`NONE`: unknown). */
export const GENDERS = ['MALE', 'FEMALE', 'NONE'] as const;

/** Audience dimensions the sandbox implements. */
export const AUDIENCE_DIMENSIONS = ['age', 'gender', 'country_code'] as const;
export type AudienceDimension = (typeof AUDIENCE_DIMENSIONS)[number];

/** One audience cell. */
export interface AudienceCell {
  age: string;
  gender: string;
  country_code: string;
}

/** Countries an advertiser's ads reach: its own market first, then two neighbours. */
export function countriesOf(entities: AdvertiserEntities): string[] {
  const home = entities.advertiser.country;
  const others = ['US', 'GB', 'DE', 'FR', 'CA'].filter((code) => code !== home);
  return [home, others[0]!, others[1]!];
}

/** Every cell of an advertiser, in a stable order. */
export function cellsOf(entities: AdvertiserEntities): AudienceCell[] {
  const cells: AudienceCell[] = [];
  for (const age of AGES) {
    for (const gender of GENDERS) {
      for (const country of countriesOf(entities)) cells.push({ age, gender, country_code: country });
    }
  }
  return cells;
}

/** Splits `total` into integers proportional to `weights` (which sum to 1), exactly. */
function splitInteger(total: number, weights: readonly number[]): number[] {
  const raw = weights.map((weight) => total * weight);
  const parts = raw.map(Math.floor);
  let left = total - parts.reduce((sum, part) => sum + part, 0);
  const order = raw.map((value, index) => ({ index, rest: value - Math.floor(value) }));
  order.sort((a, b) => b.rest - a.rest || a.index - b.index);
  for (const { index } of order) {
    if (left <= 0) break;
    parts[index]! += 1;
    left -= 1;
  }
  return parts;
}

/** `base` jittered by ±30 % per entry (seeded by `label`), normalised to sum to one. */
function unitWeights(label: string, base: readonly number[]): number[] {
  const random = seededRandom(label);
  const jittered = base.map((weight) => weight * (0.7 + 0.6 * random()));
  const sum = jittered.reduce((total, weight) => total + weight, 0);
  return jittered.map((weight) => weight / sum);
}

const weightCache = new Map<string, number[]>();

/** The ad's audience mix over {@link cellsOf} (fixed per ad; same cell order for every advertiser). */
function cellWeights(ad: SandboxAd): number[] {
  const cached = weightCache.get(ad.id);
  if (cached) return cached;
  const ages = unitWeights(`${ad.id}/age`, [0.04, 0.3, 0.33, 0.18, 0.1, 0.05]);
  const genders = unitWeights(`${ad.id}/gender`, [0.47, 0.48, 0.05]);
  const countries = unitWeights(`${ad.id}/country`, [0.8, 0.12, 0.08]);
  const weights: number[] = [];
  for (const age of ages)
    for (const gender of genders) for (const country of countries) weights.push(age * gender * country);
  weightCache.set(ad.id, weights);
  return weights;
}

/** Splits an ad-day vector over the advertiser's cells; element `i` belongs to `cellsOf(...)[i]`. */
export function splitVector(ad: SandboxAd, vector: Float64Array): Float64Array[] {
  const weights = cellWeights(ad);
  const cells = weights.map(() => new Float64Array(VECTOR_LENGTH));
  for (let slot = 0; slot < VECTOR_LENGTH; slot += 1) {
    const parts = splitInteger(vector[slot]!, weights);
    parts.forEach((part, cell) => {
      cells[cell]![slot] = part;
    });
  }
  return cells;
}
