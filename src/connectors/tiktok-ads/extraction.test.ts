import { describe, expect, it } from 'vitest';
import { drain, loadFixture, recordingHooks, TOKEN } from './replay-fetch.ts';
import {
  ADVERTISER,
  extraction,
  page,
  query,
  type Row,
  recordedAdRowsAsDaily,
  request,
} from './report-test-kit.ts';
import { findTiktokTemplate } from './templates.ts';

describe('templates and columns', () => {
  const { extraction: support } = extraction(page([]));

  it('declares the six templates with 30-day windows and a 7-day lookback', () => {
    expect(support.templates.map((t) => [t.id, t.level])).toEqual([
      ['tiktok-ads.advertiser_daily', 'advertiser'],
      ['tiktok-ads.campaign_daily', 'campaign'],
      ['tiktok-ads.adgroup_daily', 'adgroup'],
      ['tiktok-ads.ad_daily', 'ad'],
      ['tiktok-ads.audience_age_gender_daily', 'advertiser'],
      ['tiktok-ads.audience_country_daily', 'advertiser'],
    ]);
    for (const template of support.templates) {
      expect(template).toMatchObject({
        dataSource: 'tiktok-ads',
        dataClass: 'daily',
        maxWindowDays: 30,
        defaultLookbackDays: 7,
        requiredMetrics: ['spend', 'impressions'],
      });
      const dims = template.dimensions.map((f) => f.name);
      const metrics = template.metrics.map((f) => f.name);
      for (const name of [...template.requiredDimensions, ...template.defaultDimensions])
        expect(dims).toContain(name);
      for (const name of [...template.requiredMetrics, ...template.defaultMetrics])
        expect(metrics).toContain(name);
      for (const system of ['account_id', 'account_name', 'date'])
        expect([...dims, ...metrics]).not.toContain(system);
    }
    expect(support.reconcilableMetrics).toEqual(['spend', 'impressions', 'clicks', 'conversion']);
  });

  it('types the columns: money, integers, percent, decimal; date first', () => {
    const columns = support.columns({
      template: findTiktokTemplate('tiktok-ads.campaign_daily')!,
      dimensions: ['campaign_id', 'campaign_name'],
      metrics: [
        'spend',
        'impressions',
        'clicks',
        'reach',
        'conversion',
        'ctr',
        'cpc',
        'cpm',
        'frequency',
        'likes',
      ],
      settings: {},
    });
    expect(columns).toEqual([
      { name: 'date', type: 'date' },
      { name: 'campaign_id', type: 'string' },
      { name: 'campaign_name', type: 'string' },
      { name: 'spend', type: 'money' },
      { name: 'impressions', type: 'integer' },
      { name: 'clicks', type: 'integer' },
      { name: 'ctr', type: 'percent' },
      { name: 'cpc', type: 'money' },
      { name: 'cpm', type: 'money' },
      { name: 'reach', type: 'integer' },
      { name: 'frequency', type: 'decimal' },
      { name: 'conversion', type: 'integer' },
      { name: 'likes', type: 'integer' },
    ]);
  });

  it('refuses fields the template does not have', () => {
    expect(() =>
      support.columns({ ...request('audience_country_daily'), metrics: ['spend', 'reach'] }),
    ).toThrow(/has no field reach/);
  });
});

describe('read', () => {
  it('asks report/integrated/get/ with JSON-encoded arrays and names as attribute metrics', async () => {
    const { extraction: support, requests } = extraction(
      page([
        {
          dimensions: { campaign_id: '1714125042508817', stat_time_day: '2024-01-01 00:00:00' },
          metrics: {
            campaign_name: 'Spring',
            spend: '20.00',
            impressions: '5830',
            clicks: '69',
            ctr: '1.18',
            cpc: '0.29',
            cpm: '3.43',
            conversion: '3',
          },
        },
      ]),
    );
    const hooks = recordingHooks();
    const pages = await drain(support.read(TOKEN, request('campaign_daily'), hooks));
    expect(pages).toEqual([
      [
        {
          date: '2024-01-01',
          campaign_id: '1714125042508817',
          campaign_name: 'Spring',
          spend: 20,
          impressions: 5830,
          clicks: 69,
          ctr: 1.18,
          cpc: 0.29,
          cpm: 3.43,
          conversion: 3,
        },
      ],
    ]);
    expect(hooks.calls).toBe(1);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.url.pathname).toBe('/open_api/v1.3/report/integrated/get/');
    expect(requests[0]!.headers.get('access-token')).toBe(TOKEN.accessToken);
    expect(query(requests[0]!)).toEqual({
      advertiser_id: ADVERTISER,
      report_type: 'BASIC',
      data_level: 'AUCTION_CAMPAIGN',
      dimensions: ['campaign_id', 'stat_time_day'],
      metrics: ['spend', 'impressions', 'clicks', 'ctr', 'cpc', 'cpm', 'conversion', 'campaign_name'],
      start_date: '2024-01-01',
      end_date: '2024-01-07',
      page: '1',
      page_size: '1000',
    });
  });

  it('reads the constructed page_info fixture', async () => {
    const { extraction: support } = extraction({
      body: loadFixture('report_integrated_get_page_info_shape.json'),
    });
    const [rows] = await drain(
      support.read(
        TOKEN,
        request('campaign_daily', { dimensions: ['campaign_id'], metrics: ['spend', 'impressions'] }),
        recordingHooks(),
      ),
    );
    expect(rows).toEqual([{ date: '2024-01-01', campaign_id: '<id>', spend: 20, impressions: 5830 }]);
  });

  it('types the recorded ad rows: strings and numbers, ids kept exact', async () => {
    const { extraction: support, requests } = extraction(page(recordedAdRowsAsDaily()));
    const template = findTiktokTemplate('tiktok-ads.ad_daily')!;
    const metrics = [
      'spend',
      'impressions',
      'clicks',
      'ctr',
      'cpc',
      'cpm',
      'reach',
      'frequency',
      'conversion',
      'cost_per_conversion',
      'result',
      'video_play_actions',
      'video_watched_2s',
      'video_views_p100',
      'average_video_play',
      'likes',
      'comments',
    ];
    const [rows] = await drain(
      support.read(
        TOKEN,
        request('ad_daily', { metrics, dimensions: template.defaultDimensions }),
        recordingHooks(),
      ),
    );
    expect(rows).toHaveLength(2);
    expect(rows![0]).toEqual({
      date: '2024-01-01',
      campaign_id: '1714125042508817',
      campaign_name: 'Website Traffic20211020010104',
      adgroup_id: '1714125049901106',
      adgroup_name: 'Ad Group20211020010107',
      ad_id: '11111111',
      ad_name: 'Optimized Version 4_202110201102_2021-10-20 11:02:00',
      spend: 20,
      impressions: 5830,
      clicks: 69,
      ctr: 1.18,
      cpc: 0.29,
      cpm: 3.43,
      reach: 4806,
      frequency: 1.21,
      conversion: 0,
      cost_per_conversion: 0,
      result: 69,
      video_play_actions: 5173,
      video_watched_2s: 686,
      video_views_p100: 92,
      average_video_play: 1.52,
      likes: 36,
      comments: 0,
    });
    expect(rows![1]!.date).toBe('2024-01-02');
    expect(query(requests[0]!)).toMatchObject({
      data_level: 'AUCTION_AD',
      dimensions: ['ad_id', 'stat_time_day'],
    });
  });

  it('keeps ids past 2^53 exact when TikTok sends them as JSON numbers', async () => {
    const text =
      '{"code":0,"message":"OK","data":{"list":[{"dimensions":{"ad_id":"1","stat_time_day":"2024-01-01 00:00:00"},' +
      '"metrics":{"campaign_id":1800000000000000123,"campaign_name":"Big","spend":"1.00","impressions":"1"}}],' +
      '"page_info":{"page":1,"page_size":1000,"total_number":1,"total_page":1}}}';
    const { extraction: support } = extraction({ body: text, raw: true });
    const [rows] = await drain(
      support.read(
        TOKEN,
        request('ad_daily', { dimensions: ['campaign_id', 'ad_id'], metrics: ['spend', 'impressions'] }),
        recordingHooks(),
      ),
    );
    expect(rows![0]!.campaign_id).toBe('1800000000000000123');
  });

  it('refuses the recorded hourly rows: a daily read needs stat_time_day', async () => {
    const { extraction: support } = extraction({
      body: loadFixture('report_integrated_get_ads_hourly_airbyte.json'),
    });
    await expect(drain(support.read(TOKEN, request('ad_daily'), recordingHooks()))).rejects.toMatchObject({
      code: 'provider_malformed_response',
      message: expect.stringContaining('stat_time_day'),
    });
  });

  it('reads the recorded audience rows (enum values, string metrics)', async () => {
    const fixture = loadFixture<{ data: { list: Row[] } }>(
      'report_integrated_get_audience_lifetime_airbyte.json',
    );
    const rows = fixture.data.list.map((row) => ({
      dimensions: { ...row.dimensions, stat_time_day: '2024-01-03 00:00:00' },
      metrics: row.metrics,
    }));
    const { extraction: support, requests } = extraction(page(rows));
    const [read] = await drain(
      support.read(
        TOKEN,
        request('audience_age_gender_daily', {
          metrics: ['spend', 'impressions', 'clicks', 'ctr', 'cpc', 'cpm'],
        }),
        recordingHooks(),
      ),
    );
    expect(read).toEqual([
      {
        date: '2024-01-03',
        age: 'AGE_35_44',
        gender: 'MALE',
        spend: 31.56,
        impressions: 6897,
        clicks: 87,
        ctr: 1.26,
        cpc: 0.36,
        cpm: 4.58,
      },
      {
        date: '2024-01-03',
        age: 'AGE_55_100',
        gender: 'FEMALE',
        spend: 0,
        impressions: 17,
        clicks: 0,
        ctr: 0,
        cpc: 0,
        cpm: 0,
      },
    ]);
    expect(query(requests[0]!)).toMatchObject({
      report_type: 'AUDIENCE',
      data_level: 'AUCTION_ADVERTISER',
      dimensions: ['age', 'gender', 'stat_time_day'],
      metrics: ['spend', 'impressions', 'clicks', 'ctr', 'cpc', 'cpm'],
    });
  });

  it('pages with page=1..total_page and yields each page', async () => {
    const day = (d: number): Row => ({
      dimensions: { stat_time_day: `2024-01-0${d} 00:00:00` },
      metrics: { spend: `${d}.50`, impressions: String(d * 100) },
    });
    const { extraction: support, requests } = extraction([
      page([day(1)], 1, 3),
      page([day(2)], 2, 3),
      page([day(3)], 3, 3),
    ]);
    const hooks = recordingHooks();
    const pages = await drain(
      support.read(TOKEN, request('advertiser_daily', { metrics: ['spend', 'impressions'] }), hooks),
    );
    expect(pages).toEqual([
      [{ date: '2024-01-01', spend: 1.5, impressions: 100 }],
      [{ date: '2024-01-02', spend: 2.5, impressions: 200 }],
      [{ date: '2024-01-03', spend: 3.5, impressions: 300 }],
    ]);
    expect(requests.map((r) => r.url.searchParams.get('page'))).toEqual(['1', '2', '3']);
    expect(hooks.calls).toBe(3);
  });

  it('an empty report is one call and no rows', async () => {
    const { extraction: support, requests } = extraction(page([], 1, 0));
    expect(await drain(support.read(TOKEN, request('advertiser_daily'), recordingHooks()))).toEqual([]);
    expect(requests).toHaveLength(1);
  });

  it('refuses more than 30 days before calling TikTok', async () => {
    const { extraction: support, requests } = extraction(page([]));
    await expect(
      drain(
        support.read(
          TOKEN,
          request('campaign_daily', { from: '2024-01-01', to: '2024-01-31' }),
          recordingHooks(),
        ),
      ),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    expect(requests).toHaveLength(0);
  });

  it('refuses a row outside the window and a fractional integer', async () => {
    const outside = extraction(
      page([
        { dimensions: { stat_time_day: '2023-12-31 00:00:00' }, metrics: { spend: '1', impressions: '1' } },
      ]),
    );
    await expect(
      drain(outside.extraction.read(TOKEN, request('advertiser_daily'), recordingHooks())),
    ).rejects.toMatchObject({
      code: 'provider_malformed_response',
    });
    const fraction = extraction(
      page([
        { dimensions: { stat_time_day: '2024-01-01 00:00:00' }, metrics: { spend: '1', impressions: '1.5' } },
      ]),
    );
    await expect(
      drain(fraction.extraction.read(TOKEN, request('advertiser_daily'), recordingHooks())),
    ).rejects.toMatchObject({
      code: 'provider_malformed_response',
    });
  });
});
