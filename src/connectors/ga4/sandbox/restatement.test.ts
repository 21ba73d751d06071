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
    const first = localDate(sandbox, property.timeZone, -3);
    const last = localDate(sandbox, property.timeZone, -1);
    const series: Map<string, number[]>[] = [];
    for (let step = 0; step < 5; step += 1) {
      series.push(await daily(first, last));
      sandbox.state.advance(DAY_MS);
    }
    const column = (day: string, name: string) =>
      series.map((values) => values.get(day)![metrics.indexOf(name)]!);
    for (const day of series[0]!.keys()) {
      for (const name of ['sessions', 'screenPageViews', 'eventCount'])
        expect(new Set(column(day, name)).size).toBe(1);
      for (const name of ['keyEvents', 'purchaseRevenue', 'totalRevenue']) {
        const values = column(day, name);
        for (let index = 1; index < values.length; index += 1)
          expect(values[index]!).toBeGreaterThanOrEqual(values[index - 1]!);
        // From step 2 on every day of the window is at least 3 days old: final.
        expect(new Set(values.slice(2)).size).toBe(1);
      }
    }
    // Some key events of the window arrived late (each is late with probability 0.4: never none of dozens).
    const total = (step: number) => [...series[step]!.values()].reduce((sum, values) => sum + values[2]!, 0);
    expect(total(0)).toBeLessThan(total(2));
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
