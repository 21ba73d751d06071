import { describe, expect, it } from 'vitest';
import type { ReportRequest } from '../kit/types.ts';
import {
  build,
  collect,
  drain,
  errorFixture,
  google,
  okFixture,
  REAL_ENV,
  type RecordedRequest,
  recordingHooks,
  routeKey,
  TOKEN,
} from './replay-fetch.ts';
import { CONVERSION_WINDOW_SETTING, findGoogleAdsTemplate, googleAdsTemplates } from './templates.ts';

const STREAM = /googleAds:searchStream$/;
const streamKey = (id: string) => `POST googleads.googleapis.com/v25/customers/${id}/googleAds:searchStream`;

function request(templateId: string, overrides: Partial<ReportRequest> = {}): ReportRequest {
  const template = findGoogleAdsTemplate(templateId)!;
  return {
    template,
    account: { id: '5550002222', name: 'Fixture Brand', timezone: 'America/New_York', currency: 'USD' },
    dimensions: [...template.defaultDimensions],
    metrics: [...template.defaultMetrics],
    settings: { conversion_window: CONVERSION_WINDOW_SETTING.default },
    from: '2024-06-01',
    to: '2024-06-02',
    ...overrides,
  };
}

const queryOf = (sent: RecordedRequest) => (JSON.parse(sent.body!) as { query: string }).query;
const streams = (requests: RecordedRequest[]) => requests.filter((sent) => STREAM.test(sent.url.pathname));

describe('templates', () => {
  it('offers account, campaign, ad group, ad, keyword and search term daily reports', () => {
    expect(googleAdsTemplates.map((entry) => entry.id)).toEqual([
      'google-ads.account_daily',
      'google-ads.campaign_daily',
      'google-ads.ad_group_daily',
      'google-ads.ad_daily',
      'google-ads.keyword_daily',
      'google-ads.search_term_daily',
    ]);
    for (const entry of googleAdsTemplates) {
      expect(entry.settings.map((setting) => setting.name)).toEqual(['conversion_window']);
      expect(entry.defaultLookbackDays).toBe(30);
    }
  });

  it('columns: date first, then the selection with its types', () => {
    const { connector } = build(google());
    expect(connector.extraction!.columns(request('google-ads.campaign_daily'))).toEqual([
      { name: 'date', type: 'date' },
      { name: 'campaign_id', type: 'string' },
      { name: 'campaign_name', type: 'string' },
      { name: 'spend', type: 'money' },
      { name: 'impressions', type: 'integer' },
      { name: 'clicks', type: 'integer' },
      { name: 'ctr', type: 'percent' },
      { name: 'average_cpc', type: 'money' },
      { name: 'conversions', type: 'decimal' },
      { name: 'conversions_value', type: 'money' },
    ]);
  });

  it('refuses unknown fields, no metric, and windows wider than the template allows', async () => {
    const { connector } = build(google());
    expect(() =>
      connector.extraction!.columns(request('google-ads.campaign_daily', { metrics: ['reach'] })),
    ).toThrow(/has no metric reach/);
    expect(() =>
      connector.extraction!.columns(request('google-ads.campaign_daily', { metrics: [] })),
    ).toThrow(/at least one metric/);
    const wide = request('google-ads.search_term_daily', { from: '2024-06-01', to: '2024-06-08' });
    await expect(drain(connector.extraction!.read(TOKEN, wide, recordingHooks()))).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });
});

describe('reading searchStream', () => {
  it('sends the GAQL of the selection and types every cell; each batch is a page', async () => {
    const { connector, requests } = build(google());
    await collect(connector.discoverAccounts(TOKEN));
    const hooks = recordingHooks();
    const pages = await drain(connector.extraction!.read(TOKEN, request('google-ads.campaign_daily'), hooks));
    const [sent] = streams(requests);
    expect(queryOf(sent!)).toBe(
      'SELECT campaign.id, campaign.name, metrics.cost_micros, metrics.impressions, metrics.clicks, metrics.ctr, ' +
        "metrics.average_cpc, metrics.conversions, metrics.conversions_value, segments.date FROM campaign WHERE segments.date BETWEEN '2024-06-01' AND '2024-06-02'",
    );
    // Known through discovery: one call, through the manager above the client.
    expect(hooks.calls).toBe(1);
    expect(sent!.headers.get('login-customer-id')).toBe('5550001111');
    expect(pages).toEqual([
      [
        {
          date: '2024-06-01',
          campaign_id: '21000000101',
          campaign_name: 'Brand - Exact',
          spend: 41.235,
          impressions: 1523,
          clicks: 87,
          ctr: 5.71240971766251,
          average_cpc: 0.473965517241379,
          conversions: 3.5,
          conversions_value: 210.75,
        },
        // Zero metrics are omitted on the wire: they read as 0.
        {
          date: '2024-06-01',
          campaign_id: '21000000102',
          campaign_name: 'Shopping - All',
          spend: 0,
          impressions: 980,
          clicks: 0,
          ctr: 0,
          average_cpc: 0,
          conversions: 0,
          conversions_value: 0,
        },
      ],
      [
        {
          date: '2024-06-02',
          campaign_id: '21000000101',
          campaign_name: 'Brand - Exact',
          spend: 38.87,
          impressions: 1410,
          clicks: 75,
          ctr: 5.31914893617021,
          average_cpc: 0.518266666666667,
          conversions: 2.25,
          conversions_value: 133.5,
        },
      ],
    ]);
  });

  it('an account not seen by discovery is found by walking first, then remembered', async () => {
    const { connector, requests } = build(google());
    const first = recordingHooks();
    await drain(connector.extraction!.read(TOKEN, request('google-ads.campaign_daily'), first));
    // listAccessibleCustomers, the direct client, the manager's first page (which has the account), the stream.
    expect(first.calls).toBe(4);
    expect(streams(requests)[0]!.headers.get('login-customer-id')).toBe('5550001111');
    const second = recordingHooks();
    await drain(connector.extraction!.read(TOKEN, request('google-ads.campaign_daily'), second));
    expect(second.calls).toBe(1);
    // A directly accessible client with no manager above it is read without login-customer-id.
    const direct = build(
      google({
        'GET googleads.googleapis.com/v25/customers:listAccessibleCustomers': {
          body: { resourceNames: ['customers/5550004444'] },
        },
      }),
    );
    const account = { id: '5550004444', name: 'Fixture DE', timezone: 'Europe/Berlin', currency: 'EUR' };
    await drain(
      direct.connector.extraction!.read(
        TOKEN,
        request('google-ads.campaign_daily', { account }),
        recordingHooks(),
      ),
    );
    expect(streams(direct.requests)[0]!.headers.has('login-customer-id')).toBe(false);
  });

  it('USER_PERMISSION_DENIED on a remembered path makes the next read walk again', async () => {
    const denied = errorFixture('error_403_user_permission_denied.json');
    const route = google({
      [streamKey('5550002222')]: [denied, okFixture('search_stream_campaign_daily.json')],
    });
    const { connector } = build(route);
    await collect(connector.discoverAccounts(TOKEN));
    const first = await drain(
      connector.extraction!.read(TOKEN, request('google-ads.campaign_daily'), recordingHooks()),
    ).catch((e: unknown) => e);
    expect(first).toMatchObject({ code: 'permission_denied' });
    const hooks = recordingHooks();
    const rows = (
      await drain(connector.extraction!.read(TOKEN, request('google-ads.campaign_daily'), hooks))
    ).flat();
    expect(rows).toHaveLength(3);
    expect(hooks.calls).toBe(4);
  });

  it('an account the user cannot reach is permission_denied without a report call', async () => {
    const { connector, requests } = build(google());
    const account = { id: '5559999999', name: 'Elsewhere', timezone: null, currency: null };
    await expect(
      drain(
        connector.extraction!.read(
          TOKEN,
          request('google-ads.campaign_daily', { account }),
          recordingHooks(),
        ),
      ),
    ).rejects.toMatchObject({ code: 'permission_denied' });
    expect(streams(requests)).toEqual([]);
  });

  it('reads the recorded customer daily stream (money from micros, int64 strings to numbers)', async () => {
    const env = { ...REAL_ENV, GOOGLE_ADS_LOGIN_CUSTOMER_ID: '5550001111' };
    const { connector } = build(
      google({ [streamKey('123321321')]: okFixture('search_stream_response_real_customer_daily.json') }),
      env,
    );
    const account = { id: '123321321', name: 'Recorded', timezone: null, currency: 'PLN' };
    const read = request('google-ads.account_daily', {
      account,
      metrics: ['spend', 'clicks'],
      from: '2024-06-01',
      to: '2024-06-07',
    });
    const rows = (await drain(connector.extraction!.read(TOKEN, read, recordingHooks()))).flat();
    expect(rows).toHaveLength(7);
    expect(rows[0]).toEqual({ date: '2024-06-01', spend: 1061.08362, clicks: 204 });
    expect(rows[6]).toEqual({ date: '2024-06-07', spend: 617.424074, clicks: 147 });
  });

  it('reads the recorded search term row: omitted fields are null, doubles stay doubles', async () => {
    const stream = okFixture('search_stream_response.json');
    const env = { ...REAL_ENV, GOOGLE_ADS_LOGIN_CUSTOMER_ID: '5550001111' };
    const { connector } = build(google({ [streamKey('3176626509')]: stream }), env);
    const account = { id: '3176626509', name: 'Recorded', timezone: null, currency: 'USD' };
    const read = request('google-ads.search_term_daily', {
      account,
      dimensions: ['campaign_id', 'campaign_name', 'ad_group_id', 'ad_group_status', 'search_term'],
      metrics: ['spend', 'impressions', 'clicks', 'all_conversions', 'all_conversions_value'],
      from: '2023-01-27',
      to: '2023-01-27',
    });
    const rows = (await drain(connector.extraction!.read(TOKEN, read, recordingHooks()))).flat();
    expect(rows).toEqual([
      {
        date: '2023-01-27',
        campaign_id: '11331000428',
        campaign_name: 'Vac-U-Lock- Exact',
        ad_group_id: '131396279681',
        ad_group_status: 'ENABLED',
        search_term: null,
        spend: 312.69,
        impressions: 1149,
        clicks: 486,
        all_conversions: 4.143961,
        all_conversions_value: 180.70756678,
      },
    ]);
  });

  it.each([
    ['a body that is not an array', { results: [] }],
    [
      'a row outside the window',
      [{ results: [{ segments: { date: '2024-05-31' }, metrics: { clicks: '1' } }] }],
    ],
    ['a fractional int64', [{ results: [{ segments: { date: '2024-06-01' }, metrics: { clicks: '1.5' } }] }]],
  ])('%s is malformed and nothing is yielded', async (_, body) => {
    const { connector } = build(google({ [streamKey('5550002222')]: { body } }));
    await collect(connector.discoverAccounts(TOKEN));
    const pages: unknown[] = [];
    const error = await (async () => {
      for await (const page of connector.extraction!.read(
        TOKEN,
        request('google-ads.campaign_daily'),
        recordingHooks(),
      )) {
        pages.push(page);
      }
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'provider_malformed_response' });
    expect(pages).toEqual([]);
  });

  it('a manager account is refused with REQUESTED_METRICS_FOR_MANAGER -> provider_error, not retried', async () => {
    const route = google({
      [streamKey('5550001111')]: errorFixture('error_400_requested_metrics_for_manager.json'),
    });
    const { connector } = build(route);
    await collect(connector.discoverAccounts(TOKEN));
    const hooks = recordingHooks();
    const account = { id: '5550001111', name: 'Fixture Group MCC', timezone: null, currency: 'USD' };
    await expect(
      drain(connector.extraction!.read(TOKEN, request('google-ads.campaign_daily', { account }), hooks)),
    ).rejects.toMatchObject({ code: 'provider_error' });
    expect(hooks.calls).toBe(1);
  });

  it('a short RESOURCE_TEMPORARILY_EXHAUSTED is waited out with its retryDelay', async () => {
    const throttle = errorFixture('error_429_resource_temporarily_exhausted.json');
    const body = JSON.parse(JSON.stringify(throttle.body).replace('"2s"', '"0.05s"'));
    const route = google({
      [streamKey('5550002222')]: [{ status: 429, body }, okFixture('search_stream_campaign_daily.json')],
    });
    const { connector } = build(route, REAL_ENV, () => null, { maxQuotaWaitMs: 1_000 });
    await collect(connector.discoverAccounts(TOKEN));
    const hooks = recordingHooks();
    const rows = (
      await drain(connector.extraction!.read(TOKEN, request('google-ads.campaign_daily'), hooks))
    ).flat();
    expect(rows).toHaveLength(3);
    expect(hooks.calls).toBe(2);
    expect(hooks.waits).toHaveLength(1);
    expect(hooks.waits[0]!).toBeLessThanOrEqual(50);
  });

  it('the daily developer quota blocks every later read until its reset, without calls', async () => {
    const route = google({
      [streamKey('5550002222')]: errorFixture('error_429_quota_resource_exhausted.json'),
    });
    const { connector } = build(route);
    await collect(connector.discoverAccounts(TOKEN));
    const first = await drain(
      connector.extraction!.read(TOKEN, request('google-ads.campaign_daily'), recordingHooks()),
    ).catch((e: unknown) => e);
    expect(first).toMatchObject({ code: 'quota_exhausted' });
    const hooks = recordingHooks();
    const account = { id: '5550004444', name: 'Fixture DE', timezone: 'Europe/Berlin', currency: 'EUR' };
    const second = await drain(
      connector.extraction!.read(TOKEN, request('google-ads.campaign_daily', { account }), hooks),
    ).catch((e: unknown) => e);
    expect(second).toMatchObject({ code: 'rate_limited' });
    expect((second as { retryAt: Date }).retryAt.getTime()).toBeGreaterThan(Date.now() + 40_000_000);
    expect(hooks.calls).toBe(0);
  });
});

describe('totals', () => {
  it('reads account-level totals FROM customer for campaign reports', async () => {
    const route = google({
      [streamKey('5550002222')]: okFixture('search_stream_response_real_customer_daily.json'),
    });
    const { connector, requests } = build(route);
    await collect(connector.discoverAccounts(TOKEN));
    const totals = await connector.extraction!.totals(
      TOKEN,
      request('google-ads.campaign_daily', { from: '2024-06-01', to: '2024-06-07' }),
      recordingHooks(),
    );
    expect(queryOf(streams(requests)[0]!)).toBe(
      "SELECT metrics.cost_micros, metrics.impressions, metrics.clicks, metrics.conversions, segments.date FROM customer WHERE segments.date BETWEEN '2024-06-01' AND '2024-06-07'",
    );
    expect(totals).toHaveLength(7);
    expect(totals[0]).toEqual({
      date: '2024-06-01',
      values: { spend: 1061.08362, impressions: 0, clicks: 204, conversions: 0 },
    });
  });

  it('keywords and search terms reconcile against their own view; no reconcilable metric, no call', async () => {
    const { connector, requests } = build(google());
    await collect(connector.discoverAccounts(TOKEN));
    await connector.extraction!.totals(TOKEN, request('google-ads.keyword_daily'), recordingHooks());
    expect(queryOf(streams(requests)[0]!)).toContain('FROM keyword_view WHERE');
    const none = await connector.extraction!.totals(
      TOKEN,
      request('google-ads.campaign_daily', { metrics: ['ctr'] }),
      recordingHooks(),
    );
    expect(none).toEqual([]);
    expect(streams(requests)).toHaveLength(1);
    expect(routeKey(streams(requests)[0]!)).toBe(streamKey('5550002222'));
  });
});
