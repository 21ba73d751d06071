/**
 * Insights breakdowns: which ones the sandbox models, which combinations Meta refuses, and the exact
 * integer split of an ad-day vector over breakdown cells.
 *
 * Splits use the largest-remainder method on integers (counts, and money in minor units), so the cells
 * of an ad-day always add up to the unbroken ad-day exactly; every higher level is a sum of ad-days, so
 * the same holds for campaigns, ad sets and the account. Impressions are split first by a per-ad
 * audience profile; every other metric is then split in proportion to the cell's impressions (times a
 * small per-cell bias so rates differ by cell), so a cell without impressions gets nothing and Meta's
 * "no row without delivery" rule holds per cell too. Purchase values follow their cell's purchases.
 */
import { hash53 } from './hash.ts';
import { countSlotOfValue, SLOT, VECTOR_LENGTH } from './metrics.ts';

/** Values and relative audience sizes of each modelled breakdown. */
const profiles: Record<string, Record<string, number>> = {
  age: { '13-17': 1, '18-24': 8, '25-34': 14, '35-44': 12, '45-54': 8, '55-64': 5, '65+': 3 },
  gender: { female: 10, male: 9, unknown: 1 },
  country: { US: 12, GB: 4, DE: 4, FR: 3, CA: 3, AU: 2, BR: 2, IN: 2 },
  publisher_platform: { facebook: 12, instagram: 10, audience_network: 2, messenger: 1 },
  device_platform: { mobile_app: 12, mobile_web: 3, desktop: 2 },
  impression_device: { android_smartphone: 8, iphone: 9, android_tablet: 1, ipad: 1, desktop: 2, other: 1 },
};

/** `platform_position` values exist only under their publisher platform (`feed` under two of them). */
const positions: Record<string, Record<string, number>> = {
  facebook: {
    feed: 10,
    facebook_reels: 4,
    facebook_stories: 3,
    marketplace: 2,
    video_feeds: 2,
    search: 1,
    right_hand_column: 1,
    instream_video: 1,
  },
  instagram: {
    feed: 8,
    instagram_stories: 5,
    instagram_reels: 6,
    instagram_explore: 2,
    instagram_profile_feed: 1,
  },
  audience_network: { an_classic: 3, rewarded_video: 1 },
  messenger: { messenger_inbox: 2, messenger_stories: 1 },
};

/** Breakdowns the sandbox can split by. */
export const MODELLED_BREAKDOWNS: ReadonlySet<string> = new Set([
  ...Object.keys(profiles),
  'platform_position',
]);

const groupOf: Record<string, 'demographic' | 'geo' | 'delivery'> = {
  age: 'demographic',
  gender: 'demographic',
  country: 'geo',
  publisher_platform: 'delivery',
  platform_position: 'delivery',
  device_platform: 'delivery',
  impression_device: 'delivery',
};

/**
 * The combination rules, after Meta's breakdown documentation ("only some permutations are available")
 * and errors seen in the wild. Returns true when Meta would refuse the set:
 * 1. `platform_position` needs `publisher_platform` (positions are per platform);
 * 2. one family per request: demographics (`age`, `gender`), geography (`country`) and delivery
 *    (`publisher_platform`, `platform_position`, `device_platform`, `impression_device`) do not mix;
 * 3. `device_platform` and `impression_device` are two views of the device and do not combine.
 */
export function invalidCombination(breakdowns: readonly string[]): boolean {
  const has = (name: string) => breakdowns.includes(name);
  if (has('platform_position') && !has('publisher_platform')) return true;
  if (new Set(breakdowns.map((name) => groupOf[name])).size > 1) return true;
  return has('device_platform') && has('impression_device');
}

/** One axis of the cell grid: one breakdown, or publisher platform and position together. */
interface Axis {
  keys: string[];
  tuples: { values: string[]; size: number }[];
}

function axesOf(breakdowns: readonly string[]): Axis[] {
  const axes: Axis[] = [];
  for (const name of breakdowns) {
    if (name === 'platform_position') continue;
    if (name === 'publisher_platform' && breakdowns.includes('platform_position')) {
      const tuples = Object.entries(positions).flatMap(([platform, byPosition]) =>
        Object.entries(byPosition).map(([position, size]) => ({
          values: [platform, position],
          size: profiles.publisher_platform![platform]! * size,
        })),
      );
      axes.push({ keys: ['publisher_platform', 'platform_position'], tuples });
      continue;
    }
    const tuples = Object.entries(profiles[name]!).map(([value, size]) => ({ values: [value], size }));
    axes.push({ keys: [name], tuples });
  }
  return axes;
}

/** The cells of a breakdown request: the cartesian product of its axes, in a fixed order. */
export interface CellGrid {
  /** Breakdown keys of each cell, in the order the request named them. */
  cells: Record<string, string>[];
  /** Per-cell audience size before the per-ad variation. */
  sizes: number[];
  /** Cache key of the grid. */
  signature: string;
}

/** Builds the grid for a validated breakdown list (empty list → one cell without keys). */
export function cellGrid(breakdowns: readonly string[]): CellGrid {
  let cells: { values: Record<string, string>; size: number }[] = [{ values: {}, size: 1 }];
  for (const axis of axesOf(breakdowns)) {
    cells = cells.flatMap((cell) =>
      axis.tuples.map((tuple) => {
        const values = { ...cell.values };
        axis.keys.forEach((key, index) => {
          values[key] = tuple.values[index]!;
        });
        return { values, size: cell.size * tuple.size };
      }),
    );
  }
  // Key order follows the request, as Meta echoes breakdowns in the order asked.
  const ordered = cells.map((cell) =>
    Object.fromEntries(breakdowns.map((name) => [name, cell.values[name]!])),
  );
  return { cells: ordered, sizes: cells.map((cell) => cell.size), signature: breakdowns.join(',') };
}

/** Per-ad weights of a grid: audience size × a per-ad factor, plus per-cell rate biases. */
export interface CellWeights {
  impressions: Float64Array;
  /** Bias (1–3) of clicks and actions per cell. */
  actionBias: Float64Array;
  /** Bias (1–3) of spend per cell (CPMs differ by placement and audience). */
  moneyBias: Float64Array;
}

/** Weights of one ad over a grid; deterministic from the ad id. */
export function cellWeights(adId: string, grid: CellGrid): CellWeights {
  const count = grid.cells.length;
  const weights: CellWeights = {
    impressions: new Float64Array(count),
    actionBias: new Float64Array(count),
    moneyBias: new Float64Array(count),
  };
  grid.cells.forEach((cell, index) => {
    const label = `${adId}|${Object.values(cell).join('|')}`;
    const h = hash53(label);
    weights.impressions[index] = grid.sizes[index]! * (5 + (h % 11));
    weights.actionBias[index] = 1 + (Math.floor(h / 11) % 3);
    weights.moneyBias[index] = 1 + (Math.floor(h / 33) % 3);
  });
  return weights;
}

/** Scratch space of {@link splitInteger}, grown on demand: splits run per slot of every ad-day. */
let remainders = new Float64Array(64);
let order = new Int32Array(64);

/**
 * Splits the integer `total` over `weights` by largest remainder into `out` (at `offset`, every
 * `stride`-th element): the parts are integers, sum to `total`, and a zero weight gets zero.
 */
export function splitInteger(
  total: number,
  weights: ArrayLike<number>,
  out: Float64Array,
  offset = 0,
  stride = 1,
): void {
  const count = weights.length;
  let weightSum = 0;
  for (let index = 0; index < count; index += 1) weightSum += weights[index]!;
  if (total === 0 || weightSum === 0) {
    for (let index = 0; index < count; index += 1) out[offset + index * stride] = 0;
    return;
  }
  if (remainders.length < count) {
    remainders = new Float64Array(count * 2);
    order = new Int32Array(count * 2);
  }
  const exact = total * weightSum <= Number.MAX_SAFE_INTEGER;
  let given = 0;
  for (let index = 0; index < count; index += 1) {
    const weight = weights[index]!;
    let share: number;
    let remainder: number;
    if (exact) {
      const product = total * weight;
      share = Math.floor(product / weightSum);
      remainder = product - share * weightSum;
    } else {
      // Beyond 2^53 the products lose precision; BigInt keeps the split exact.
      const product = BigInt(total) * BigInt(weight);
      share = Number(product / BigInt(weightSum));
      remainder = Number(product % BigInt(weightSum));
    }
    out[offset + index * stride] = share;
    remainders[index] = weight === 0 ? -1 : remainder;
    given += share;
  }
  const left = total - given;
  if (left <= 0) return;
  // The units left go to the largest remainders, ties to the lower index: an insertion sort of the
  // indexes (a few dozen at most) in that order, without a comparator call per comparison.
  for (let index = 0; index < count; index += 1) {
    const remainder = remainders[index]!;
    let position = index;
    while (position > 0 && remainders[order[position - 1]!]! < remainder) {
      order[position] = order[position - 1]!;
      position -= 1;
    }
    order[position] = index;
  }
  for (let rank = 0; rank < Math.min(left, count); rank += 1) out[offset + order[rank]! * stride]! += 1;
}

/** Per-cell scratch of {@link splitVector}. */
let cellImpressions = new Float64Array(64);
let byActions = new Float64Array(64);
let bySpend = new Float64Array(64);

/**
 * Splits an ad-day vector over the grid. Only `slots` (plus impressions) are split; the others stay 0.
 * Returns one vector per cell, packed: cell `c` occupies `[c × VECTOR_LENGTH, (c + 1) × VECTOR_LENGTH)`.
 * `into`, when given and long enough, is reused (and overwritten) instead of allocating the result.
 */
export function splitVector(
  vector: Float64Array,
  weights: CellWeights,
  slots: readonly number[],
  into?: Float64Array,
): Float64Array {
  const count = weights.impressions.length;
  const size = count * VECTOR_LENGTH;
  let out: Float64Array;
  if (into && into.length >= size) {
    out = into.length === size ? into : into.subarray(0, size);
    out.fill(0);
  } else out = new Float64Array(size);
  splitInteger(vector[SLOT.impressions]!, weights.impressions, out, SLOT.impressions, VECTOR_LENGTH);
  if (cellImpressions.length < count) {
    cellImpressions = new Float64Array(count * 2);
    byActions = new Float64Array(count * 2);
    bySpend = new Float64Array(count * 2);
  }
  // Views of exactly `count` cells: splitInteger reads the basis length as the number of cells.
  const impressions = cellImpressions.subarray(0, count);
  const actions = byActions.subarray(0, count);
  const spend = bySpend.subarray(0, count);
  for (let cell = 0; cell < count; cell += 1) {
    const cellImpression = out[cell * VECTOR_LENGTH]!;
    impressions[cell] = cellImpression;
    actions[cell] = cellImpression * weights.actionBias[cell]!;
    spend[cell] = cellImpression * weights.moneyBias[cell]!;
  }
  for (const slot of slots) {
    if (slot === SLOT.impressions || countSlotOfValue(slot) !== undefined) continue;
    // Reach follows impressions exactly, which keeps reach ≤ impressions in every cell.
    const basis = slot === SLOT.reach ? impressions : slot === SLOT.spend ? spend : actions;
    splitInteger(vector[slot]!, basis, out, slot, VECTOR_LENGTH);
  }
  // A value is its count times the ad-day's order value, so each cell's value follows its own count
  // exactly: no cell has purchase value without purchases, and the cells still sum to the total.
  for (const slot of slots) {
    const countSlot = countSlotOfValue(slot);
    if (countSlot === undefined) continue;
    const total = vector[countSlot]!;
    const orderValue = total > 0 ? vector[slot]! / total : 0;
    for (let cell = 0; cell < count; cell += 1) {
      out[cell * VECTOR_LENGTH + slot] = out[cell * VECTOR_LENGTH + countSlot]! * orderValue;
    }
  }
  return out;
}
