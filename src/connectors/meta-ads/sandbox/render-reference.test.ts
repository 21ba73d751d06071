/**
 * The hot helpers of insights rendering against the implementations they replaced (kept here as
 * oracles): after the CPU work they must give exactly the same text and the same splits, on edge values
 * and on many generated ones. `render-stability.test.ts` checks whole rendered reports.
 */
import { describe, expect, it } from 'vitest';
import { localClock } from '../../../sandbox/calendar.ts';
import { cellGrid, cellWeights, splitInteger, splitVector } from './breakdowns.ts';
import { entitiesOf } from './entities.ts';
import { formatMoney, formatRatio } from './insights-render.ts';
import { adDay, VECTOR_LENGTH } from './metrics.ts';
import { findUserByEmail } from './seed.ts';

const alex = findUserByEmail('alex@example.com')!;
const AS_OF = new Date('2025-03-15T13:30:00Z');

/** The formatting `formatRatio` had before it was optimised: the oracle for the comparison below. */
function referenceRatio(value: number): string {
  const rounded = Number(value.toFixed(6));
  return String(rounded === 0 ? 0 : rounded);
}

describe('formatRatio', () => {
  it('prints exactly as the reference formatting on edge values', () => {
    const edges = [
      0,
      -0,
      1,
      -1,
      0.5,
      0.0000005,
      0.0000004999,
      0.0000015,
      0.000001,
      0.0000009,
      1e-7,
      -1e-7,
      0.1 + 0.2,
      1.0000005,
      2.5e-7,
      123456.1234565,
      999999999.9999995,
      999999999.999999,
      1e9,
      1e9 + 0.5,
      1e12 / 7,
      1e15 / 3,
      1e20 / 3,
      1e21,
      1e22 / 3,
      Number.MAX_SAFE_INTEGER,
      1 / 3,
      2 / 3,
      10 / 3,
      100 / 7,
      1.435,
      37.2,
      0.000123456789,
      8.675e-4,
      4.0000000001,
      1234.5678905,
      -1234.5678905,
    ];
    for (const value of edges) expect([value, formatRatio(value)]).toEqual([value, referenceRatio(value)]);
  });

  it('prints exactly as the reference formatting on ratios of every magnitude', () => {
    // A fixed LCG, so a failure reproduces; ratios of integers are what the renderer formats.
    let state = 12345;
    const next = () => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state;
    };
    for (let index = 0; index < 200_000; index += 1) {
      const numerator = next() % 10 ** (1 + (index % 12));
      const denominator = 1 + (next() % 10 ** (1 + ((index >> 3) % 9)));
      const scale = [1, 100, 1000, 0.01, 0.001][index % 5]!;
      const value = (numerator * scale) / denominator;
      if (formatRatio(value) !== referenceRatio(value)) {
        expect([value, formatRatio(value)]).toEqual([value, referenceRatio(value)]);
      }
    }
  });
});

/** The formatting `formatMoney` had before it was optimised. */
function referenceMoney(minor: number, exponent: number): string {
  if (exponent === 0) return String(minor);
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const fraction = digits.slice(-exponent).replace(/0+$/, '');
  const whole = `${minor < 0 ? '-' : ''}${digits.slice(0, -exponent)}`;
  return fraction ? `${whole}.${fraction}` : whole;
}

/** The largest-remainder split as it was before it was optimised (sort with a comparator). */
function referenceSplit(total: number, weights: number[]): Float64Array {
  const count = weights.length;
  const out = new Float64Array(count);
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
  if (total === 0 || weightSum === 0) return out;
  const exact = total * weightSum <= Number.MAX_SAFE_INTEGER;
  const remainders = new Float64Array(count);
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
      const product = BigInt(total) * BigInt(weight);
      share = Number(product / BigInt(weightSum));
      remainder = Number(product % BigInt(weightSum));
    }
    out[index] = share;
    remainders[index] = weight === 0 ? -1 : remainder;
    given += share;
  }
  const order = Array.from({ length: count }, (_, index) => index).sort(
    (a, b) => remainders[b]! - remainders[a]! || a - b,
  );
  for (let rank = 0; rank < total - given; rank += 1) out[order[rank]!]! += 1;
  return out;
}

/** A fixed LCG, so a failure reproduces. */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state;
  };
}

describe('formatMoney', () => {
  it('prints exactly as the reference formatting', () => {
    const next = lcg(777);
    const values = [0, -0, 5, -5, 100, -100, 3720, 1e15, -1e15 + 1, 999_999_999_999_999, 1e21, 12.5, -0.25];
    for (let index = 0; index < 50_000; index += 1) {
      const magnitude = next() % 10 ** (1 + (index % 9));
      values.push(index % 7 === 0 ? -magnitude : magnitude * (index % 11 === 0 ? 1000 : 1));
    }
    for (const exponent of [0, 2, 3]) {
      for (const value of values) {
        if (formatMoney(value, exponent) !== referenceMoney(value, exponent)) {
          expect([value, exponent, formatMoney(value, exponent)]).toEqual([
            value,
            exponent,
            referenceMoney(value, exponent),
          ]);
        }
      }
    }
  });
});

describe('splitInteger and splitVector', () => {
  it('split exactly as the reference split, ties and zero weights included', () => {
    const next = lcg(4242);
    for (let trial = 0; trial < 20_000; trial += 1) {
      const count = 1 + (next() % (trial % 10 === 0 ? 120 : 25));
      // Few distinct weights, so equal remainders (ties) are common.
      const weights = Array.from({ length: count }, () => (next() % 4 === 0 ? 0 : 1 + (next() % 6)));
      const total = trial % 50 === 0 ? 9_000_000_000_000 + next() : next() % 10 ** (1 + (trial % 7));
      const out = new Float64Array(count);
      splitInteger(total, weights, out);
      const expected = referenceSplit(total, weights);
      if (out.some((part, index) => part !== expected[index])) {
        expect([total, weights, [...out]]).toEqual([total, weights, [...expected]]);
      }
    }
  });

  it('gives the same parts into a reused buffer as into a fresh one', () => {
    const entities = entitiesOf(alex.accounts[0]!.accountId)!;
    const clock = localClock(AS_OF, entities.account.timezoneName);
    const grid = cellGrid(['publisher_platform', 'platform_position']);
    const slots = Array.from({ length: VECTOR_LENGTH }, (_, slot) => slot);
    const reused = new Float64Array(grid.cells.length * VECTOR_LENGTH + 7).fill(42);
    let checked = 0;
    for (const ad of entities.ads) {
      const vector = adDay(entities, ad, clock.today - 2, clock);
      if (!vector) continue;
      const fresh = splitVector(vector, cellWeights(ad.id, grid), slots.slice(0, 40));
      const parts = splitVector(vector, cellWeights(ad.id, grid), slots.slice(0, 40), reused);
      expect([...parts]).toEqual([...fresh]);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(0);
  });
});
