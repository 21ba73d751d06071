import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUserByEmail } from './seed.ts';
import {
  allRows,
  control,
  type GraphJson,
  get,
  hundredths,
  insights,
  localDate,
  login,
  type RunningSandbox,
  startSandbox,
} from './test-harness.ts';

const alex = findUserByEmail('alex@example.com')!;
/** Alex's personal account: USD, America/Los_Angeles. */
const account = alex.accounts[0]!;
const WINDOWS = ['1d_click', '7d_click', '1d_view'];

let sandbox: RunningSandbox;
let token: string;
let from: string;
let to: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  // A fixed virtual time keeps the numbers reproducible (it is ignored once the real clock passes it).
  await control(sandbox, '_control/clock', { set: '2030-06-15T15:30:00Z' });
  token = (await login(sandbox, 'alex@example.com')).longToken;
  from = await localDate(sandbox, account.timezoneName, -12);
  to = await localDate(sandbox, account.timezoneName, -1);
});
afterAll(async () => {
  await sandbox.close();
});

const range = () => ({ since: from, until: to });

/** Sums the reconcilable metrics of rows per date. */
function sumsByDate(rows: GraphJson[]): Map<string, Record<string, number>> {
  const sums = new Map<string, Record<string, number>>();
  for (const row of rows) {
    const sum = sums.get(row.date_start) ?? {
      impressions: 0,
      clicks: 0,
      spend: 0,
      reach: 0,
      purchases: 0,
      value: 0,
    };
    sum.impressions! += Number(row.impressions);
    sum.clicks! += Number(row.clicks);
    sum.reach! += Number(row.reach ?? 0);
    sum.spend! += hundredths(row.spend);
    sum.purchases! += Number(row.actions?.find((a: GraphJson) => a.action_type === 'purchase')?.value ?? 0);
    sum.value! += hundredths(
      row.action_values?.find((a: GraphJson) => a.action_type === 'purchase')?.value ?? '0',
    );
    sums.set(row.date_start, sum);
  }
  return sums;
}

const METRICS = 'impressions,clicks,spend,reach,actions,action_values';

describe('sync insights: wire format', () => {
  it('sends every metric as a string, dates, bare account ids and the requested windows', async () => {
    const response = await insights(
      sandbox,
      account.accountId,
      {
        fields: `account_id,campaign_id,ad_id,ad_name,${METRICS},cpc,cpm,ctr,frequency,cost_per_action_type`,
        level: 'ad',
        time_range: range(),
        time_increment: 1,
        action_attribution_windows: WINDOWS,
        limit: 50,
      },
      token,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    const rows: GraphJson[] = response.json.data;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.account_id).toBe(account.accountId);
      expect(row.ad_id).toMatch(/^\d{18}$/);
      expect(row.date_start).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(row.date_stop).toBe(row.date_start);
      for (const [key, value] of Object.entries(row)) {
        if (Array.isArray(value)) continue;
        expect(typeof value, key).toBe('string');
      }
      expect(row.impressions).toMatch(/^[1-9]\d*$/);
      expect(row.spend).toMatch(/^\d+(\.\d{1,2})?$/);
      expect(Number(row.reach)).toBeLessThanOrEqual(Number(row.impressions));
      for (const action of row.actions ?? []) {
        expect(Object.keys(action)).toEqual(['action_type', 'value', ...WINDOWS]);
        for (const value of Object.values(action)) expect(typeof value).toBe('string');
        // value is the default attribution (7d_click + 1d_view).
        expect(Number(action.value)).toBe(Number(action['7d_click']) + Number(action['1d_view']));
      }
      // ids of lower levels are not there at ad level's parent fields unless asked: adset_id was not asked.
      expect(row.adset_id).toBeUndefined();
    }
    expect(rows.some((row) => row.actions?.some((a: GraphJson) => a.action_type === 'purchase'))).toBe(true);
  });

  it('leaves out ids below the level and always sends date_start/date_stop', async () => {
    const response = await insights(
      sandbox,
      account.accountId,
      {
        fields: 'campaign_id,campaign_name,adset_id,ad_id,impressions',
        level: 'campaign',
        time_range: range(),
      },
      token,
    );
    const row = response.json.data[0];
    expect(Object.keys(row).sort()).toEqual([
      'campaign_id',
      'campaign_name',
      'date_start',
      'date_stop',
      'impressions',
    ]);
    // No time_increment: one row for the whole range.
    expect([row.date_start, row.date_stop]).toEqual([from, to]);
  });

  it('returns nothing for future days', async () => {
    const tomorrow = await localDate(sandbox, account.timezoneName, 1);
    const later = await localDate(sandbox, account.timezoneName, 6);
    const response = await insights(
      sandbox,
      account.accountId,
      { level: 'ad', time_range: { since: tomorrow, until: later }, time_increment: 1 },
      token,
    );
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ data: [] });
  });

  it('reports yen without decimals', async () => {
    const japan = findUserByEmail('agency@example.com')!.accounts.find(
      (candidate) => candidate.currency === 'JPY',
    )!;
    const agency = (await login(sandbox, 'agency@example.com')).longToken;
    const since = await localDate(sandbox, japan.timezoneName, -3);
    const rows = (await insights(sandbox, japan.accountId, { time_range: { since, until: since } }, agency))
      .json.data;
    expect(rows[0].spend).toMatch(/^\d+$/);
  });
});

describe('sync insights: parameters', () => {
  it('takes windows and breakdowns as comma lists too, and filters by entity', async () => {
    const campaigns = (
      await insights(
        sandbox,
        account.accountId,
        { fields: 'campaign_id', level: 'campaign', time_range: range() },
        token,
      )
    ).json.data.map((row: GraphJson) => row.campaign_id);
    expect(campaigns.length).toBeGreaterThanOrEqual(2);
    const rows = await allRows(
      sandbox,
      account.accountId,
      {
        fields: 'campaign_id,ad_id,actions',
        level: 'ad',
        time_range: range(),
        time_increment: 1,
        action_attribution_windows: '28d_click,1d_view',
        filtering: [{ field: 'campaign.id', operator: 'IN', value: [campaigns[0]] }],
      },
      token,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.campaign_id).toBe(campaigns[0]);
      for (const action of row.actions ?? [])
        expect(Object.keys(action)).toEqual(['action_type', 'value', '28d_click', '1d_view']);
    }
    const badFilter = await insights(
      sandbox,
      account.accountId,
      { filtering: [{ field: 'shoe.size', operator: 'IN', value: ['9'] }] },
      token,
    );
    expect(badFilter.json.error.code).toBe(100);
    expect((await insights(sandbox, account.accountId, { level: 'creative' }, token)).json.error.code).toBe(
      100,
    );
  });

  it('has no truth for an unknown account', async () => {
    const response = await get(
      `${sandbox.origin}/sandbox/_control/truth?provider=meta-ads&account=123&from=${from}&to=${to}`,
    );
    expect(response.status).toBe(404);
  });
});

describe('sync insights: paging', () => {
  it('pages through every row once, in the same order as one big page, with absolute next links', async () => {
    const params = { fields: 'ad_id,impressions', level: 'ad', time_range: range(), time_increment: 1 };
    const whole = await insights(sandbox, account.accountId, { ...params, limit: 500 }, token);
    expect(whole.json.paging.next).toBeUndefined();
    const first = await insights(sandbox, account.accountId, { ...params, limit: 7 }, token);
    expect(first.json.data).toHaveLength(7);
    expect(first.json.paging.cursors).toEqual({ before: expect.any(String), after: expect.any(String) });
    expect(
      first.json.paging.next.startsWith(`${sandbox.base}/v25.0/act_${account.accountId}/insights?`),
    ).toBe(true);
    const paged = await allRows(sandbox, account.accountId, { ...params, limit: 7 }, token);
    const keys = paged.map((row) => `${row.ad_id}/${row.date_start}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(paged).toEqual(whole.json.data);
    // Default page size is 25; larger limits are clamped to 500.
    expect((await insights(sandbox, account.accountId, params, token)).json.data).toHaveLength(25);
  });

  it('rejects a cursor of another query', async () => {
    const params = { level: 'ad', time_range: range(), time_increment: 1, limit: 2 };
    const page = await insights(sandbox, account.accountId, params, token);
    const after = page.json.paging.cursors.after;
    const other = await insights(sandbox, account.accountId, { ...params, level: 'adset', after }, token);
    expect(other.status).toBe(400);
    expect(other.json.error.code).toBe(2642);
  });
});

describe('sync insights: sums agree everywhere', () => {
  it('every level sums to the account level, and the account level equals truth', async () => {
    const base = { fields: METRICS, time_range: range(), time_increment: 1, limit: 500 };
    const accountLevel = sumsByDate(await allRows(sandbox, account.accountId, base, token));
    expect(accountLevel.size).toBeGreaterThan(5);
    for (const level of ['campaign', 'adset', 'ad']) {
      const sums = sumsByDate(await allRows(sandbox, account.accountId, { ...base, level }, token));
      expect(sums, level).toEqual(accountLevel);
    }
    const truth = await get(
      `${sandbox.origin}/sandbox/_control/truth?provider=meta-ads&account=${account.accountId}&from=${from}&to=${to}`,
    );
    expect(truth.status).toBe(200);
    for (const day of truth.json.days) {
      const sums = accountLevel.get(day.date) ?? { impressions: 0, clicks: 0, spend: 0, purchases: 0 };
      expect(day.impressions, day.date).toBe(sums.impressions);
      expect(day.clicks).toBe(sums.clicks);
      expect(Math.round(day.spend * 100)).toBe(sums.spend);
      expect(day.conversions).toBe(sums.purchases);
    }
    expect(truth.json.days.map((day: GraphJson) => day.date)).toHaveLength(12);
  });

  it.each(
    [
      ['age'],
      ['gender'],
      ['age', 'gender'],
      ['country'],
      ['publisher_platform'],
      ['publisher_platform', 'platform_position'],
      ['device_platform'],
      ['impression_device'],
      ['publisher_platform', 'platform_position', 'impression_device'],
    ].map((breakdowns) => [breakdowns.join('+'), breakdowns] as const),
  )('breakdown %s sums exactly to the unbroken totals', async (_name, breakdowns) => {
    const base = { fields: METRICS, time_range: range(), time_increment: 1, limit: 500 };
    for (const level of ['account', 'ad']) {
      const whole = sumsByDate(await allRows(sandbox, account.accountId, { ...base, level }, token));
      const rows = await allRows(sandbox, account.accountId, { ...base, level, breakdowns }, token);
      for (const row of rows) for (const name of breakdowns) expect(typeof row[name]).toBe('string');
      expect(sumsByDate(rows), `${level} by ${breakdowns}`).toEqual(whole);
    }
  });
});

describe('sync insights: errors', () => {
  const error = async (params: Record<string, GraphJson>, accountId = account.accountId) =>
    insights(sandbox, accountId, { time_range: range(), ...params }, token);

  it('refuses invalid breakdown combinations, naming the columns', async () => {
    const position = await error({ breakdowns: ['platform_position'] });
    expect(position.status).toBe(400);
    expect(position.json.error).toMatchObject({
      type: 'OAuthException',
      code: 100,
      message:
        '(#100) Current combination of data breakdown columns (action_type, platform_position) is invalid',
    });
    const mixed = await error({ breakdowns: 'age,country' });
    expect(mixed.json.error.message).toContain('(action_type, age, country)');
    const devices = await error({ breakdowns: ['device_platform', 'impression_device'] });
    expect(devices.json.error.code).toBe(100);
    const unknown = await error({ breakdowns: ['placement'] });
    expect(unknown.json.error.message).toMatch(/^\(#100\) placement is not valid for breakdowns param/);
    const field = await error({ fields: 'impressions,shoe_size' });
    expect(field.json.error.message).toMatch(/^\(#100\) shoe_size is not valid for fields param/);
  });

  it('refuses ranges starting more than 37 months back', async () => {
    const old = await localDate(sandbox, account.timezoneName, -37 * 31);
    const response = await error({ time_range: { since: old, until: to } });
    expect(response.status).toBe(400);
    expect(response.json.error).toMatchObject({ code: 3018, type: 'OAuthException' });
    expect(response.json.error.message).toContain('cannot be beyond 37 months');
  });

  it('answers a sync request over 20,000 rows with the 500 that pushes clients to report runs', async () => {
    const response = await error({
      level: 'ad',
      breakdowns: ['age', 'gender'],
      time_increment: 1,
      date_preset: 'maximum',
      time_range: undefined,
    });
    expect(response.status).toBe(500);
    expect(response.json).toEqual({
      error: {
        message: "Please reduce the amount of data you're asking for, then retry your request",
        code: 1,
      },
    });
  });

  it('leaves reach out of breakdown reports starting more than 13 months back', async () => {
    const since = await localDate(sandbox, account.timezoneName, -14 * 31);
    const row = (
      await error({
        fields: 'impressions,reach,frequency',
        breakdowns: ['age'],
        time_range: { since, until: since },
      })
    ).json.data[0];
    expect(row.impressions).toBeDefined();
    expect(row.reach).toBeUndefined();
    expect(row.frequency).toBeUndefined();
  });

  it('answers accounts the token cannot see with 100/33, like any unknown object', async () => {
    const agencyAccount = findUserByEmail('agency@example.com')!.accounts[0]!.accountId;
    for (const id of [agencyAccount, '1234567890']) {
      const response = await error({}, id);
      expect(response.status).toBe(400);
      expect(response.json.error).toMatchObject({
        type: 'GraphMethodException',
        code: 100,
        error_subcode: 33,
      });
      expect(response.json.error.message).toContain(`Object with ID 'act_${id}' does not exist`);
    }
    const noAds = (await login(sandbox, 'alex@example.com', ['email'])).longToken;
    const missing = await insights(sandbox, account.accountId, {}, noAds);
    expect(missing.json.error).toMatchObject({ message: '(#100) Missing permissions', code: 100 });
    const anonymous = await get(`${sandbox.base}/v25.0/act_${account.accountId}/insights`);
    expect(anonymous.json.error.code).toBe(104);
  });
});
