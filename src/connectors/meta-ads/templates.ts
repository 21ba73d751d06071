/**
 * The seven global Meta Ads templates: daily Ads Insights at account, campaign, ad set and ad level, and three
 * ad-level breakdown reports. A template fixes the Graph `level` and which breakdowns exist; the user picks
 * fields within it and sets the attribution settings Meta computes action metrics with.
 */
import type { Template, TemplateRule, TemplateSettingSpec } from '../kit/types.ts';
import { BREAKDOWN_DIMENSIONS } from './schema.ts';
import { dimensionFields, LEVEL_DIMENSIONS, TEMPLATE_METRICS } from './template-fields.ts';

/** The insights levels our templates read at (Graph `level` enum). */
export type InsightsLevel = keyof typeof LEVEL_DIMENSIONS;

/** Attribution windows a user may pick; Meta's enum has more (28d_view, dda, skan_*), these are Ads Manager's. */
export const ATTRIBUTION_WINDOW_OPTIONS = ['1d_click', '7d_click', '28d_click', '1d_view', '7d_view'];
/** Meta's own default setting since 2021 (7-day click, 1-day view). */
export const DEFAULT_ATTRIBUTION_WINDOWS = ['7d_click', '1d_view'];
export const ACTION_REPORT_TIME_OPTIONS = ['impression', 'conversion', 'mixed'];
/** Ads Manager's default: conversions on the conversion day for on-Meta, impression day for off-Meta. */
export const DEFAULT_ACTION_REPORT_TIME = 'mixed';

/** The settings every Meta Ads template has. */
export const META_TEMPLATE_SETTINGS: readonly TemplateSettingSpec[] = [
  {
    name: 'attribution_windows',
    label: 'Attribution windows',
    description:
      'Windows after a click or view in which a conversion counts (`action_attribution_windows`). Action ' +
      'metrics report the combined value of the selected windows.',
    kind: 'multi',
    options: ATTRIBUTION_WINDOW_OPTIONS,
    default: DEFAULT_ATTRIBUTION_WINDOWS,
  },
  {
    name: 'action_report_time',
    label: 'Report conversions on',
    description:
      '`impression`: the day of the ad impression; `conversion`: the day of the conversion; `mixed`: ' +
      'on-Meta actions on the impression day, off-Meta conversions on the conversion day.',
    kind: 'single',
    options: ACTION_REPORT_TIME_OPTIONS,
    default: DEFAULT_ACTION_REPORT_TIME,
  },
];

/** Days of history offered: 3 years, inside Meta's 37-month insights retention so a backfill never starts in the gap. */
export const HISTORICAL_DEPTH_DAYS = 1095;
/** Conversions are restated for 28 days after the click (the longest window offered), so re-read that far. */
export const DEFAULT_LOOKBACK_DAYS = 28;

const DEFAULT_METRICS = [
  'impressions',
  'reach',
  'clicks',
  'inline_link_clicks',
  'spend',
  'cpc',
  'cpm',
  'ctr',
  'actions:landing_page_view',
  'actions:add_to_cart',
  'actions:purchase',
  'action_values:purchase',
  'cost_per_action_type:purchase',
];

interface TemplateInput {
  slug: string;
  name: string;
  description: string;
  level: InsightsLevel;
  breakdowns?: string[];
  /** Breakdowns a selection may omit (defaults to none: every breakdown is required). */
  optionalBreakdowns?: string[];
  rules?: TemplateRule[];
  maxWindowDays: number;
}

/** The id column of a level; the account has none of its own (it is the destination's `account_id`). */
const LEVEL_ID: Record<InsightsLevel, string | null> = {
  account: null,
  campaign: 'campaign_id',
  adset: 'adset_id',
  ad: 'ad_id',
};

function template(input: TemplateInput): Template {
  const levelDims = LEVEL_DIMENSIONS[input.level];
  const breakdowns = input.breakdowns ?? [];
  const optional = new Set(input.optionalBreakdowns ?? []);
  const levelId = LEVEL_ID[input.level];
  const requiredDimensions = [
    ...(levelId ? [levelId] : []),
    ...breakdowns.filter((name) => !optional.has(name)),
  ];
  // Ids and names of the level and above, the objective, and every breakdown; buying_type is rarely wanted.
  const defaultDimensions = [...levelDims.filter((name) => name !== 'buying_type'), ...breakdowns].filter(
    // An exclusive rule's second field cannot be a default beside the first.
    (name) => !(input.rules ?? []).some((r) => r.kind === 'exclusive' && r.fields.slice(1).includes(name)),
  );
  return {
    id: `meta-ads.${input.slug}`,
    dataSource: 'meta-ads',
    name: input.name,
    description: input.description,
    dataClass: 'daily',
    level: input.level,
    dimensions: dimensionFields([...levelDims, ...breakdowns]),
    metrics: TEMPLATE_METRICS.map((metric) => ({ ...metric })),
    requiredDimensions,
    requiredMetrics: ['impressions', 'spend'],
    defaultDimensions,
    defaultMetrics: [...DEFAULT_METRICS],
    settings: META_TEMPLATE_SETTINGS.map((setting) => ({
      ...setting,
      ...(setting.options ? { options: [...setting.options] } : {}),
      default: Array.isArray(setting.default) ? [...setting.default] : setting.default,
    })),
    rules: input.rules ?? [],
    historicalDepthDays: HISTORICAL_DEPTH_DAYS,
    defaultLookbackDays: DEFAULT_LOOKBACK_DAYS,
    maxWindowDays: input.maxWindowDays,
  };
}

/*
 * Window sizes: account and campaign rows are few per day, so a month per read keeps the call count low. Ad sets
 * multiply rows by the ad sets of each campaign (two weeks); ads and breakdowns multiply again (a week), which
 * keeps one async report within Meta's per-job limits and makes a failed slice cheap to redo.
 */
/** The Meta Ads templates, in catalog order. */
export const metaAdsTemplates: readonly Template[] = [
  template({
    slug: 'account_daily',
    name: 'Account — daily',
    description: 'One row per ad account and day: delivery, spend and conversions for the whole account.',
    level: 'account',
    maxWindowDays: 31,
  }),
  template({
    slug: 'campaign_daily',
    name: 'Campaigns — daily',
    description: 'One row per campaign and day, with the campaign objective and buying type.',
    level: 'campaign',
    maxWindowDays: 31,
  }),
  template({
    slug: 'adset_daily',
    name: 'Ad sets — daily',
    description: 'One row per ad set and day, with its campaign.',
    level: 'adset',
    maxWindowDays: 14,
  }),
  template({
    slug: 'ad_daily',
    name: 'Ads — daily',
    description: 'One row per ad and day, with its ad set and campaign.',
    level: 'ad',
    maxWindowDays: 7,
  }),
  template({
    slug: 'ads_by_age_gender',
    name: 'Ads by age and gender — daily',
    description: 'One row per ad, age bracket, gender and day (Meta `breakdowns=age,gender`).',
    level: 'ad',
    breakdowns: ['age', 'gender'],
    maxWindowDays: 7,
  }),
  template({
    slug: 'ads_by_country',
    name: 'Ads by country or region — daily',
    description:
      'One row per ad, country (or region) and day (Meta `breakdowns=country` or `breakdowns=region`).',
    level: 'ad',
    breakdowns: ['country', 'region'],
    // Either geography may be chosen, so neither is required; the rule keeps them apart.
    optionalBreakdowns: ['country', 'region'],
    rules: [
      {
        kind: 'exclusive',
        fields: ['country', 'region'],
        message: 'Meta breaks results down by country or by region, not by both in one report.',
      },
    ],
    maxWindowDays: 7,
  }),
  template({
    slug: 'ads_by_platform_device',
    name: 'Ads by platform, placement and device — daily',
    description:
      'One row per ad, publisher platform, placement and device platform and day (Meta ' +
      '`breakdowns=publisher_platform,platform_position,device_platform`).',
    level: 'ad',
    breakdowns: ['publisher_platform', 'platform_position', 'device_platform'],
    optionalBreakdowns: ['platform_position'],
    rules: [
      {
        kind: 'requires',
        fields: ['platform_position', 'publisher_platform'],
        message: 'Placement (platform_position) is only reported together with the publisher platform.',
      },
    ],
    maxWindowDays: 7,
  }),
];

/** Whether a dimension is a breakdown: sent in `breakdowns` and returned as an extra row key, not a field. */
export function isBreakdown(name: string): boolean {
  return BREAKDOWN_DIMENSIONS.includes(name);
}

/** Our own definition of a template id, or undefined for another source's template. */
export function findMetaTemplate(id: string): Template | undefined {
  return metaAdsTemplates.find((template) => template.id === id);
}
