import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../../domain/dates.ts';
import { ANALYTICS_ELEMENT_CAP, entityGroupsOf, evenWindows, planAnalytics } from './report-windows.ts';

const FROM = '2025-01-01';

/** The fewest whole-day windows such that every window holds at most `cap` entity-days, by brute force. */
function bruteForceMinimum(days: number, entities: number, cap: number): number {
  for (let count = 1; count <= days; count += 1) {
    // `count` windows can cover `days` only if the widest needed (ceil(days / count)) fits under the cap.
    if (entities * Math.ceil(days / count) <= cap) return count;
  }
  return Number.POSITIVE_INFINITY;
}

describe('planAnalytics', () => {
  it('splits a 30-day creative report of 700 creatives into two 15-day windows', () => {
    const plan = planAnalytics({ from: FROM, to: addDays(FROM, 29), entityCount: 700, fieldChunks: 1 });
    expect(plan.windows).toEqual([
      { from: '2025-01-01', to: '2025-01-15', days: 15 },
      { from: '2025-01-16', to: '2025-01-30', days: 15 },
    ]);
    expect(plan).toMatchObject({ entityGroups: 1, calls: 2, maxElementsPerCall: 10_500 });
  });

  it('reads a window of few entities in one call, and multiplies calls by field chunks', () => {
    expect(planAnalytics({ from: FROM, to: addDays(FROM, 89), entityCount: 40, fieldChunks: 1 }).calls).toBe(
      1,
    );
    expect(planAnalytics({ from: FROM, to: addDays(FROM, 89), entityCount: 1, fieldChunks: 2 }).calls).toBe(
      2,
    );
    // An account without campaigns still asks once.
    expect(planAnalytics({ from: FROM, to: FROM, entityCount: 0, fieldChunks: 1 }).calls).toBe(1);
  });

  it('never exceeds the cap, covers the window exactly, and uses the minimum number of calls', () => {
    const entityCounts = [1, 2, 7, 166, 167, 500, 700, 701, 1000, 2999, 5000, 7500, 7501, 14_999, 15_000];
    const problems: string[] = [];
    let plans = 0;
    for (const entities of entityCounts) {
      for (let days = 1; days <= 90; days += 1) {
        const to = addDays(FROM, days - 1);
        const plan = planAnalytics({ from: FROM, to, entityCount: entities, fieldChunks: 1 });
        const context = `${entities} entities × ${days} days`;
        plans += 1;
        if (plan.maxElementsPerCall > ANALYTICS_ELEMENT_CAP) problems.push(`${context}: max per call`);
        let next = FROM;
        for (const window of plan.windows) {
          if (entities * window.days > ANALYTICS_ELEMENT_CAP)
            problems.push(`${context}: a window over the cap`);
          if (daysBetween(window.from, window.to) + 1 !== window.days) problems.push(`${context}: days`);
          if (window.from !== next) problems.push(`${context}: gap or overlap at ${window.from}`);
          next = addDays(window.to, 1);
        }
        if (next !== addDays(to, 1)) problems.push(`${context}: does not end at ${to}`);
        const minimum = bruteForceMinimum(days, entities, ANALYTICS_ELEMENT_CAP);
        if (plan.calls !== minimum) problems.push(`${context}: ${plan.calls} calls, minimum ${minimum}`);
      }
    }
    expect(problems).toEqual([]);
    expect(plans).toBe(entityCounts.length * 90);
  });

  it('splits entities when one day alone exceeds the cap', () => {
    const plan = planAnalytics({ from: FROM, to: addDays(FROM, 1), entityCount: 20_000, fieldChunks: 1 });
    expect(plan).toMatchObject({ entityGroups: 2, calls: 4, maxElementsPerCall: 10_000 });
    expect(plan.windows.map((window) => window.days)).toEqual([1, 1]);
    const groups = entityGroupsOf(
      Array.from({ length: 20_000 }, (_, index) => String(index)),
      plan.entityGroups,
    );
    expect(groups.map((group) => group.length)).toEqual([10_000, 10_000]);
  });

  it('spreads days evenly and refuses a window that ends before it starts', () => {
    expect(evenWindows(FROM, addDays(FROM, 9), 3).map((window) => window.days)).toEqual([4, 3, 3]);
    expect(() =>
      planAnalytics({ from: FROM, to: addDays(FROM, -1), entityCount: 1, fieldChunks: 1 }),
    ).toThrow(/invalid date window/);
  });
});
