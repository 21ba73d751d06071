import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUserByEmail } from './seed.ts';
import { localDate, login, runReport, startSandbox, type TestSandbox } from './test-harness.ts';

const DAY_MS = 86_400_000;
const property = findUserByEmail('alex@example.com')!.accounts[1]!.properties[0]!;
const metrics = ['sessions', 'screenPageViews', 'keyEvents', 'totalRevenue', 'purchaseRevenue', 'eventCount'];

let sandbox: TestSandbox;
let token: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  token = (await login(sandbox, 'alex@example.com')).access;
});
afterAll(async () => {
  await sandbox.close();
});

/** Each day's metrics as numbers, by `YYYY-MM-DD`. */
async function daily(from: string, to: string): Promise<Map<string, number[]>> {
  const response = await runReport(
    sandbox,
    property.propertyId,
    {
      dateRanges: [{ startDate: from, endDate: to }],
      dimensions: [{ name: 'date' }],
      metrics: metrics.map((name) => ({ name })),
      orderBys: [{ dimension: { dimensionName: 'date' } }],
    },
    token,
  );
  if (response.status !== 200) throw new Error(response.text);
  return new Map(
    (response.json.rows ?? []).map(
      (row: { dimensionValues: { value: string }[]; metricValues: { value: string }[] }) => {
        const date = row.dimensionValues[0]!.value;
        return [
          `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6)}`,
          row.metricValues.map((cell) => Number(cell.value)),
        ];
      },
    ),
  );
}

async function truth(from: string, to: string) {
  const response = await sandbox.app.inject({
    method: 'GET',
    url: `/sandbox/_control/truth?provider=ga4&account=${property.propertyId}&from=${from}&to=${to}`,
  });
  return JSON.parse(response.body).days;
}

describe('restatement on the virtual clock', () => {
  it('key events and revenue of a day grow for 3 days, then stay; other metrics never move', async () => {
    const day = localDate(sandbox, property.timeZone, -1);
    const series: number[][] = [];
    for (let step = 0; step < 5; step += 1) {
      series.push((await daily(day, day)).get(day)!);
      sandbox.state.advance(DAY_MS);
    }
    const column = (name: string) => series.map((values) => values[metrics.indexOf(name)]!);
    // Age 1 → 2 → 3 (final) → 4 → 5.
    for (const name of ['sessions', 'screenPageViews', 'eventCount'])
      expect(new Set(column(name)).size).toBe(1);
    const keyEvents = column('keyEvents');
    expect(keyEvents[0]!).toBeLessThan(keyEvents[2]!);
    for (let index = 1; index < keyEvents.length; index += 1)
      expect(keyEvents[index]!).toBeGreaterThanOrEqual(keyEvents[index - 1]!);
    expect(keyEvents.slice(2)).toEqual([keyEvents[2], keyEvents[2], keyEvents[2]]);
    expect(new Set(column('totalRevenue').slice(2)).size).toBe(1);
    expect(column('purchaseRevenue')[0]!).toBeLessThanOrEqual(column('purchaseRevenue')[2]!);
  });

  it('today is partial and grows with the clock; future days have no rows', async () => {
    const zoneHour = Number(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: property.timeZone,
        hour: '2-digit',
        hourCycle: 'h23',
      }).format(sandbox.state.now()),
    );
    // Step to the next local midnight plus one hour, so "today" has one hour of data, then add hours.
    sandbox.state.advance(((24 - zoneHour) % 24 || 24) * 3_600_000 + 3_600_000);
    const today = localDate(sandbox, property.timeZone);
    const early = (await daily(today, today)).get(today)?.[0] ?? 0;
    sandbox.state.advance(10 * 3_600_000);
    const later = (await daily(today, today)).get(today)![0]!;
    expect(later).toBeGreaterThan(early);
    const yesterday = localDate(sandbox, property.timeZone, -1);
    const tomorrow = localDate(sandbox, property.timeZone, 1);
    expect([...(await daily(yesterday, tomorrow)).keys()]).toEqual([yesterday, today]);
  });
});

describe('truth', () => {
  it('equals the date-only report exactly, day by day, at any clock', async () => {
    for (let step = 0; step < 2; step += 1) {
      const from = localDate(sandbox, property.timeZone, -10);
      const to = localDate(sandbox, property.timeZone);
      const report = await daily(from, to);
      const days = await truth(from, to);
      expect(days.map((day: { date: string }) => day.date)).toEqual([...report.keys()]);
      for (const day of days) {
        const values = report.get(day.date)!;
        expect(day).toEqual({
          date: day.date,
          spend: 0,
          impressions: 0,
          clicks: 0,
          conversions: values[2],
          metrics: {
            sessions: values[0],
            screenPageViews: values[1],
            keyEvents: values[2],
            totalRevenue: values[3],
          },
        });
      }
      sandbox.state.advance(DAY_MS / 2);
    }
  });

  it('is 404 for an unknown property', async () => {
    const response = await sandbox.app.inject({
      method: 'GET',
      url: '/sandbox/_control/truth?provider=ga4&account=123&from=2025-01-01&to=2025-01-02',
    });
    expect(response.statusCode).toBe(404);
  });
});
