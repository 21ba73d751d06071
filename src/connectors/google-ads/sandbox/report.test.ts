import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entitiesOf } from './entities.ts';
import { findUserByEmail, reachableCustomers } from './seed.ts';
import {
  adsHeaders,
  localDate,
  login,
  type Row,
  search,
  startSandbox,
  stream,
  streamRows,
  type TestSandbox,
} from './test-harness.ts';

let sandbox: TestSandbox;
let headers: Record<string, string>;
const alex = findUserByEmail('alex@example.com')!;
const mcc = alex.accessible[0]!;
const client = reachableCustomers(alex).find((customer) => customer.name === 'Morgan Brand Search')!;
beforeAll(async () => {
  sandbox = await startSandbox();
  headers = adsHeaders(await login(sandbox, 'alex@example.com'), mcc.id);
});
afterAll(async () => {
  await sandbox.close();
});

const day = (offset: number) => localDate(sandbox, client.timeZone, offset);
const week = () => `segments.date BETWEEN '${day(-9)}' AND '${day(-3)}'`;
const rows = (query: string) => streamRows(sandbox, client.id, query, headers);
const errorCode = async (query: string) => {
  const response = await stream(sandbox, client.id, query, headers);
  expect(response.status).toBe(400);
  expect(Array.isArray(response.json)).toBe(true);
  return response.json[0].error.details[0].errors[0].errorCode;
};
const sum = (list: Row[], pick: (row: Row) => string | number | undefined) =>
  list.reduce((total, row) => total + Number(pick(row) ?? 0), 0);

describe('searchStream reports', () => {
  it('answers an array of batches with int64 strings, double numbers, resource names and the field mask', async () => {
    const response = await stream(
      sandbox,
      client.id,
      `SELECT campaign.id, campaign.name, segments.date, metrics.impressions, metrics.cost_micros, metrics.conversions FROM campaign WHERE ${week()}`,
      headers,
    );
    expect(response.status).toBe(200);
    expect(String(response.headers['request-id'])).toBe(response.json[0].requestId);
    const [batch] = response.json;
    expect(batch.fieldMask).toBe(
      'campaign.id,campaign.name,segments.date,metrics.impressions,metrics.costMicros,metrics.conversions',
    );
    expect(batch.queryResourceConsumption).toMatch(/^\d+$/);
    const row = batch.results[0];
    expect(row.campaign.resourceName).toBe(`customers/${client.id}/campaigns/${row.campaign.id}`);
    expect(typeof row.metrics.impressions).toBe('string');
    expect(typeof row.metrics.costMicros).toBe('string');
    expect(batch.results.some((each: Row) => typeof each.metrics.conversions === 'number')).toBe(true);
  });

  it('account totals equal the sum of campaigns; ad groups and keywords sum to less or equal', async () => {
    const where = `WHERE ${week()}`;
    const account = await rows(
      `SELECT segments.date, metrics.clicks, metrics.cost_micros FROM customer ${where}`,
    );
    const campaigns = await rows(
      `SELECT campaign.id, metrics.clicks, metrics.cost_micros FROM campaign ${where}`,
    );
    const groups = await rows(`SELECT ad_group.id, metrics.clicks FROM ad_group ${where}`);
    const ads = await rows(
      `SELECT ad_group_ad.ad.id, ad_group_ad.ad.type, metrics.clicks FROM ad_group_ad ${where}`,
    );
    const keywords = await rows(
      `SELECT ad_group_criterion.keyword.text, ad_group_criterion.keyword.match_type, metrics.clicks FROM keyword_view ${where}`,
    );
    const terms = await rows(
      `SELECT search_term_view.search_term, metrics.clicks FROM search_term_view ${where}`,
    );
    const searchCampaigns = await rows(
      `SELECT campaign.id, metrics.clicks FROM campaign ${where} AND campaign.advertising_channel_type = 'SEARCH'`,
    );
    expect(account).toHaveLength(7);
    const clicks = (list: Row[]) => sum(list, (row) => row.metrics?.clicks);
    expect(clicks(campaigns)).toBe(clicks(account));
    expect(sum(campaigns, (row) => row.metrics.costMicros)).toBe(
      sum(account, (row) => row.metrics.costMicros),
    );
    expect(clicks(groups)).toBe(clicks(ads));
    expect(clicks(groups)).toBeLessThanOrEqual(clicks(account));
    expect(clicks(keywords)).toBe(clicks(searchCampaigns));
    expect(clicks(terms)).toBe(clicks(keywords));
    expect(ads[0].adGroupAd.ad.resourceName).toBe(`customers/${client.id}/ads/${ads[0].adGroupAd.ad.id}`);
    expect(['EXACT', 'PHRASE', 'BROAD']).toContain(keywords[0].adGroupCriterion.keyword.matchType);
  });

  it('segments by device and network; filters with IN, != and metric conditions; orders and limits', async () => {
    const byDevice = await rows(
      `SELECT segments.device, segments.ad_network_type, metrics.impressions FROM customer WHERE ${week()}`,
    );
    expect(new Set(byDevice.map((row) => row.segments.device))).toContain('MOBILE');
    const total = await rows(`SELECT metrics.impressions FROM customer WHERE ${week()}`);
    expect(sum(byDevice, (row) => row.metrics.impressions)).toBe(Number(total[0].metrics.impressions));
    const mobile = await rows(
      `SELECT segments.date, metrics.clicks FROM campaign WHERE ${week()} AND segments.device IN ('MOBILE', 'TABLET')`,
    );
    const desktop = await rows(
      `SELECT segments.date, metrics.clicks FROM campaign WHERE ${week()} AND segments.device != 'MOBILE' AND segments.device != 'TABLET'`,
    );
    const all = await rows(`SELECT segments.date, metrics.clicks FROM campaign WHERE ${week()}`);
    expect(sum(mobile, (row) => row.metrics?.clicks) + sum(desktop, (row) => row.metrics?.clicks)).toBe(
      sum(all, (row) => row.metrics?.clicks),
    );
    const top = await rows(
      `SELECT campaign.id, metrics.clicks FROM campaign WHERE ${week()} AND metrics.clicks > 0 ORDER BY metrics.clicks DESC LIMIT 2`,
    );
    expect(top).toHaveLength(2);
    expect(Number(top[0].metrics.clicks)).toBeGreaterThanOrEqual(Number(top[1].metrics.clicks));
  });

  it('attribute queries list every entity; segments without metrics select nothing', async () => {
    const entities = entitiesOf(client.id)!;
    const campaigns = await rows(
      'SELECT campaign.id, campaign.status, campaign.advertising_channel_type FROM campaign',
    );
    expect(campaigns.map((row) => row.campaign.id)).toEqual(
      entities.campaigns.map((campaign) => campaign.id),
    );
    expect(await rows(`SELECT campaign.id, segments.date FROM campaign WHERE ${week()}`)).toEqual([]);
    const empty = await stream(
      sandbox,
      client.id,
      `SELECT metrics.clicks FROM customer WHERE segments.date = '2001-01-01'`,
      headers,
    );
    expect(empty.json).toEqual([
      { fieldMask: 'metrics.clicks', requestId: empty.json[0].requestId, queryResourceConsumption: '50' },
    ]);
  });

  it('DURING ranges resolve in the account zone; today is partial', async () => {
    const yesterday = await rows(
      'SELECT segments.date, metrics.impressions FROM customer WHERE segments.date DURING YESTERDAY',
    );
    expect(yesterday.map((row) => row.segments.date)).toEqual([day(-1)]);
    const last7 = await rows(
      'SELECT segments.date, metrics.impressions FROM customer WHERE segments.date DURING LAST_7_DAYS',
    );
    expect(last7.map((row) => row.segments.date)).toEqual([-7, -6, -5, -4, -3, -2, -1].map(day));
  });

  it('googleAds:search serves reports too, paged', async () => {
    const response = await search(
      sandbox,
      client.id,
      { query: `SELECT segments.date, metrics.clicks FROM customer WHERE ${week()}` },
      headers,
    );
    expect([response.status, response.json.results.length, response.json.nextPageToken]).toEqual([
      200,
      7,
      undefined,
    ]);
  });
});

describe('query errors like the API', () => {
  it.each([
    ['SELEC campaign.id FROM campaign', 'EXPECTED_SELECT'],
    ['SELECT campaign.id campaign', 'EXPECTED_FROM'],
    ['SELECT campaign.nam FROM campaign', 'UNRECOGNIZED_FIELD'],
    ['SELECT campaign.id FROM campaigns', 'BAD_RESOURCE_TYPE_IN_FROM_CLAUSE'],
    ['SELECT ad_group.id FROM campaign', 'PROHIBITED_RESOURCE_TYPE_IN_SELECT_CLAUSE'],
    [
      'SELECT customer_client.id, metrics.clicks FROM customer_client',
      'PROHIBITED_METRIC_IN_SELECT_OR_WHERE_CLAUSE',
    ],
    ['SELECT segments.date, metrics.clicks FROM campaign', 'EXPECTED_FILTERS_ON_DATE_RANGE'],
    [
      "SELECT metrics.clicks FROM campaign WHERE segments.date BETWEEN '2025-01-10' AND '2025-01-01'",
      'INVALID_VALUE_WITH_BETWEEN_OPERATOR',
    ],
    ["SELECT metrics.clicks FROM campaign WHERE segments.date = '2025-02-30'", 'INVALID_DATE_FORMAT'],
    ["SELECT metrics.clicks FROM campaign WHERE campaign.status = 'RUNNING'", 'BAD_ENUM_CONSTANT'],
    [
      'SELECT metrics.clicks FROM campaign WHERE segments.date DURING LAST_3_YEARS',
      'INVALID_VALUE_WITH_DURING_OPERATOR',
    ],
    ["SELECT metrics.clicks FROM campaign WHERE campaign.name = 'x", 'STRING_NOT_TERMINATED'],
    ['SELECT metrics.clicks FROM campaign LIMIT 0', 'LIMIT_VALUE_TOO_LOW'],
    ['SELECT metrics.clicks FROM campaign WHERE', 'UNEXPECTED_END_OF_QUERY'],
    ['SELECT metrics.clicks FROM campaign GROUP BY campaign.id', 'UNEXPECTED_INPUT'],
  ])('%s -> %s', async (query, code) => {
    expect(await errorCode(query)).toEqual({ queryError: code });
  });

  it('metrics of a manager -> REQUESTED_METRICS_FOR_MANAGER; a missing query and unknown body fields are refused', async () => {
    const manager = await stream(
      sandbox,
      mcc.id,
      `SELECT metrics.clicks FROM customer WHERE ${week()}`,
      headers,
    );
    expect(manager.json[0].error.details[0].errors[0].errorCode).toEqual({
      queryError: 'REQUESTED_METRICS_FOR_MANAGER',
    });
    const missing = await search(sandbox, client.id, {}, headers);
    expect(missing.json.error.details[0].errors[0].errorCode).toEqual({
      requestError: 'REQUIRED_FIELD_MISSING',
    });
    const unknown = await search(
      sandbox,
      client.id,
      { query: 'SELECT campaign.id FROM campaign', pageLimit: 5 },
      headers,
    );
    expect([unknown.status, unknown.json.error.message]).toEqual([
      400,
      'Invalid JSON payload received. Unknown name "pageLimit": Cannot find field.',
    ]);
  });
});
