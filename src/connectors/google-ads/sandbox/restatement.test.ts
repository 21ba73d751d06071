import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { googleAdsSandbox } from './index.ts';
import { findUserByEmail } from './seed.ts';
import {
  adsHeaders,
  localDate,
  login,
  type Row,
  startSandbox,
  streamRows,
  type TestSandbox,
} from './test-harness.ts';

let sandbox: TestSandbox;
let headers: Record<string, string>;
const sam = findUserByEmail('sam.lee@example.com')!;
const account = sam.accessible[0]!;
beforeAll(async () => {
  sandbox = await startSandbox();
  headers = adsHeaders(await login(sandbox, sam.email));
});
afterAll(async () => {
  await sandbox.close();
});

const QUERY_FIELDS =
  'segments.date, metrics.impressions, metrics.clicks, metrics.cost_micros, metrics.conversions, metrics.conversions_value, metrics.all_conversions, metrics.view_through_conversions';

async function daily(from: string, to: string): Promise<Map<string, Row>> {
  const rows = await streamRows(
    sandbox,
    account.id,
    `SELECT ${QUERY_FIELDS} FROM customer WHERE segments.date BETWEEN '${from}' AND '${to}'`,
    headers,
  );
  return new Map(rows.map((row) => [row.segments.date, row.metrics]));
}

describe('restatement and truth', () => {
  it('truth equals the account report exactly, day by day', async () => {
    const [from, to] = [localDate(sandbox, account.timeZone, -20), localDate(sandbox, account.timeZone, 0)];
    const report = await daily(from, to);
    const truth = googleAdsSandbox.truth!(account.id, from, to, sandbox.state)!;
    expect(truth).toHaveLength(21);
    for (const day of truth) {
      const metrics = report.get(day.date)!;
      expect([day.impressions, day.clicks, day.spend, day.conversions]).toEqual([
        Number(metrics.impressions),
        Number(metrics.clicks),
        Number(metrics.costMicros) / 1e6,
        metrics.conversions ?? 0,
      ]);
    }
    expect(googleAdsSandbox.truth!('0000000000', from, to, sandbox.state)).toBeNull();
    expect(
      googleAdsSandbox.truth!(
        findUserByEmail('alex@example.com')!.accessible[0]!.id,
        from,
        to,
        sandbox.state,
      ),
    ).toEqual([]);
  });

  it('conversions of the last 14 days grow as the clock moves; other metrics and older days stay put', async () => {
    const [from, to] = [localDate(sandbox, account.timeZone, -20), localDate(sandbox, account.timeZone, -1)];
    const before = await daily(from, to);
    sandbox.state.advance(3 * 86_400_000);
    const after = await daily(from, to);
    let restated = 0;
    for (const [date, old] of before) {
      const now = after.get(date)!;
      const age = -Math.round(
        (Date.parse(date) - Date.parse(localDate(sandbox, account.timeZone, -3))) / 86_400_000,
      );
      for (const name of ['impressions', 'clicks', 'costMicros', 'viewThroughConversions'])
        expect(now[name]).toBe(old[name]);
      if (age >= 14) {
        expect(now).toEqual(old);
      } else {
        expect(now.conversions ?? 0).toBeGreaterThanOrEqual(old.conversions ?? 0);
        expect(now.allConversions ?? 0).toBeGreaterThanOrEqual(old.allConversions ?? 0);
        if (now.conversions !== old.conversions) restated += 1;
      }
    }
    expect(restated).toBeGreaterThan(0);
  });

  it("today's numbers grow with the clock", async () => {
    const now = sandbox.state.now();
    const hour = Number(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: account.timeZone,
        hour: '2-digit',
        hourCycle: 'h23',
      }).format(now),
    );
    const today = localDate(sandbox, account.timeZone, 0);
    const early = (await daily(today, today)).get(today);
    sandbox.state.advance((23 - hour) * 3_600_000);
    const late = (await daily(today, today)).get(today)!;
    expect(Number(late.impressions)).toBeGreaterThanOrEqual(Number(early?.impressions ?? 0));
  });
});
