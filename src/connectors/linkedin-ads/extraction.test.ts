import { describe, expect, it } from 'vitest';
import type { ReportRequest, Template } from '../kit/types.ts';
import {
  build,
  drain,
  linkedin,
  okFixture,
  type RecordedRequest,
  type ReplayAnswer,
  recordingHooks,
  routeKey,
  TOKEN,
} from './replay-fetch.ts';
import { linkedinAdsTemplates } from './templates.ts';

const ACCOUNT = { id: '508000101', name: 'Fixture Outfitters — EU', timezone: 'UTC', currency: 'EUR' };

function template(slug: string): Template {
  return linkedinAdsTemplates.find((entry) => entry.id === `linkedin-ads.${slug}`)!;
}

function request(
  slug: string,
  dimensions: string[],
  metrics: string[],
  from: string,
  to: string,
): ReportRequest {
  return { template: template(slug), account: ACCOUNT, dimensions, metrics, settings: {}, from, to };
}

/** The recorded API with `adAnalytics` answered by `answer`. */
function withAnalytics(
  answer: (request: RecordedRequest) => ReplayAnswer,
): (r: RecordedRequest) => ReplayAnswer | ReplayAnswer[] | undefined {
  const base = linkedin();
  return (recorded) => (routeKey(recorded) === 'GET /rest/adAnalytics' ? answer(recorded) : base(recorded));
}

function param(recorded: RecordedRequest, name: string): string | undefined {
  return recorded.query
    .split('&')
    .find((pair) => pair.startsWith(`${name}=`))
    ?.slice(name.length + 1);
}

function element(pivot: string, day: string, values: Record<string, unknown>) {
  const [year, month, date] = day.split('-').map(Number);
  const record = { year, month, day: date };
  return { pivotValues: [pivot], dateRange: { start: record, end: record }, ...values };
}

describe('reading the recorded campaign daily answer', () => {
  it('types the cells, names campaigns and groups from the finders, and sends Rest.li syntax', async () => {
    const { connector, requests } = build(
      withAnalytics(() => okFixture('ad_analytics_campaign_daily_response.json')),
    );
    const hooks = recordingHooks();
    const selection = request(
      'campaign_daily',
      ['campaign_id', 'campaign_name', 'campaign_status', 'campaign_group_id', 'campaign_group_name'],
      ['impressions', 'clicks', 'cost_in_usd'],
      '2023-01-02',
      '2023-01-03',
    );
    const pages = await drain(connector.extraction!.read(TOKEN, selection, hooks));
    expect(pages.flat()).toEqual([
      {
        date: '2023-01-02',
        campaign_id: '1111',
        campaign_name: 'Spring hiring push',
        campaign_status: 'ACTIVE',
        campaign_group_id: '6100001',
        campaign_group_name: 'Employer brand 2023',
        impressions: 19090,
        clicks: 100,
        cost_in_usd: 209.449,
      },
      {
        date: '2023-01-03',
        campaign_id: '1111',
        campaign_name: 'Spring hiring push',
        campaign_status: 'ACTIVE',
        campaign_group_id: '6100001',
        campaign_group_name: 'Employer brand 2023',
        impressions: 20210,
        clicks: 408,
        cost_in_usd: 509.98,
      },
    ]);
    expect(connector.extraction!.columns(selection).map((column) => column.name)).toEqual([
      'date',
      ...selection.dimensions,
      ...selection.metrics,
    ]);
    expect(requests.map(routeKey)).toEqual([
      'GET /rest/adAccounts/{id}/adCampaigns',
      'GET /rest/adAccounts/{id}/adCampaignGroups',
      'GET /rest/adAnalytics',
    ]);
    expect(hooks.calls).toBe(3);
    expect(requests[0]!.query).toBe('q=search&pageSize=1000');
    expect(requests[0]!.url.pathname).toBe('/rest/adAccounts/508000101/adCampaigns');
    expect(requests[2]!.query).toBe(
      'q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY' +
        '&dateRange=(start:(year:2023,month:1,day:2),end:(year:2023,month:1,day:3))' +
        '&accounts=List(urn%3Ali%3AsponsoredAccount%3A508000101)' +
        '&fields=dateRange,pivotValues,impressions,clicks,costInUsd',
    );
    for (const sent of requests) {
      expect(sent.headers.get('linkedin-version')).toBe('202511');
      expect(sent.headers.get('x-restli-protocol-version')).toBe('2.0.0');
      expect(sent.headers.get('authorization')).toBe(`Bearer ${TOKEN.accessToken}`);
    }
  });

  it('reads only the pivot finder when no parent name is selected', async () => {
    const { connector, requests } = build(
      withAnalytics(() => okFixture('ad_analytics_campaign_daily_response.json')),
    );
    const selection = request('campaign_daily', ['campaign_id'], ['impressions'], '2023-01-02', '2023-01-03');
    await drain(connector.extraction!.read(TOKEN, selection, recordingHooks()));
    expect(requests.map(routeKey)).toEqual([
      'GET /rest/adAccounts/{id}/adCampaigns',
      'GET /rest/adAnalytics',
    ]);
  });
});

describe('account level and totals', () => {
  const metrics = ['impressions', 'clicks', 'cost_in_local_currency', 'external_website_conversions'];

  it('reads the account pivot without a finder; money decimal strings become numbers', async () => {
    const { connector, requests } = build(
      withAnalytics(() => okFixture('ad_analytics_account_daily_response.json')),
    );
    const selection = request(
      'account_daily',
      [],
      [...metrics, 'conversion_value_in_local_currency'],
      '2023-01-02',
      '2023-01-03',
    );
    const rows = (await drain(connector.extraction!.read(TOKEN, selection, recordingHooks()))).flat();
    expect(rows[0]).toEqual({
      date: '2023-01-02',
      impressions: 39300,
      clicks: 508,
      cost_in_local_currency: 719.429,
      external_website_conversions: 12,
      conversion_value_in_local_currency: 340,
    });
    expect(requests.map(routeKey)).toEqual(['GET /rest/adAnalytics']);
    expect(param(requests[0]!, 'pivot')).toBe('ACCOUNT');
  });

  it('totals() reads the account pivot for the reconcilable metrics of any template', async () => {
    const { connector, requests } = build(
      withAnalytics(() => okFixture('ad_analytics_account_daily_response.json')),
    );
    const selection = request('creative_daily', ['creative_id'], metrics, '2023-01-02', '2023-01-03');
    const totals = await connector.extraction!.totals(TOKEN, selection, recordingHooks());
    expect(totals).toEqual([
      {
        date: '2023-01-02',
        values: {
          cost_in_local_currency: 719.429,
          impressions: 39300,
          clicks: 508,
          external_website_conversions: 12,
        },
      },
      {
        date: '2023-01-03',
        values: {
          cost_in_local_currency: 509.98,
          impressions: 20210,
          clicks: 408,
          external_website_conversions: 7,
        },
      },
    ]);
    expect(requests.map(routeKey)).toEqual(['GET /rest/adAnalytics']);
    expect(param(requests[0]!, 'fields')).toBe(
      'dateRange,pivotValues,impressions,clicks,costInLocalCurrency,externalWebsiteConversions',
    );
    expect(connector.extraction!.reconcilableMetrics).toEqual([
      'cost_in_local_currency',
      'impressions',
      'clicks',
      'external_website_conversions',
    ]);
  });
});

describe('field chunks', () => {
  it('asks at most 20 fields per request and joins the chunks on pivot value and day', async () => {
    const all = template('creative_daily').metrics.map((metric) => metric.name);
    expect(all.length).toBeGreaterThan(18);
    const { connector, requests } = build(
      withAnalytics((sent) => {
        const fields = param(sent, 'fields')!.split(',');
        const values = (base: number) =>
          Object.fromEntries(
            fields
              .filter((field) => field !== 'dateRange' && field !== 'pivotValues')
              .map((field, index) => [
                field,
                field.startsWith('cost') || field.startsWith('conversionValue')
                  ? `${base + index}.5`
                  : base + index,
              ]),
          );
        const first = element('urn:li:sponsoredCreative:9000001', '2023-01-02', values(10));
        const second = element('urn:li:sponsoredCreative:9000002', '2023-01-02', values(100));
        // The second chunk has no row for the second creative: no delivery in its metrics.
        return {
          body: {
            paging: { start: 0, count: 10, links: [] },
            elements: fields.length === 20 ? [first, second] : [first],
          },
        };
      }),
    );
    const selection = request(
      'creative_daily',
      ['creative_id', 'creative_name', 'campaign_name'],
      all,
      '2023-01-02',
      '2023-01-02',
    );
    const rows = (await drain(connector.extraction!.read(TOKEN, selection, recordingHooks()))).flat();
    const analytics = requests.filter((sent) => routeKey(sent) === 'GET /rest/adAnalytics');
    expect(analytics.map((sent) => param(sent, 'fields')!.split(',').length)).toEqual([20, 3]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      creative_id: '9000001',
      creative_name: 'Carousel — team photos',
      campaign_name: 'Spring hiring push',
      impressions: 10,
      approximate_unique_impressions: 10,
    });
    // An unnamed creative keeps its id; a metric of a chunk without its row is zero.
    expect(rows[1]).toMatchObject({
      creative_id: '9000002',
      creative_name: null,
      campaign_name: 'Retargeting — site visitors',
      impressions: 100,
      approximate_unique_impressions: 0,
    });
    expect(requests.map(routeKey).slice(0, 2)).toEqual([
      'GET /rest/adAccounts/{id}/creatives',
      'GET /rest/adAccounts/{id}/adCampaigns',
    ]);
    expect(requests[0]!.query).toBe('q=criteria&pageSize=100');
  });
});
