import { describe, expect, it } from 'vitest';
import { insightsParams, planInsights, shouldUseAsync } from './insights-query.ts';
import { convertRow, parseInsightsPage } from './insights-rows.ts';
import { reportRequest } from './insights-test-kit.ts';
import { loadFixture } from './replay-fetch.ts';

const LABEL = 'GET /act_1/insights';
const WINDOW = { from: '2026-03-02', to: '2026-03-03' };
/** The recorded ad-level age/gender page (our own equivalent of the airbyte insights response). */
const page = parseInsightsPage(loadFixture('insights_page.json'), LABEL);

const agePlan = planInsights(
  reportRequest('ads_by_age_gender', {
    dimensions: ['ad_id', 'ad_name', 'age', 'gender'],
    metrics: [
      'impressions',
      'reach',
      'frequency',
      'clicks',
      'spend',
      'cpc',
      'ctr',
      'actions:link_click',
      'actions:offsite_conversion.fb_pixel_purchase',
      'action_values:offsite_conversion.fb_pixel_purchase',
      'cost_per_action_type:offsite_conversion.fb_pixel_purchase',
      'cost_per_action_type:link_click',
    ],
  }),
);

describe('converting insights rows', () => {
  it('types the recorded page: numbers from strings, breakdowns as text, only the selected columns', () => {
    expect(page.next).toContain('after=QVFIfixtureInsightsAfter');
    const rows = page.rows.map((row) => convertRow(row, agePlan, WINDOW, LABEL));
    expect(rows[0]).toEqual({
      date: '2026-03-02',
      ad_id: '120210000000000301',
      ad_name: 'Carousel - Linen Collection',
      age: '25-34',
      gender: 'female',
      impressions: 2480,
      reach: 1915,
      frequency: 1.295039,
      clicks: 61,
      spend: 37.21,
      cpc: 0.61,
      ctr: 2.459677,
      actions_link_click: 44,
      actions_offsite_conversion_fb_pixel_purchase: 3,
      action_values_offsite_conversion_fb_pixel_purchase: 214.5,
      cost_per_action_type_offsite_conversion_fb_pixel_purchase: 12.403333,
      cost_per_action_type_link_click: 0.845682,
    });
    // Row 2 has no purchase in any list: zero purchases, zero value, and no cost per purchase.
    expect(rows[1]).toMatchObject({
      age: '35-44',
      gender: 'male',
      actions_offsite_conversion_fb_pixel_purchase: 0,
      action_values_offsite_conversion_fb_pixel_purchase: 0,
      cost_per_action_type_offsite_conversion_fb_pixel_purchase: null,
      cost_per_action_type_link_click: 1.671667,
    });
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(['date', ...agePlan.columns.map((c) => c.name)]);
      expect(Number.isInteger(row.impressions)).toBe(true);
    }
  });

  it("reads the action's value, not one of its per-window keys", () => {
    const row = {
      date_start: '2026-03-02',
      date_stop: '2026-03-02',
      actions: [
        { action_type: 'link_click', value: '9', '1d_click': '7', '7d_click': '9', '1d_view': '0' },
        {
          action_type: 'offsite_conversion.fb_pixel_purchase',
          value: '5',
          '1d_click': '2',
          '7d_click': '4',
          '1d_view': '1',
        },
      ],
    };
    const cells = convertRow(row, agePlan, WINDOW, LABEL);
    expect(cells.actions_offsite_conversion_fb_pixel_purchase).toBe(5);
    expect(cells.actions_link_click).toBe(9);
    // Fields Meta left out (no reach, no cpc) are empty, not zero.
    expect([cells.reach, cells.cpc, cells.ad_id]).toEqual([null, null, null]);
  });

  it.each([
    ['a non-numeric metric', { impressions: 'lots' }, 'non-numeric impressions'],
    ['a fractional integer metric', { impressions: '12.5' }, 'integer column impressions'],
    ['an action list that is not a list', { actions: { link_click: '1' } }, 'actions that is not a list'],
    [
      'a fractional action count',
      { actions: [{ action_type: 'link_click', value: '1.5' }] },
      'actions_link_click',
    ],
    [
      'a row outside the window',
      { date_start: '2026-03-04', date_stop: '2026-03-04' },
      'outside the requested',
    ],
    ['a multi-day row', { date_stop: '2026-03-03' }, 'spanning 2026-03-02..2026-03-03'],
    ['a row without a date', { date_start: undefined }, 'without a valid date_start'],
    ['an object as a dimension', { age: { min: 25 } }, 'age that is not text'],
  ])('rejects %s as malformed', (_, patch, message) => {
    const row = { ...page.rows[0]!, ...patch };
    expect(() => convertRow(row, agePlan, WINDOW, LABEL)).toThrow(
      expect.objectContaining({
        code: 'provider_malformed_response',
        message: expect.stringContaining(message),
      }),
    );
  });

  it.each([
    ['no data array', { paging: {} }],
    ['a row that is not an object', { data: ['x'] }],
    ['a next link that is not text', { data: [], paging: { next: 42 } }],
  ])('rejects a page with %s', (_, body) => {
    expect(() => parseInsightsPage(body, LABEL)).toThrow(
      expect.objectContaining({ code: 'provider_malformed_response' }),
    );
  });
});

describe('planning the query', () => {
  it('asks for plain fields and only the action lists the selection needs; breakdowns go separately', () => {
    expect(agePlan.graphFields).toEqual([
      'ad_id',
      'ad_name',
      'impressions',
      'reach',
      'frequency',
      'clicks',
      'spend',
      'cpc',
      'ctr',
      'actions',
      'action_values',
      'cost_per_action_type',
    ]);
    expect(agePlan.breakdowns).toEqual(['age', 'gender']);
    const campaign = planInsights(reportRequest('campaign_daily', { metrics: ['impressions', 'spend'] }));
    expect(campaign.graphFields).toEqual([
      'campaign_id',
      'campaign_name',
      'objective',
      'impressions',
      'spend',
    ]);
    expect(insightsParams(campaign, '2026-03-02', '2026-03-03')).toEqual({
      level: 'campaign',
      fields: 'campaign_id,campaign_name,objective,impressions,spend',
      action_breakdowns: 'action_type',
      action_attribution_windows: '["7d_click","1d_view"]',
      action_report_time: 'mixed',
      time_range: '{"since":"2026-03-02","until":"2026-03-03"}',
      time_increment: '1',
    });
  });

  it('normalises the attribution windows to option order and rejects unknown settings', () => {
    const plan = planInsights(
      reportRequest('account_daily', { settings: { attribution_windows: ['1d_view', '28d_click'] } }),
    );
    expect(plan.attributionWindows).toEqual(['28d_click', '1d_view']);
    const invalid: Record<string, string[] | string>[] = [
      { attribution_windows: ['28d_view'] },
      { attribution_windows: [] },
      { action_report_time: 'lifetime' },
    ];
    for (const settings of invalid) {
      expect(() => planInsights(reportRequest('account_daily', { settings }))).toThrow(
        expect.objectContaining({ code: 'validation_failed' }),
      );
    }
  });

  it.each([
    ['account_daily', '2026-03-01', '2026-03-31', false],
    ['campaign_daily', '2026-03-01', '2026-03-07', false],
    ['campaign_daily', '2026-03-01', '2026-03-08', true],
    ['adset_daily', '2026-03-01', '2026-03-07', false],
    ['adset_daily', '2026-03-01', '2026-03-14', true],
    ['ad_daily', '2026-03-02', '2026-03-02', true],
    ['ads_by_country', '2026-03-02', '2026-03-02', true],
  ])('%s %s..%s async: %s', (slug, from, to, expected) => {
    expect(shouldUseAsync(planInsights(reportRequest(slug)), from, to)).toBe(expected);
  });

  it('reads any breakdown asynchronously, whatever the level', () => {
    const campaign = planInsights(reportRequest('campaign_daily'));
    expect(shouldUseAsync({ ...campaign, breakdowns: ['age'] }, '2026-03-02', '2026-03-02')).toBe(true);
  });
});
