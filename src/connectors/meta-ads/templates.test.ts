import { describe, expect, it } from 'vitest';
import type { Template } from '../kit/types.ts';
import { buildExtraction } from './insights-test-kit.ts';
import { graph, loadFixture } from './replay-fetch.ts';
import { metaAdsSchema } from './schema.ts';
import { ACTION_TYPES, columnName, MAX_COLUMN_NAME_LENGTH } from './template-fields.ts';
import { metaAdsTemplates } from './templates.ts';

const { extraction } = buildExtraction(graph());
const enums = loadFixture<{ name: string; values: string[] }[]>(
  'graph-api-specs/enum_types.insights_subset.json',
);
const enumValues = (name: string) => new Set(enums.find((e) => e.name === name)!.values);
const specFields = new Set(
  loadFixture<{ fields: { name: string }[] }>('graph-api-specs/AdsInsights.json').fields.map((f) => f.name),
);
const names = (template: Template, kind: 'dimensions' | 'metrics') => template[kind].map((f) => f.name);
const SYSTEM_COLUMNS = ['account_id', 'account_name', '__insert_date', '__run_id'];

/** True when a selection satisfies a template's rules (what the engine checks before saving). */
function satisfiesRules(template: Template, selected: string[]): boolean {
  return template.rules.every((rule) =>
    rule.kind === 'exclusive'
      ? rule.fields.filter((f) => selected.includes(f)).length <= 1
      : !selected.includes(rule.fields[0]!) || rule.fields.slice(1).every((f) => selected.includes(f)),
  );
}

describe('Meta Ads templates', () => {
  it('declares the seven templates with their levels and window sizes', () => {
    expect(extraction.templates.map((t) => [t.id, t.level, t.maxWindowDays])).toEqual([
      ['meta-ads.account_daily', 'account', 31],
      ['meta-ads.campaign_daily', 'campaign', 31],
      ['meta-ads.adset_daily', 'adset', 14],
      ['meta-ads.ad_daily', 'ad', 7],
      ['meta-ads.ads_by_age_gender', 'ad', 7],
      ['meta-ads.ads_by_country', 'ad', 7],
      ['meta-ads.ads_by_platform_device', 'ad', 7],
    ]);
    expect(new Set(extraction.templates.map((t) => t.id)).size).toBe(7);
    for (const template of extraction.templates) {
      expect(template).toMatchObject({
        dataSource: 'meta-ads',
        dataClass: 'daily',
        historicalDepthDays: 1095,
        defaultLookbackDays: 28,
        requiredMetrics: ['impressions', 'spend'],
      });
      expect(template.name && template.description).toBeTruthy();
      expect(template.maxWindowDays).toBeGreaterThan(0);
    }
  });

  it.each(metaAdsTemplates.map((t) => [t.id, t] as const))('%s: required ⊆ defaults ⊆ available', (_, t) => {
    for (const kind of ['dimensions', 'metrics'] as const) {
      const available = names(t, kind);
      const cap = kind === 'dimensions' ? 'Dimensions' : 'Metrics';
      const required = t[`required${cap}`];
      const defaults = t[`default${cap}`];
      expect(new Set(available).size, 'no duplicate fields').toBe(available.length);
      for (const name of required) expect(defaults, `${name} is a default`).toContain(name);
      for (const name of defaults) expect(available, `${name} is available`).toContain(name);
    }
    expect(t.defaultMetrics).toEqual(expect.arrayContaining(['clicks', 'actions:purchase']));
    expect(satisfiesRules(t, [...t.defaultDimensions, ...t.defaultMetrics]), 'defaults obey the rules').toBe(
      true,
    );
    expect(
      satisfiesRules(t, [...t.requiredDimensions, ...t.requiredMetrics]),
      'required obey the rules',
    ).toBe(true);
  });

  it('requires the level id and the breakdowns, and offers ids and names of the level and above', () => {
    const byId = new Map(metaAdsTemplates.map((t) => [t.id.replace('meta-ads.', ''), t]));
    expect(byId.get('account_daily')!.requiredDimensions).toEqual([]);
    expect(byId.get('campaign_daily')!.requiredDimensions).toEqual(['campaign_id']);
    expect(byId.get('adset_daily')!.requiredDimensions).toEqual(['adset_id']);
    expect(byId.get('ad_daily')!.requiredDimensions).toEqual(['ad_id']);
    expect(byId.get('ads_by_age_gender')!.requiredDimensions).toEqual(['ad_id', 'age', 'gender']);
    expect(byId.get('ads_by_country')!.requiredDimensions).toEqual(['ad_id']);
    expect(byId.get('ads_by_platform_device')!.requiredDimensions).toEqual([
      'ad_id',
      'publisher_platform',
      'device_platform',
    ]);
    expect(names(byId.get('adset_daily')!, 'dimensions')).toEqual([
      'campaign_id',
      'campaign_name',
      'adset_id',
      'adset_name',
      'objective',
      'buying_type',
    ]);
    expect(names(byId.get('ads_by_platform_device')!, 'dimensions').slice(-3)).toEqual([
      'publisher_platform',
      'platform_position',
      'device_platform',
    ]);
  });

  it('has the placement and geography rules, naming fields the template has', () => {
    const rules = metaAdsTemplates.flatMap((t) => t.rules.map((rule) => ({ id: t.id, ...rule })));
    expect(rules.map((r) => [r.id, r.kind, r.fields])).toEqual([
      ['meta-ads.ads_by_country', 'exclusive', ['country', 'region']],
      ['meta-ads.ads_by_platform_device', 'requires', ['platform_position', 'publisher_platform']],
    ]);
    for (const template of metaAdsTemplates) {
      for (const rule of template.rules) {
        expect(rule.fields.length).toBeGreaterThanOrEqual(2);
        for (const field of rule.fields) expect(names(template, 'dimensions')).toContain(field);
        expect(rule.message).toBeTruthy();
      }
    }
    const country = metaAdsTemplates.find((t) => t.id === 'meta-ads.ads_by_country')!;
    expect(satisfiesRules(country, ['ad_id', 'country', 'region'])).toBe(false);
    const platform = metaAdsTemplates.find((t) => t.id === 'meta-ads.ads_by_platform_device')!;
    expect(satisfiesRules(platform, ['ad_id', 'platform_position'])).toBe(false);
  });

  it("names only Meta's own fields, breakdowns, levels and setting values", () => {
    const breakdowns = enumValues('adaccountinsights_breakdowns_enum_param');
    const schemaTypes = new Map(
      [...metaAdsSchema.dimensions, ...metaAdsSchema.metrics].map((f) => [f.name, f.type]),
    );
    for (const template of metaAdsTemplates) {
      expect(enumValues('adaccountinsights_level_enum_param').has(template.level)).toBe(true);
      for (const field of [...template.dimensions, ...template.metrics]) {
        const [list] = field.name.split(':');
        expect(specFields.has(list!) || breakdowns.has(field.name), field.name).toBe(true);
        if (!field.name.includes(':')) expect(field.type, field.name).toBe(schemaTypes.get(field.name));
      }
      const [windows, reportTime] = template.settings;
      expect(windows).toMatchObject({
        name: 'attribution_windows',
        kind: 'multi',
        default: ['7d_click', '1d_view'],
      });
      expect(reportTime).toMatchObject({ name: 'action_report_time', kind: 'single', default: 'mixed' });
      const windowEnum = enumValues('adaccountinsights_action_attribution_windows_enum_param');
      for (const option of windows!.options!) expect(windowEnum.has(option), option).toBe(true);
      expect(windows!.options).toEqual(['1d_click', '7d_click', '28d_click', '1d_view', '7d_view']);
      const timeEnum = enumValues('adaccountinsights_action_report_time_enum_param');
      for (const option of reportTime!.options!) expect(timeEnum.has(option), option).toBe(true);
    }
  });

  it('offers each action type from actions (integer), action_values and cost_per_action_type (money)', () => {
    const metrics = new Map(metaAdsTemplates[0]!.metrics.map((f) => [f.name, f.type]));
    expect(ACTION_TYPES).toHaveLength(10);
    for (const { type } of ACTION_TYPES) {
      expect([metrics.get(`actions:${type}`), metrics.get(`action_values:${type}`)]).toEqual([
        'integer',
        'money',
      ]);
      expect(metrics.get(`cost_per_action_type:${type}`)).toBe('money');
    }
    expect(['spend', 'cpc', 'cpm', 'cpp'].map((m) => metrics.get(m))).toEqual([
      'money',
      'money',
      'money',
      'money',
    ]);
    expect([metrics.get('ctr'), metrics.get('impressions'), metrics.get('frequency')]).toEqual([
      'percent',
      'integer',
      'decimal',
    ]);
  });
});

describe('columns()', () => {
  it.each(metaAdsTemplates.map((t) => [t.id, t] as const))(
    '%s: SQL-safe, unique, date first',
    (_, template) => {
      const columns = extraction.columns({
        template,
        dimensions: names(template, 'dimensions'),
        metrics: names(template, 'metrics'),
        settings: {},
      });
      expect(columns[0]).toEqual({ name: 'date', type: 'date' });
      expect(columns).toHaveLength(1 + template.dimensions.length + template.metrics.length);
      const columnNames = columns.map((c) => c.name);
      expect(new Set(columnNames).size).toBe(columnNames.length);
      for (const name of columnNames) {
        expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
        expect(name.length).toBeLessThanOrEqual(MAX_COLUMN_NAME_LENGTH);
        expect(SYSTEM_COLUMNS).not.toContain(name);
      }
    },
  );

  it("orders by the template, not the selection, and types from the template's fields", () => {
    const template = metaAdsTemplates.find((t) => t.id === 'meta-ads.ads_by_age_gender')!;
    const columns = extraction.columns({
      template,
      dimensions: ['gender', 'ad_id', 'age'],
      metrics: ['actions:offsite_conversion.fb_pixel_purchase', 'spend', 'impressions', 'ctr'],
      settings: {},
    });
    expect(columns).toEqual([
      { name: 'date', type: 'date' },
      { name: 'ad_id', type: 'string' },
      { name: 'age', type: 'string' },
      { name: 'gender', type: 'string' },
      { name: 'impressions', type: 'integer' },
      { name: 'spend', type: 'money' },
      { name: 'ctr', type: 'percent' },
      { name: 'actions_offsite_conversion_fb_pixel_purchase', type: 'integer' },
    ]);
  });

  it('rejects fields the template does not have', () => {
    const template = metaAdsTemplates[0]!;
    expect(() =>
      extraction.columns({ template, dimensions: ['age'], metrics: ['impressions', 'spend'], settings: {} }),
    ).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });

  it('builds column names from field names', () => {
    expect(columnName('actions:offsite_conversion.fb_pixel_purchase')).toBe(
      'actions_offsite_conversion_fb_pixel_purchase',
    );
    expect(columnName('cost_per_action_type:purchase')).toBe('cost_per_action_type_purchase');
    expect(columnName('Video P25 Watched')).toBe('video_p25_watched');
    expect(columnName('28d_click')).toBe('f_28d_click');
    const long = columnName(`cost_per_action_type:${'x'.repeat(80)}.a`);
    const other = columnName(`cost_per_action_type:${'x'.repeat(80)}.b`);
    expect(long).toHaveLength(MAX_COLUMN_NAME_LENGTH);
    expect(long).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(long).not.toBe(other);
  });
});
