import { describe, expect, it } from 'vitest';
import {
  ACCOUNT,
  drain,
  loadFixture,
  okFixture,
  type RecordedRequest,
  recordingHooks,
  reportRequest as request,
  setupExtraction as setup,
  TOKEN,
  TRAFFIC_METRICS as TRAFFIC,
} from './replay-fetch.ts';
import { ga4Templates } from './templates.ts';

function bodyOf(call: RecordedRequest): Record<string, unknown> {
  return JSON.parse(call.body!) as Record<string, unknown>;
}

describe('templates and columns', () => {
  it('offers five templates, each within one request’s limits, date first in the columns', () => {
    expect(ga4Templates.map((template) => template.id)).toEqual([
      'ga4.traffic_daily',
      'ga4.acquisition_daily',
      'ga4.geo_device_daily',
      'ga4.landing_pages_daily',
      'ga4.key_events_daily',
    ]);
    const { extraction } = setup();
    for (const template of ga4Templates) {
      expect(template.metrics.length).toBeLessThanOrEqual(10);
      const columns = extraction.columns({ ...request(template.id), template });
      expect(columns[0]).toEqual({ name: 'date', type: 'date' });
    }
    expect(extraction.columns(request('ga4.traffic_daily', TRAFFIC))).toEqual([
      { name: 'date', type: 'date' },
      { name: 'sessions', type: 'integer' },
      { name: 'screen_page_views', type: 'integer' },
      { name: 'key_events', type: 'integer' },
      { name: 'total_revenue', type: 'money' },
      { name: 'engagement_rate', type: 'percent' },
      { name: 'average_session_duration', type: 'decimal' },
    ]);
  });

  it('refuses unknown fields and empty metric selections', () => {
    const { extraction } = setup();
    expect(() => extraction.columns(request('ga4.traffic_daily', ['clicks']))).toThrow(/no metric clicks/);
    expect(() => extraction.columns(request('ga4.traffic_daily', []))).toThrow(/at least one metric/);
  });
});

describe('reading runReport', () => {
  it('sends date + dimensions, metrics, the window, paging and returnPropertyQuota; types every cell', async () => {
    const { extraction, requests } = setup();
    const hooks = recordingHooks();
    const pages = await drain(extraction.read(TOKEN, request('ga4.traffic_daily', TRAFFIC), hooks));
    expect(pages).toEqual([
      [
        {
          date: '2024-03-01',
          sessions: 1289,
          screen_page_views: 4410,
          key_events: 37,
          total_revenue: 1520.75,
          engagement_rate: 65.23,
          average_session_duration: 143.27183,
        },
        {
          date: '2024-03-02',
          sessions: 1104,
          screen_page_views: 3875,
          key_events: 29,
          total_revenue: 980.5,
          engagement_rate: 61.359,
          average_session_duration: 131.0042,
        },
        {
          date: '2024-03-03',
          sessions: 998,
          screen_page_views: 3402,
          key_events: 31,
          total_revenue: 1211,
          engagement_rate: 59.87,
          average_session_duration: 127.5,
        },
      ],
    ]);
    expect(hooks.calls).toBe(1);
    expect(requests[0]!.url.toString()).toBe(
      'https://analyticsdata.googleapis.com/v1beta/properties/301000001:runReport',
    );
    expect(requests[0]!.headers.get('authorization')).toBe(`Bearer ${TOKEN.accessToken}`);
    expect(bodyOf(requests[0]!)).toEqual({
      dateRanges: [{ startDate: '2024-03-01', endDate: '2024-03-03' }],
      dimensions: [{ name: 'date' }],
      metrics: [
        'sessions',
        'screenPageViews',
        'keyEvents',
        'totalRevenue',
        'engagementRate',
        'averageSessionDuration',
      ].map((name) => ({ name })),
      orderBys: [{ dimension: { dimensionName: 'date' } }],
      offset: 0,
      limit: 10_000,
      returnPropertyQuota: true,
    });
  });

  it('pages by offset until rowCount, keeping dimension values as text', async () => {
    const { extraction, requests } = setup(
      {
        'POST runReport': [
          okFixture('run_report_acquisition_page1.json'),
          okFixture('run_report_acquisition_page2.json'),
        ],
      },
      2,
    );
    const metrics = ['sessions', 'key_events', 'total_revenue'];
    const pages = await drain(
      extraction.read(
        TOKEN,
        request('ga4.acquisition_daily', metrics, '2024-03-01', '2024-03-01'),
        recordingHooks(),
      ),
    );
    expect(pages.map((page) => page.length)).toEqual([2, 1]);
    expect(pages[1]![0]).toEqual({
      date: '2024-03-01',
      session_source: 'newsletter',
      session_medium: 'email',
      session_campaign_name: 'spring_sale',
      session_default_channel_group: 'Email',
      sessions: 175,
      key_events: 6,
      total_revenue: 180,
    });
    expect(requests.map((call) => [bodyOf(call).offset, bodyOf(call).limit])).toEqual([
      [0, 2],
      [2, 2],
    ]);
    expect((bodyOf(requests[0]!).dimensions as unknown[]).length).toBe(5);
  });

  it('an empty report ({} without rows or rowCount) reads nothing in one call', async () => {
    const { extraction, requests } = setup({ 'POST runReport': okFixture('run_report_empty_response.json') });
    expect(await drain(extraction.read(TOKEN, request('ga4.traffic_daily'), recordingHooks()))).toEqual([]);
    expect(requests).toHaveLength(1);
  });

  it.each([
    [
      'the documentation sample (no date dimension)',
      okFixture('run_report_response_doc_example.json'),
      /no dimension header date/,
    ],
    [
      'a row outside the window',
      { body: { ...(loadFixture('run_report_traffic_daily_response.json') as object), rowCount: 3 } },
      /outside the requested/,
    ],
    [
      'a page cut off mid-body',
      { body: '{"dimensionHeaders":[{"name":"date"}],"rows":[{"dimen', raw: true },
      /not valid JSON/,
    ],
  ])('%s is provider_malformed_response, nothing yielded', async (_name, answer, message) => {
    const { extraction } = setup({ 'POST runReport': answer });
    const window =
      _name === 'a row outside the window' ? ['2024-03-02', '2024-03-03'] : ['2024-03-01', '2024-03-03'];
    const pages: unknown[] = [];
    const error = await (async () => {
      for await (const page of extraction.read(
        TOKEN,
        request('ga4.traffic_daily', TRAFFIC, window[0], window[1]),
        recordingHooks(),
      )) {
        pages.push(page);
      }
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'provider_malformed_response',
      message: expect.stringMatching(message),
    });
    expect(pages).toEqual([]);
  });

  it('a window Google folded into "(other)" is read again in halves', async () => {
    const lossy = { ...(loadFixture('run_report_traffic_daily_response.json') as Record<string, unknown>) };
    lossy.metadata = { currencyCode: 'EUR', timeZone: 'Europe/Berlin', dataLossFromOtherRow: true };
    const day = (date: string) => ({
      body: {
        ...lossy,
        metadata: { currencyCode: 'EUR', timeZone: 'Europe/Berlin' },
        rows: [{ dimensionValues: [{ value: date }], metricValues: [{ value: '5' }] }],
        rowCount: 1,
        metricHeaders: [{ name: 'sessions', type: 'TYPE_INTEGER' }],
      },
    });
    const { extraction, requests } = setup({
      'POST runReport': [{ body: lossy }, day('20240301'), day('20240302')],
    });
    const rows = (
      await drain(
        extraction.read(
          TOKEN,
          request('ga4.traffic_daily', ['sessions'], '2024-03-01', '2024-03-02'),
          recordingHooks(),
        ),
      )
    ).flat();
    expect(rows).toEqual([
      { date: '2024-03-01', sessions: 5 },
      { date: '2024-03-02', sessions: 5 },
    ]);
    expect(requests.map((call) => bodyOf(call).dateRanges)).toEqual([
      [{ startDate: '2024-03-01', endDate: '2024-03-02' }],
      [{ startDate: '2024-03-01', endDate: '2024-03-01' }],
      [{ startDate: '2024-03-02', endDate: '2024-03-02' }],
    ]);
  });

  it('refuses a window wider than 30 days or a non-numeric property before any call', async () => {
    const { extraction, requests } = setup();
    await expect(
      drain(
        extraction.read(
          TOKEN,
          request('ga4.traffic_daily', undefined, '2024-01-01', '2024-02-15'),
          recordingHooks(),
        ),
      ),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    const bad = { ...request('ga4.traffic_daily'), account: { ...ACCOUNT, id: '../x' } };
    await expect(drain(extraction.read(TOKEN, bad, recordingHooks()))).rejects.toMatchObject({
      code: 'validation_failed',
    });
    expect(requests).toHaveLength(0);
  });
});

describe('totals', () => {
  it('reads the reconcilable metrics of the selection by date only', async () => {
    const { extraction, requests } = setup();
    const totals = await extraction.totals(
      TOKEN,
      request('ga4.acquisition_daily', ['sessions', 'total_users', 'key_events', 'total_revenue']),
      recordingHooks(),
    );
    expect(totals[0]).toEqual({
      date: '2024-03-01',
      values: { sessions: 1289, key_events: 37, total_revenue: 1520.75 },
    });
    expect(totals).toHaveLength(3);
    const body = bodyOf(requests[0]!);
    expect(body.dimensions).toEqual([{ name: 'date' }]);
    expect(body.metrics).toEqual([{ name: 'sessions' }, { name: 'keyEvents' }, { name: 'totalRevenue' }]);
  });

  it('has nothing to reconcile when no reconcilable metric is selected', async () => {
    const { extraction, requests } = setup();
    expect(
      await extraction.totals(
        TOKEN,
        request('ga4.key_events_daily', ['event_count', 'total_users']),
        recordingHooks(),
      ),
    ).toEqual([]);
    expect(requests).toHaveLength(0);
  });
});
