import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUserByEmail } from './seed.ts';
import {
  allRows,
  hundredths,
  localDate,
  login,
  type Row,
  startSandbox,
  type TestSandbox,
} from './test-harness.ts';

const DAY_MS = 86_400_000;
const advertiser = findUserByEmail('alex@example.com')!.advertisers[1]!;

let sandbox: TestSandbox;
let token: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  token = await login(sandbox, 'alex@example.com');
});
afterAll(async () => {
  await sandbox.close();
});

function daily(from: string, to: string) {
  return {
    advertiser_id: advertiser.advertiserId,
    report_type: 'BASIC',
    data_level: 'AUCTION_ADVERTISER',
    dimensions: ['stat_time_day'],
    metrics: ['spend', 'impressions', 'clicks', 'conversion'],
    start_date: from,
    end_date: to,
  };
}

function truth(from: string, to: string) {
  return sandbox.app.inject({
    method: 'GET',
    url: `/sandbox/_control/truth?provider=tiktok-ads&account=${advertiser.advertiserId}&from=${from}&to=${to}`,
  });
}

function asTruth(rows: Row[]) {
  return rows.map((row) => ({
    date: row.dimensions.stat_time_day.slice(0, 10),
    spend: hundredths(row.metrics.spend) / 100,
    impressions: Number(row.metrics.impressions),
    clicks: Number(row.metrics.clicks),
    conversions: Number(row.metrics.conversion),
  }));
}

describe('restatement on the virtual clock', () => {
  it('conversions of a day grow until it is 7 days old, then stay; other metrics do not move', async () => {
    const day = localDate(sandbox, advertiser.timezone, -1);
    const series: Row[] = [];
    for (let step = 0; step < 10; step += 1) {
      const [row] = await allRows(sandbox, daily(day, day), token);
      series.push(row);
      sandbox.state.advance(DAY_MS);
    }
    const conversions = series.map((row) => Number(row.metrics.conversion));
    // Days old: 1, 2, … 10. Restated while younger than 7, final from then on.
    for (let index = 1; index < conversions.length; index += 1) {
      expect(conversions[index]).toBeGreaterThanOrEqual(conversions[index - 1]!);
    }
    expect(new Set(conversions.slice(6)).size).toBe(1);
    expect(conversions[0]).toBeLessThan(conversions[9]!);
    expect(new Set(series.map((row) => row.metrics.spend)).size).toBe(1);
    expect(new Set(series.map((row) => row.metrics.clicks)).size).toBe(1);
  });

  it('truth() equals the advertiser-level report rows, before and after the clock moves', async () => {
    for (let step = 0; step < 2; step += 1) {
      const from = localDate(sandbox, advertiser.timezone, -29);
      const to = localDate(sandbox, advertiser.timezone, 0);
      const rows = await allRows(sandbox, daily(from, to), token);
      const response = await truth(from, to);
      expect(response.statusCode).toBe(200);
      const body = JSON.parse(response.body);
      // Days without delivery have no report row; the truth lists them with zeros.
      const reported = body.days.filter((entry: { impressions: number }) => entry.impressions > 0);
      expect(asTruth(rows)).toEqual(reported);
      expect(reported.length).toBeGreaterThan(20);
      sandbox.state.advance(3 * DAY_MS);
    }
  });

  it('truth() is 404 for an unknown advertiser and leaves out days after today', async () => {
    expect((await truth('2025-01-01', '2025-01-02')).statusCode).toBe(200);
    const unknown = await sandbox.app.inject({
      method: 'GET',
      url: '/sandbox/_control/truth?provider=tiktok-ads&account=1234567890123456&from=2025-01-01&to=2025-01-02',
    });
    expect(unknown.statusCode).toBe(404);
    const future = localDate(sandbox, advertiser.timezone, 5);
    const today = localDate(sandbox, advertiser.timezone, 0);
    const days = JSON.parse((await truth(today, future)).body).days;
    expect(days.map((entry: { date: string }) => entry.date)).toEqual([today]);
  });
});
