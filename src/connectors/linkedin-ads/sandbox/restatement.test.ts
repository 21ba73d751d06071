/**
 * Time on the virtual clock: conversions of the last seven UTC days keep being restated and then stay
 * final; every other metric of a finished day never changes; today is partial and grows; `truth()` equals
 * the ACCOUNT / DAILY report at every clock.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findUserByEmail } from './seed.ts';
import {
  analyticsQuery,
  login,
  rest,
  startSandbox,
  type TestSandbox,
  thousandths,
  utcDate,
} from './test-harness.ts';

let sandbox: TestSandbox;
let token: string;
const account = findUserByEmail('alex@example.com')!.accounts[1]!;
beforeAll(async () => {
  sandbox = await startSandbox();
  // Noon UTC, so today is visibly partial and an hour later visibly grown.
  const now = sandbox.state.now();
  const noon = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 12);
  sandbox.state.advance(noon - now.getTime());
  token = await login(sandbox, 'alex@example.com');
});
afterAll(async () => {
  await sandbox.close();
});

const FIELDS = [
  'dateRange',
  'impressions',
  'clicks',
  'costInLocalCurrency',
  'externalWebsiteConversions',
  'conversionValueInLocalCurrency',
];

async function byDay(from: string, to: string) {
  const response = await rest(
    sandbox,
    '/adAnalytics',
    analyticsQuery({ pivot: 'ACCOUNT', from, to, accounts: [account.id], fields: FIELDS }),
    token,
  );
  expect(response.status, response.text).toBe(200);
  return new Map<
    string,
    { impressions: number; clicks: number; cost: number; conversions: number; value: number }
  >(
    response.json.elements.map(
      (element: {
        dateRange: { start: { year: number; month: number; day: number } };
        impressions: number;
        clicks: number;
        costInLocalCurrency: string;
        externalWebsiteConversions: number;
        conversionValueInLocalCurrency: string;
      }) => {
        const { year, month, day } = element.dateRange.start;
        const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        return [
          date,
          {
            impressions: element.impressions,
            clicks: element.clicks,
            cost: thousandths(element.costInLocalCurrency),
            conversions: element.externalWebsiteConversions,
            value: thousandths(element.conversionValueInLocalCurrency),
          },
        ];
      },
    ),
  );
}

function truth(from: string, to: string) {
  return sandbox.app
    .inject({
      method: 'GET',
      url: `/sandbox/_control/truth?provider=linkedin-ads&account=${account.id}&from=${from}&to=${to}`,
    })
    .then(
      (response) =>
        JSON.parse(response.body).days as {
          date: string;
          spend: number;
          impressions: number;
          clicks: number;
          conversions: number;
        }[],
    );
}

it('restates conversions for seven days, never the other metrics; truth matches at every clock', async () => {
  const from = utcDate(sandbox, -20);
  const to = utcDate(sandbox, -1);
  const before = await byDay(from, to);
  sandbox.state.advance(3 * 86_400_000);
  const after = await byDay(from, to);
  let restated = 0;
  for (const [date, day] of before) {
    const later = after.get(date)!;
    expect([later.impressions, later.clicks, later.cost], date).toEqual([
      day.impressions,
      day.clicks,
      day.cost,
    ]);
    const age = Math.round(
      (Date.parse(`${utcDate(sandbox, -3)}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`)) / 86_400_000,
    );
    if (age >= 7) expect([later.conversions, later.value], date).toEqual([day.conversions, day.value]);
    else {
      expect(later.conversions).toBeGreaterThanOrEqual(day.conversions);
      if (later.conversions !== day.conversions || later.value !== day.value) restated += 1;
    }
  }
  expect(restated, 'some of the last seven days must move').toBeGreaterThan(0);
  const days = await truth(from, to);
  expect(days.map((day) => [day.date, day.impressions, day.clicks, day.spend, day.conversions])).toEqual(
    [...after.entries()].map(([date, day]) => [
      date,
      day.impressions,
      day.clicks,
      day.cost / 1000,
      day.conversions,
    ]),
  );
  // Seven more days on, everything in the window is final.
  sandbox.state.advance(8 * 86_400_000);
  const final = await byDay(from, to);
  sandbox.state.advance(2 * 86_400_000);
  expect(await byDay(from, to)).toEqual(final);
});

it('today is partial and grows with the clock', async () => {
  const today = utcDate(sandbox);
  const early = (await byDay(today, today)).get(today)!;
  sandbox.state.advance(3 * 3_600_000);
  const later = (await byDay(today, today)).get(today)!;
  expect(later.impressions).toBeGreaterThan(early.impressions);
  expect((await truth(today, today))[0]!.impressions).toBe(later.impressions);
  expect(await truth(utcDate(sandbox, 1), utcDate(sandbox, 3))).toEqual([]);
});
