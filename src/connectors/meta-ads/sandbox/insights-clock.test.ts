import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUserByEmail } from './seed.ts';
import {
  allRows,
  control,
  type GraphJson,
  get,
  insights,
  localDate,
  login,
  type RunningSandbox,
  startSandbox,
} from './test-harness.ts';

/** Morgan Studio — EU: EUR, Europe/Berlin. */
const account = findUserByEmail('alex@example.com')!.accounts[2]!;

let sandbox: RunningSandbox;
let token: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  // 15:30 UTC is 16:30/17:30 in Berlin: today is well under way and stays "today" for a few hours.
  await control(sandbox, '_control/clock', { set: '2030-06-15T15:30:00Z' });
  token = (await login(sandbox, 'alex@example.com')).longToken;
});
afterAll(async () => {
  await sandbox.close();
});

interface Day {
  impressions: number;
  clicks: number;
  spend: string;
  purchases: number;
  addToCart: number;
}

/** Account-level daily rows of `[since, until]`, keyed by date. */
async function days(since: string, until: string): Promise<Map<string, Day>> {
  const rows = await allRows(
    sandbox,
    account.accountId,
    {
      fields: 'impressions,clicks,spend,actions',
      time_range: { since, until },
      time_increment: 1,
      limit: 500,
    },
    token,
  );
  const count = (row: GraphJson, type: string) =>
    Number(row.actions?.find((action: GraphJson) => action.action_type === type)?.value ?? 0);
  return new Map(
    rows.map((row) => [
      row.date_start,
      {
        impressions: Number(row.impressions),
        clicks: Number(row.clicks),
        spend: row.spend,
        purchases: count(row, 'purchase'),
        addToCart: count(row, 'add_to_cart'),
      },
    ]),
  );
}

async function truth(since: string, until: string): Promise<GraphJson[]> {
  const url = `${sandbox.origin}/sandbox/_control/truth?provider=meta-ads&account=${account.accountId}&from=${since}&to=${until}`;
  return (await get(url)).json.days;
}

describe('restatement and the partial day', () => {
  it('conversions of recent days grow as the clock moves, older days and delivery stay put', async () => {
    const since = await localDate(sandbox, account.timezoneName, -12);
    const until = await localDate(sandbox, account.timezoneName, -1);
    const before = await days(since, until);
    const truthBefore = await truth(since, until);

    expect((await control(sandbox, '_control/clock', { advanceDays: 3 })).status).toBe(200);
    const after = await days(since, until);
    const truthAfter = await truth(since, until);

    const recent = [...before.keys()].filter((date) => date >= dateMinus(until, 3));
    const old = [...before.keys()].filter((date) => date <= dateMinus(until, 7));
    expect(recent.length).toBeGreaterThan(0);
    expect(old.length).toBeGreaterThan(0);
    let grew = 0;
    for (const [date, was] of before) {
      const now = after.get(date)!;
      // Delivery of a finished day is final.
      expect({ impressions: now.impressions, clicks: now.clicks, spend: now.spend }, date).toEqual({
        impressions: was.impressions,
        clicks: was.clicks,
        spend: was.spend,
      });
      // Conversions only ever grow…
      expect(now.purchases).toBeGreaterThanOrEqual(was.purchases);
      expect(now.addToCart).toBeGreaterThanOrEqual(was.addToCart);
      if (now.purchases > was.purchases || now.addToCart > was.addToCart) grew += 1;
      // …and days a week old or more no longer move.
      if (old.includes(date)) expect(now, date).toEqual(was);
    }
    expect(grew).toBeGreaterThan(0);
    // The truth endpoint follows the same clock.
    for (const [index, day] of truthAfter.entries()) {
      expect(day.conversions).toBe(after.get(day.date)?.purchases ?? 0);
      expect(day.conversions).toBeGreaterThanOrEqual(truthBefore[index].conversions);
    }
  });

  it('shows today in part, growing with the hour, and nothing after it', async () => {
    const today = await localDate(sandbox, account.timezoneName);
    const tomorrow = await localDate(sandbox, account.timezoneName, 1);
    const early = (await days(today, tomorrow)).get(today)!;
    expect(early.impressions).toBeGreaterThan(0);
    // Same clock, same numbers, whatever the range around today.
    expect((await days(today, today)).get(today)!).toEqual(early);

    await control(sandbox, '_control/clock', { advanceMs: 3 * 3_600_000 });
    expect(await localDate(sandbox, account.timezoneName)).toBe(today);
    const later = (await days(today, tomorrow)).get(today)!;
    expect(later.impressions).toBeGreaterThan(early.impressions);
    expect([...(await days(today, tomorrow)).keys()]).toEqual([today]);
    const [truthToday, ...rest] = await truth(today, tomorrow);
    expect(rest).toEqual([]);
    expect(truthToday.impressions).toBe(later.impressions);
  });

  it('keeps the budget window on the real clock', async () => {
    await control(sandbox, 'meta-ads/_control/limits', { callsPerWindow: 2, windowMs: 60_000 });
    const call = () => insights(sandbox, account.accountId, { date_preset: 'yesterday' }, token);
    expect((await call()).status).toBe(200);
    expect((await call()).status).toBe(200);
    // Moving the virtual clock a day ahead does not refill the budget.
    await control(sandbox, '_control/clock', { advanceDays: 1 });
    expect((await call()).json.error.code).toBe(80000);
    await control(sandbox, 'meta-ads/_control/limits', { callsPerWindow: 600, windowMs: 60_000 });
  });
});

function dateMinus(date: string, days: number): string {
  return new Date(new Date(`${date}T00:00:00Z`).getTime() - days * 86_400_000).toISOString().slice(0, 10);
}
