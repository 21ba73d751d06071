import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUserByEmail } from './seed.ts';
import { apiGet, localDate, login, runReport, startSandbox, type TestSandbox } from './test-harness.ts';

let sandbox: TestSandbox;
let token: string;
const alex = findUserByEmail('alex@example.com')!;
const web = alex.accounts[0]!.properties[0]!;
const app = alex.accounts[0]!.properties[1]!;
beforeAll(async () => {
  sandbox = await startSandbox();
  token = (await login(sandbox, 'alex@example.com')).access;
});
afterAll(async () => {
  await sandbox.close();
});

const named = (...names: string[]) => names.map((name) => ({ name }));
const lastWeek = () => [
  { startDate: localDate(sandbox, web.timeZone, -8), endDate: localDate(sandbox, web.timeZone, -2) },
];
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary Google JSON.
const cells = (row: any) =>
  [...row.dimensionValues, ...row.metricValues].map((cell: { value: string }) => cell.value);
// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary Google JSON.
function sumBy(rows: any[], metricIndex: number): number {
  return rows.reduce((sum, row) => sum + Number(row.metricValues[metricIndex].value), 0);
}

describe('runReport basics', () => {
  it('answers headers, string cells, rowCount, metadata and kind', async () => {
    const response = await runReport(
      sandbox,
      web.propertyId,
      {
        dateRanges: lastWeek(),
        dimensions: named('date'),
        metrics: named('sessions', 'engagementRate', 'totalRevenue'),
      },
      token,
    );
    expect(response.status).toBe(200);
    const body = response.json;
    expect(body.dimensionHeaders).toEqual([{ name: 'date' }]);
    expect(body.metricHeaders).toEqual([
      { name: 'sessions', type: 'TYPE_INTEGER' },
      { name: 'engagementRate', type: 'TYPE_FLOAT' },
      { name: 'totalRevenue', type: 'TYPE_CURRENCY' },
    ]);
    expect(body.rowCount).toBe(7);
    expect(body.rows).toHaveLength(7);
    expect(body.metadata).toEqual({ currencyCode: 'EUR', timeZone: 'Europe/Berlin' });
    expect(body.kind).toBe('analyticsData#runReport');
    expect(body.propertyQuota).toBeUndefined();
    for (const row of body.rows) {
      expect(row.dimensionValues[0].value).toMatch(/^\d{8}$/);
      for (const value of cells(row)) expect(typeof value).toBe('string');
      expect(row.metricValues[0].value).toMatch(/^\d+$/);
      expect(row.metricValues[2].value).toMatch(/^\d+(\.\d{1,2})?$/);
    }
  });

  it('sessions, views, key events, events and revenue add up across any breakdown', async () => {
    const metrics = named(
      'sessions',
      'screenPageViews',
      'keyEvents',
      'eventCount',
      'engagedSessions',
      'totalRevenue',
    );
    const request = (dimensions: string[]) =>
      runReport(
        sandbox,
        web.propertyId,
        { dateRanges: lastWeek(), dimensions: named(...dimensions), metrics, limit: 100000 },
        token,
      );
    const base = (await request(['date'])).json.rows;
    for (const breakdown of [
      ['date', 'sessionSource', 'sessionMedium'],
      ['date', 'country', 'deviceCategory', 'landingPage'],
      ['date', 'eventName'],
      ['sessionDefaultChannelGroup', 'sessionCampaignName', 'eventName'],
    ]) {
      const rows = (await request(breakdown)).json.rows;
      for (let index = 0; index < 5; index += 1) expect(sumBy(rows, index)).toBe(sumBy(base, index));
      expect(Math.round(sumBy(rows, 5) * 100)).toBe(Math.round(sumBy(base, 5) * 100));
    }
  });

  it('pages with offset and limit; rowCount counts every row', async () => {
    const body = {
      dateRanges: lastWeek(),
      dimensions: named('date', 'sessionSource', 'country'),
      metrics: named('sessions'),
    };
    const all = (await runReport(sandbox, web.propertyId, body, token)).json;
    expect(all.rowCount).toBeGreaterThan(20);
    const pages = [];
    for (let offset = 0; offset < all.rowCount; offset += 7) {
      // int64 fields may come as strings, as proto3 JSON allows.
      const page = (
        await runReport(sandbox, web.propertyId, { ...body, offset: String(offset), limit: 7 }, token)
      ).json;
      expect(page.rowCount).toBe(all.rowCount);
      pages.push(...page.rows);
    }
    expect(pages).toEqual(all.rows);
    const past = (await runReport(sandbox, web.propertyId, { ...body, offset: all.rowCount }, token)).json;
    expect(past.rows).toBeUndefined();
    expect(past.rowCount).toBe(all.rowCount);
  });

  it('orders by the first metric (largest first) by default, or by orderBys', async () => {
    const body = { dateRanges: lastWeek(), dimensions: named('sessionSource'), metrics: named('sessions') };
    const byDefault = (await runReport(sandbox, web.propertyId, body, token)).json.rows.map((row: object) =>
      Number(cells(row)[1]),
    );
    expect([...byDefault].sort((a, b) => b - a)).toEqual(byDefault);
    const ordered = await runReport(
      sandbox,
      web.propertyId,
      { ...body, orderBys: [{ dimension: { dimensionName: 'sessionSource' }, desc: true }] },
      token,
    );
    const sources = ordered.json.rows.map((row: object) => cells(row)[0]);
    expect(sources).toEqual([...sources].sort().reverse());
  });

  it('an empty report has neither rows nor rowCount; app properties have no landing page', async () => {
    const future = localDate(sandbox, web.timeZone, 5);
    const empty = await runReport(
      sandbox,
      web.propertyId,
      {
        dateRanges: [{ startDate: future, endDate: future }],
        dimensions: named('date'),
        metrics: named('sessions'),
      },
      token,
    );
    expect(empty.status).toBe(200);
    expect(Object.keys(empty.json).sort()).toEqual(['dimensionHeaders', 'kind', 'metadata', 'metricHeaders']);
    const pages = await runReport(
      sandbox,
      app.propertyId,
      { dateRanges: lastWeek(), dimensions: named('landingPage'), metrics: named('sessions') },
      token,
    );
    expect(pages.json.rows.map((row: object) => cells(row)[0])).toEqual(['(not set)']);
    expect(pages.json.metadata).toEqual({ currencyCode: 'USD', timeZone: 'America/New_York' });
  });

  it('filters dimensions and metrics; totals, maximums and minimums', async () => {
    const response = await runReport(
      sandbox,
      web.propertyId,
      {
        dateRanges: lastWeek(),
        dimensions: named('sessionSource', 'deviceCategory'),
        metrics: named('sessions'),
        dimensionFilter: {
          andGroup: {
            expressions: [
              {
                filter: { fieldName: 'sessionSource', stringFilter: { matchType: 'EXACT', value: 'google' } },
              },
              {
                notExpression: {
                  filter: { fieldName: 'deviceCategory', inListFilter: { values: ['tablet'] } },
                },
              },
            ],
          },
        },
        metricFilter: {
          filter: {
            fieldName: 'sessions',
            numericFilter: { operation: 'GREATER_THAN', value: { int64Value: '0' } },
          },
        },
        metricAggregations: ['TOTAL', 'MAXIMUM', 'MINIMUM'],
      },
      token,
    );
    const rows = response.json.rows.map(cells);
    expect(rows.map((row: string[]) => row[0])).toEqual(rows.map(() => 'google'));
    expect(new Set(rows.map((row: string[]) => row[1]))).toEqual(new Set(['desktop', 'mobile']));
    expect(response.json.totals).toEqual([
      {
        dimensionValues: [{ value: 'RESERVED_TOTAL' }, { value: 'RESERVED_TOTAL' }],
        metricValues: [{ value: String(sumBy(response.json.rows, 0)) }],
      },
    ]);
    expect(response.json.maximums[0].metricValues[0].value).toBe(rows[0][2]);
    expect(response.json.minimums[0].metricValues[0].value).toBe(rows.at(-1)[2]);
  });

  it('several date ranges add a dateRange dimension', async () => {
    const ranges = [
      { startDate: '14daysAgo', endDate: '8daysAgo', name: 'before' },
      { startDate: '7daysAgo', endDate: 'yesterday' },
    ];
    const response = await runReport(
      sandbox,
      web.propertyId,
      { dateRanges: ranges, dimensions: [], metrics: named('sessions') },
      token,
    );
    expect(response.json.dimensionHeaders).toEqual([{ name: 'dateRange' }]);
    expect(response.json.rows.map((row: object) => cells(row)[0]).sort()).toEqual(['before', 'date_range_1']);
  });

  it('returns propertyQuota only when asked, consuming tokens', async () => {
    const body = {
      dateRanges: lastWeek(),
      dimensions: named('date'),
      metrics: named('sessions'),
      returnPropertyQuota: true,
    };
    const first = (await runReport(sandbox, alex.accounts[1]!.properties[0]!.propertyId, body, token)).json
      .propertyQuota;
    expect(Object.keys(first).sort()).toEqual([
      'concurrentRequests',
      'potentiallyThresholdedRequestsPerHour',
      'serverErrorsPerProjectPerHour',
      'tokensPerDay',
      'tokensPerHour',
      'tokensPerProjectPerHour',
    ]);
    expect(first.tokensPerHour.consumed).toBe(2);
    expect(first.concurrentRequests).toEqual({ consumed: 0, remaining: 10 });
    const second = (await runReport(sandbox, alex.accounts[1]!.properties[0]!.propertyId, body, token)).json
      .propertyQuota;
    expect(second.tokensPerHour.remaining).toBe(first.tokensPerHour.remaining - 2);
    expect(second.tokensPerDay.remaining).toBe(first.tokensPerDay.remaining - 2);
  });

  it('serves metadata with metric types', async () => {
    const response = await apiGet(sandbox, `/data/v1beta/properties/${web.propertyId}/metadata`, token);
    expect(response.json.name).toBe(`properties/${web.propertyId}/metadata`);
    const types = Object.fromEntries(
      response.json.metrics.map((metric: { apiName: string; type: string }) => [metric.apiName, metric.type]),
    );
    expect(types).toMatchObject({
      keyEvents: 'TYPE_INTEGER',
      bounceRate: 'TYPE_FLOAT',
      userEngagementDuration: 'TYPE_SECONDS',
      purchaseRevenue: 'TYPE_CURRENCY',
    });
  });
});

describe('runReport refusals', () => {
  const base = () => ({ dateRanges: lastWeek(), dimensions: named('date'), metrics: named('sessions') });
  it.each([
    ['an unknown dimension', { dimensions: named('city') }, /^Field city is not a valid dimension\./],
    ['an unknown metric', { metrics: named('conversions') }, /^Field conversions is not a valid metric\./],
    [
      '10 dimensions',
      {
        dimensions: named(
          'date',
          'sessionSource',
          'sessionMedium',
          'sessionCampaignName',
          'sessionDefaultChannelGroup',
          'country',
          'deviceCategory',
          'landingPage',
          'eventName',
          'date',
        ),
      },
      /limited to 9 dimensions/,
    ],
    [
      '11 metrics',
      {
        metrics: named(
          'sessions',
          'activeUsers',
          'newUsers',
          'totalUsers',
          'engagedSessions',
          'screenPageViews',
          'eventCount',
          'keyEvents',
          'engagementRate',
          'bounceRate',
          'totalRevenue',
        ),
      },
      /limited to 10 metrics/,
    ],
    [
      'an unknown field',
      { dimension: named('date') },
      /^Invalid JSON payload received\. Unknown name "dimension"/,
    ],
    ['no date range', { dateRanges: [] }, /date range/],
    [
      'a bad date',
      { dateRanges: [{ startDate: '2024-02-30', endDate: 'today' }] },
      /YYYY-MM-DD, NdaysAgo, yesterday, or today/,
    ],
    ['reversed dates', { dateRanges: [{ startDate: 'today', endDate: 'yesterday' }] }, /must not be after/],
    ['a date before GA4', { dateRanges: [{ startDate: '2014-01-01', endDate: 'today' }] }, /2015-08-14/],
    ['a negative limit', { limit: -1 }, /limit must be positive/],
    ['a non-integer offset', { offset: 'ten' }, /TYPE_INT64/],
    [
      'an order by a field not requested',
      { orderBys: [{ metric: { metricName: 'keyEvents' } }] },
      /not in the request/,
    ],
    [
      'a bad filter',
      { dimensionFilter: { filter: { fieldName: 'sessions', stringFilter: { value: 'x' } } } },
      /not a valid dimension/,
    ],
  ])('refuses %s with 400 INVALID_ARGUMENT', async (_name, change, message) => {
    const response = await runReport(sandbox, web.propertyId, { ...base(), ...change }, token);
    expect([response.status, response.json.error.status, response.json.error.code]).toEqual([
      400,
      'INVALID_ARGUMENT',
      400,
    ]);
    expect(response.json.error.message).toMatch(message);
  });

  it('a property of someone else, or none, is 403 PERMISSION_DENIED', async () => {
    const other = findUserByEmail('agency@example.com')!.accounts[0]!.properties[0]!.propertyId;
    for (const id of [other, '999999999']) {
      const response = await runReport(sandbox, id, base(), token);
      expect([response.status, response.json.error.status]).toEqual([403, 'PERMISSION_DENIED']);
      expect(response.json.error.message).toMatch(
        /^User does not have sufficient permissions for this property/,
      );
    }
  });

  it('a body that is not JSON is 400 INVALID_ARGUMENT; an unknown method is 404', async () => {
    const broken = await sandbox.app.inject({
      method: 'POST',
      url: `/sandbox/ga4/data/v1beta/properties/${web.propertyId}:runReport`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: '{"dateRanges": [',
    });
    expect([broken.statusCode, JSON.parse(broken.body).error.status]).toEqual([400, 'INVALID_ARGUMENT']);
    const unknown = await sandbox.app.inject({
      method: 'POST',
      url: `/sandbox/ga4/data/v1beta/properties/${web.propertyId}:runFunnelReport`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: '{}',
    });
    expect([unknown.statusCode, JSON.parse(unknown.body).error.status]).toEqual([404, 'NOT_FOUND']);
  });
});
