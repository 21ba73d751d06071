import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addMonths, dayString, localClock, parseDay } from '../../../sandbox/calendar.ts';
import { cellGrid, cellWeights, invalidCombination, splitInteger, splitVector } from './breakdowns.ts';
import { entitiesOf, findAccount } from './entities.ts';
import { formatMoney, formatRatio } from './insights-render.ts';
import { ACTION_TYPES, actionSlot, adDay, restate, SLOT, VECTOR_LENGTH, WINDOWS } from './metrics.ts';
import { findUserByEmail, seedUsers } from './seed.ts';

describe('largest-remainder splits', () => {
  it('give integers that sum to the total, and nothing to zero weights', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50_000_000 }),
        fc.array(fc.integer({ min: 0, max: 2_000_000 }), { minLength: 1, maxLength: 120 }),
        (total, weights) => {
          fc.pre(weights.some((weight) => weight > 0));
          const out = new Float64Array(weights.length);
          splitInteger(total, weights, out);
          expect(out.reduce((sum, part) => sum + part, 0)).toBe(total);
          out.forEach((part, index) => {
            expect(Number.isInteger(part)).toBe(true);
            if (weights[index] === 0) expect(part).toBe(0);
          });
        },
      ),
    );
  });

  it('stays exact beyond 2^53 products', () => {
    const out = new Float64Array(3);
    splitInteger(9_000_000_000_000, [3_000_000, 1, 2_999_999], out);
    expect(out.reduce((sum, part) => sum + part, 0)).toBe(9_000_000_000_000);
  });

  it('split ad-days add back up slot by slot, with reach ≤ impressions per cell', () => {
    const entities = entitiesOf(findUserByEmail('alex@example.com')!.accounts[0]!.accountId)!;
    const clock = localClock(new Date('2030-06-15T15:30:00Z'), entities.account.timezoneName);
    const grid = cellGrid(['publisher_platform', 'platform_position', 'impression_device']);
    const slots = Array.from({ length: VECTOR_LENGTH }, (_, slot) => slot);
    let checked = 0;
    for (const ad of entities.ads) {
      const vector = adDay(entities, ad, clock.today - 3, clock);
      if (!vector) continue;
      const parts = splitVector(vector, cellWeights(ad.id, grid), slots);
      for (let slot = 0; slot < VECTOR_LENGTH; slot += 1) {
        let sum = 0;
        for (let cell = 0; cell < grid.cells.length; cell += 1) sum += parts[cell * VECTOR_LENGTH + slot]!;
        expect(sum).toBe(vector[slot]);
      }
      for (let cell = 0; cell < grid.cells.length; cell += 1) {
        const base = cell * VECTOR_LENGTH;
        expect(parts[base + SLOT.reach]!).toBeLessThanOrEqual(parts[base + SLOT.impressions]!);
      }
      checked += 1;
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('breakdown rules', () => {
  it('refuses the documented combinations and allows the usual ones', () => {
    expect(invalidCombination(['platform_position'])).toBe(true);
    expect(invalidCombination(['age', 'country'])).toBe(true);
    expect(invalidCombination(['gender', 'publisher_platform'])).toBe(true);
    expect(invalidCombination(['device_platform', 'impression_device'])).toBe(true);
    expect(invalidCombination(['age', 'gender'])).toBe(false);
    expect(invalidCombination(['publisher_platform', 'platform_position', 'device_platform'])).toBe(false);
    // Positions exist only under their platform.
    const grid = cellGrid(['publisher_platform', 'platform_position']);
    expect(grid.cells).toContainEqual({
      publisher_platform: 'instagram',
      platform_position: 'instagram_reels',
    });
    expect(grid.cells).not.toContainEqual({
      publisher_platform: 'facebook',
      platform_position: 'instagram_reels',
    });
  });
});

describe('daily metrics', () => {
  const entities = entitiesOf(seedUsers[0]!.accounts[1]!.accountId)!;
  const ad = entities.ads[0]!;
  const at = (iso: string) => localClock(new Date(iso), entities.account.timezoneName);

  it('restate conversions monotonically to their final value within a week', () => {
    for (const count of [0, 1, 7, 100, 12_345]) {
      const values = Array.from({ length: 10 }, (_, age) => restate(count, age));
      for (let age = 1; age < values.length; age += 1)
        expect(values[age]).toBeGreaterThanOrEqual(values[age - 1]!);
      expect(values[7]).toBe(count);
      expect(values.every(Number.isInteger)).toBe(true);
    }
  });

  it('are a pure function of account, ad, day and clock, final for delivery once the day is over', () => {
    const clock = at('2030-06-15T15:30:00Z');
    const day = clock.today - 2;
    const first = adDay(entities, ad, day, clock);
    expect(adDay(entities, ad, day, clock)).toEqual(first);
    const later = adDay(entities, ad, day, at('2030-06-25T15:30:00Z'));
    if (first && later) {
      for (const slot of [SLOT.impressions, SLOT.clicks, SLOT.spend, SLOT.reach])
        expect(later[slot]).toBe(first[slot]);
      const purchase = ACTION_TYPES.indexOf('purchase');
      for (let component = 0; component < WINDOWS.length; component += 1) {
        expect(later[actionSlot(purchase, component)]!).toBeGreaterThanOrEqual(
          first[actionSlot(purchase, component)]!,
        );
      }
    }
    expect(adDay(entities, ad, clock.today + 1, clock)).toBeNull();
  });

  it('build the same entities every time, with 2–4 campaigns, 1–3 ad sets and 1–3 ads each', () => {
    for (const user of seedUsers) {
      for (const account of user.accounts.slice(0, 30)) {
        const tree = entitiesOf(account.accountId)!;
        expect(findAccount(account.accountId)!.owner).toBe(user);
        expect(tree.campaigns.length).toBeGreaterThanOrEqual(2);
        expect(tree.campaigns.length).toBeLessThanOrEqual(4);
        tree.campaigns.forEach((_, index) => {
          const adsets = tree.adsets.filter((adset) => adset.campaign === index);
          expect(adsets.length).toBeGreaterThanOrEqual(1);
          expect(adsets.length).toBeLessThanOrEqual(3);
        });
        tree.adsets.forEach((_, index) => {
          const count = tree.ads.filter((item) => item.adset === index).length;
          expect(count).toBeGreaterThanOrEqual(1);
          expect(count).toBeLessThanOrEqual(3);
        });
        const ids = [...tree.campaigns, ...tree.adsets, ...tree.ads].map((entity) => entity.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const id of ids) expect(id).toMatch(/^\d{18}$/);
        expect(tree.campaigns.every((campaign) => campaign.buyingType === 'AUCTION')).toBe(true);
      }
    }
    expect(entitiesOf('999')).toBeUndefined();
  });
});

describe('formatting and dates', () => {
  it('prints money exactly and ratios like Meta', () => {
    expect(formatMoney(3721, 2)).toBe('37.21');
    expect(formatMoney(3720, 2)).toBe('37.2');
    expect(formatMoney(3700, 2)).toBe('37');
    expect(formatMoney(5, 2)).toBe('0.05');
    expect(formatMoney(1523, 0)).toBe('1523');
    expect(formatRatio(1.435)).toBe('1.435');
    expect(formatRatio(2 / 3)).toBe('0.666667');
    expect(formatRatio(1e-9)).toBe('0');
  });

  it('counts calendar months and refuses impossible dates', () => {
    expect(dayString(addMonths(parseDay('2026-03-31')!, -37))).toBe('2023-02-28');
    expect(dayString(addMonths(parseDay('2024-02-29')!, 12))).toBe('2025-02-28');
    expect(parseDay('2025-02-30')).toBeUndefined();
    expect(parseDay('2025-2-3')).toBeUndefined();
  });
});
