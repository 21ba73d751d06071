import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entitiesOf } from './entities.ts';
import { findUserByEmail } from './seed.ts';
import {
  allRows,
  hundredths,
  localDate,
  login,
  type Params,
  type Row,
  report,
  startSandbox,
  type TestSandbox,
} from './test-harness.ts';

let sandbox: TestSandbox;
let token: string;
const advertiser = findUserByEmail('alex@example.com')!.advertisers[0]!;
const entities = entitiesOf(advertiser.advertiserId)!;
let from: string;
let to: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  token = await login(sandbox, 'alex@example.com');
  from = localDate(sandbox, advertiser.timezone, -20);
  to = localDate(sandbox, advertiser.timezone, -1);
});
afterAll(async () => {
  await sandbox.close();
});

function basic(level: string, dimensions: string[], metrics: string[], extra: Params = {}): Params {
  return {
    advertiser_id: advertiser.advertiserId,
    report_type: 'BASIC',
    data_level: level,
    dimensions,
    metrics,
    start_date: from,
    end_date: to,
    ...extra,
  };
}

const CORE = ['spend', 'impressions', 'clicks', 'conversion'];

/** Sums of the core metrics per day over rows. */
function perDay(rows: Row[]): Map<string, number[]> {
  const sums = new Map<string, number[]>();
  for (const row of rows) {
    const day = row.dimensions.stat_time_day;
    const sum = sums.get(day) ?? [0, 0, 0, 0];
    sum[0]! += hundredths(row.metrics.spend);
    sum[1]! += Number(row.metrics.impressions);
    sum[2]! += Number(row.metrics.clicks);
    sum[3]! += Number(row.metrics.conversion);
    sums.set(day, sum);
  }
  return sums;
}

describe('paging', () => {
  it('defaults to 10 rows a page, reports page_info, and ends on total_page', async () => {
    const params = basic('AUCTION_AD', ['ad_id', 'stat_time_day'], CORE);
    const first = await report(sandbox, params, token);
    expect(first.status).toBe(200);
    expect(first.json.code).toBe(0);
    const info = first.json.data.page_info;
    expect(info.page).toBe(1);
    expect(info.page_size).toBe(10);
    expect(info.total_number).toBeGreaterThan(30);
    expect(info.total_page).toBe(Math.ceil(info.total_number / 10));
    expect(first.json.data.list).toHaveLength(10);

    const last = await report(sandbox, { ...params, page: info.total_page }, token);
    expect(last.json.data.list).toHaveLength(info.total_number - (info.total_page - 1) * 10);
    const beyond = await report(sandbox, { ...params, page: info.total_page + 1 }, token);
    expect(beyond.json.data.list).toEqual([]);
    expect(beyond.json.data.page_info.page).toBe(info.total_page + 1);

    const seven = await allRows(sandbox, { ...params, page_size: 7 }, token);
    const thousand = await allRows(sandbox, params, token);
    expect(seven).toEqual(thousand);
    expect(thousand).toHaveLength(info.total_number);
  });

  it('validates page and page_size', async () => {
    const params = basic('AUCTION_ADVERTISER', ['stat_time_day'], CORE);
    for (const [extra, parameter] of [
      [{ page_size: 1001 }, 'page_size'],
      [{ page_size: 0 }, 'page_size'],
      [{ page: 0 }, 'page'],
      [{ page: 'two' }, 'page'],
    ] as const) {
      const { json } = await report(sandbox, { ...params, ...extra }, token);
      expect(json.code).toBe(40002);
      expect(json.message.startsWith(`${parameter}: `)).toBe(true);
    }
    expect((await report(sandbox, { ...params, page_size: 1000 }, token)).json.code).toBe(0);
  });
});

describe('typing', () => {
  it('core metrics are strings, engagement counts numbers, attributes inside metrics', async () => {
    const rows = await allRows(
      sandbox,
      basic(
        'AUCTION_AD',
        ['ad_id', 'stat_time_day'],
        [
          ...CORE,
          'ctr',
          'cpc',
          'cpm',
          'reach',
          'frequency',
          'cost_per_result',
          'video_play_actions',
          'likes',
          'average_video_play',
          'campaign_name',
          'campaign_id',
          'adgroup_id',
          'ad_name',
        ],
      ),
      token,
    );
    const row = rows[0];
    expect(Object.keys(row)).toEqual(['dimensions', 'metrics']);
    expect(row.dimensions.stat_time_day).toMatch(/^\d{4}-\d{2}-\d{2} 00:00:00$/);
    expect(typeof row.dimensions.ad_id).toBe('string');
    expect(row.metrics.spend).toMatch(/^\d+\.\d{2}$/);
    expect(row.metrics.impressions).toMatch(/^\d+$/);
    expect(row.metrics.ctr).toMatch(/^\d+\.\d{2}$/);
    expect(row.metrics.cost_per_result).toMatch(/^\d+\.\d{3}$/);
    expect(typeof row.metrics.video_play_actions).toBe('number');
    expect(typeof row.metrics.likes).toBe('number');
    expect(typeof row.metrics.average_video_play).toBe('number');
    expect(typeof row.metrics.campaign_name).toBe('string');
    expect(typeof row.metrics.campaign_id).toBe('number');
    expect(typeof row.metrics.adgroup_id).toBe('number');
    const ad = entities.ads.find((candidate) => candidate.id === row.dimensions.ad_id)!;
    expect(String(row.metrics.campaign_id)).toBe(entities.campaigns[ad.campaign]!.id);
    expect(row.metrics.ad_name).toBe(ad.name);
  });

  it('the advertiser_id dimension is a number, like the recorded payloads', async () => {
    const { json } = await report(
      sandbox,
      basic('AUCTION_ADVERTISER', ['advertiser_id', 'stat_time_day'], CORE),
      token,
    );
    expect(json.data.list[0].dimensions.advertiser_id).toBe(Number(advertiser.advertiserId));
  });
});

describe('levels and audiences agree', () => {
  it('every data level and audience breakdown sums to the advertiser level, per day', async () => {
    const top = perDay(await allRows(sandbox, basic('AUCTION_ADVERTISER', ['stat_time_day'], CORE), token));
    expect(top.size).toBeGreaterThan(15);
    for (const [level, id] of [
      ['AUCTION_CAMPAIGN', 'campaign_id'],
      ['AUCTION_ADGROUP', 'adgroup_id'],
      ['AUCTION_AD', 'ad_id'],
    ]) {
      expect(perDay(await allRows(sandbox, basic(level!, [id!, 'stat_time_day'], CORE), token))).toEqual(top);
    }
    const audience = await allRows(
      sandbox,
      {
        ...basic(
          'AUCTION_ADVERTISER',
          ['advertiser_id', 'age', 'gender', 'country_code', 'stat_time_day'],
          CORE,
        ),
        report_type: 'AUDIENCE',
      },
      token,
    );
    expect(perDay(audience)).toEqual(top);
    expect(new Set(audience.map((row) => row.dimensions.age))).toContain('AGE_25_34');
    expect(new Set(audience.map((row) => row.dimensions.gender))).toEqual(
      new Set(['MALE', 'FEMALE', 'NONE']),
    );
    expect(new Set(audience.map((row) => row.dimensions.country_code))).toContain('DE');
  });

  it('a lifetime AUDIENCE report by age and gender has one row per cell', async () => {
    const rows = await allRows(
      sandbox,
      {
        advertiser_id: advertiser.advertiserId,
        report_type: 'AUDIENCE',
        data_level: 'AUCTION_ADVERTISER',
        dimensions: ['advertiser_id', 'age', 'gender'],
        metrics: ['spend', 'impressions', 'clicks', 'ctr', 'cpc', 'cpm'],
        query_lifetime: true,
      },
      token,
    );
    expect(rows.length).toBeLessThanOrEqual(18);
    expect(rows.length).toBeGreaterThan(12);
    expect(Object.keys(rows[0].dimensions)).toEqual(['advertiser_id', 'age', 'gender']);
  });
});

describe('validation', () => {
  const cases: [string, Params, string][] = [
    ['a 31-day daily span', { start_date: '2025-01-01', end_date: '2025-01-31' }, 'end_date'],
    ['an unknown metric', { metrics: ['spend', 'made_up'] }, 'metrics'],
    [
      'an attribute above its level',
      { data_level: 'AUCTION_ADVERTISER', dimensions: ['stat_time_day'], metrics: ['campaign_name'] },
      'metrics',
    ],
    ['a missing report_type', { report_type: undefined }, 'report_type'],
    ['an unknown data_level', { data_level: 'CAMPAIGN' }, 'data_level'],
    ['dimensions not a JSON list', { dimensions: 'campaign_id' }, 'dimensions'],
    ['an ID dimension of another level', { dimensions: ['ad_id', 'stat_time_day'] }, 'dimensions'],
    ['an audience dimension in BASIC', { dimensions: ['campaign_id', 'age'] }, 'dimensions'],
    ['a bad date', { start_date: '2025-02-30' }, 'start_date'],
    ['end before start', { start_date: '2025-01-10', end_date: '2025-01-09' }, 'end_date'],
    ['a missing start_date', { start_date: undefined }, 'start_date'],
    ['a missing advertiser_id', { advertiser_id: undefined }, 'advertiser_id'],
  ];
  it.each(cases)('rejects %s with 40002 naming the parameter', async (_name, extra, parameter) => {
    const params = { ...basic('AUCTION_CAMPAIGN', ['campaign_id', 'stat_time_day'], CORE), ...extra };
    const response = await report(sandbox, params, token);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ code: 40002, data: {} });
    expect(response.json.message.startsWith(`${parameter}: `)).toBe(true);
  });

  it('allows exactly 30 days with stat_time_day and a year without it', async () => {
    const ok30 = basic('AUCTION_CAMPAIGN', ['campaign_id', 'stat_time_day'], CORE, {
      start_date: '2025-01-01',
      end_date: '2025-01-30',
    });
    expect((await report(sandbox, ok30, token)).json.code).toBe(0);
    const year = basic('AUCTION_CAMPAIGN', ['campaign_id'], CORE, {
      start_date: '2024-01-01',
      end_date: '2024-12-30',
    });
    expect((await report(sandbox, year, token)).json.code).toBe(0);
    expect((await report(sandbox, { ...year, end_date: '2024-12-31' }, token)).json.code).toBe(40002);
  });

  it('answers features the sandbox lacks with 40009, and foreign advertisers with 40001', async () => {
    const params = basic('AUCTION_CAMPAIGN', ['campaign_id', 'stat_time_hour'], CORE);
    expect((await report(sandbox, params, token)).json.code).toBe(40009);
    const filtered = basic('AUCTION_CAMPAIGN', ['campaign_id'], CORE, {
      filtering: [{ field_name: 'campaign_ids', filter_type: 'IN', filter_value: '["1"]' }],
    });
    expect((await report(sandbox, filtered, token)).json.code).toBe(40009);
    const agencyAdvertiser = findUserByEmail('agency@example.com')!.advertisers[0]!.advertiserId;
    const foreign = basic('AUCTION_CAMPAIGN', ['campaign_id'], CORE, { advertiser_id: agencyAdvertiser });
    expect((await report(sandbox, foreign, token)).json.code).toBe(40001);
    const unknown = basic('AUCTION_CAMPAIGN', ['campaign_id'], CORE, { advertiser_id: '1234567890123456' });
    expect((await report(sandbox, unknown, token)).json.code).toBe(40300);
  });

  it('orders by order_field when asked', async () => {
    const rows = await allRows(
      sandbox,
      basic('AUCTION_AD', ['ad_id'], CORE, { order_field: 'spend', order_type: 'DESC' }),
      token,
    );
    const spends = rows.map((row) => Number(row.metrics.spend));
    expect(spends).toEqual([...spends].sort((a, b) => b - a));
  });
});
