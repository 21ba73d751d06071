/**
 * The six global Google Ads templates: daily reports of the account, campaigns, ad groups, ads, keywords and
 * search terms. A template fixes the GAQL resource read (`FROM campaign`, `FROM keyword_view`…); every one is
 * split by `segments.date`, and may be split further by device or network.
 */
import type { Template, TemplateSettingSpec } from '../kit/types.ts';
import { googleAdsField } from './schema.ts';

/** Google keeps performance data for the life of an account; three years is what one backfill offers. */
export const HISTORICAL_DEPTH_DAYS = 1_095;

/**
 * Conversions are attributed to the day of the click, up to the conversion window of each conversion action
 * later (30 days unless the advertiser changed it, at most 90). Until then a day's conversion metrics change.
 * The engine reads the `Nd_` prefix of the setting as the days a day stays provisional.
 */
export const CONVERSION_WINDOW_SETTING: TemplateSettingSpec = {
  name: 'conversion_window',
  label: 'Conversion window',
  description:
    'How long after a click Google Ads may still count its conversions: the longest conversion window of your conversion actions (Google Ads → Goals → Conversions → Settings; 30 days by default). Days this recent stay provisional and are re-read.',
  kind: 'single',
  options: [
    '7d_conversion_window',
    '14d_conversion_window',
    '30d_conversion_window',
    '60d_conversion_window',
    '90d_conversion_window',
  ],
  default: '30d_conversion_window',
};

/** A schedule re-reads as far back as the default conversion window. */
export const DEFAULT_LOOKBACK_DAYS = 30;

/** The GAQL resource a template reads, and the resource its reconciliation totals are read from. */
export interface GoogleAdsQueryShape {
  resource: 'customer' | 'campaign' | 'ad_group' | 'ad_group_ad' | 'keyword_view' | 'search_term_view';
  /**
   * `customer` where the template's rows add up to the account (every campaign, ad group and ad); the template's
   * own resource for keywords and search terms, which cover Search campaigns only and so sum to less.
   */
  totalsResource: 'customer' | 'keyword_view' | 'search_term_view';
}

const SEGMENTS = ['device', 'ad_network_type'];
const METRICS = [
  'spend',
  'impressions',
  'clicks',
  'interactions',
  'ctr',
  'average_cpc',
  'average_cpm',
  'conversions',
  'conversions_value',
  'cost_per_conversion',
  'value_per_conversion',
  'all_conversions',
  'all_conversions_value',
  'view_through_conversions',
  'video_trueview_views',
];
const DEFAULT_METRICS = [
  'spend',
  'impressions',
  'clicks',
  'ctr',
  'average_cpc',
  'conversions',
  'conversions_value',
];
const CAMPAIGN = ['campaign_id', 'campaign_name', 'campaign_status', 'advertising_channel_type'];
const AD_GROUP = ['ad_group_id', 'ad_group_name', 'ad_group_status'];

interface TemplateInput {
  slug: string;
  name: string;
  description: string;
  level: string;
  shape: GoogleAdsQueryShape;
  dimensions: string[];
  requiredDimensions: string[];
  defaultDimensions: string[];
  /** The widest window one searchStream call is asked for: row counts grow with detail. */
  maxWindowDays: number;
}

const shapes = new Map<string, GoogleAdsQueryShape>();

function template(input: TemplateInput): Template {
  const id = `google-ads.${input.slug}`;
  shapes.set(id, input.shape);
  return {
    id,
    dataSource: 'google-ads',
    name: input.name,
    description: input.description,
    dataClass: 'daily',
    level: input.level,
    dimensions: [...input.dimensions, ...SEGMENTS].map((name) => ({ ...googleAdsField(name).spec })),
    metrics: METRICS.map((name) => ({ ...googleAdsField(name).spec })),
    requiredDimensions: [...input.requiredDimensions],
    requiredMetrics: ['spend', 'impressions'],
    defaultDimensions: [...input.defaultDimensions],
    defaultMetrics: [...DEFAULT_METRICS],
    settings: [{ ...CONVERSION_WINDOW_SETTING, options: [...(CONVERSION_WINDOW_SETTING.options ?? [])] }],
    rules: [],
    historicalDepthDays: HISTORICAL_DEPTH_DAYS,
    defaultLookbackDays: DEFAULT_LOOKBACK_DAYS,
    maxWindowDays: input.maxWindowDays,
  };
}

/*
 * The account itself has no dimension: it is the destination's `account_id` system column. A level's id is
 * required because GAQL returns one row per resource whether its id is selected or not; without the id those rows
 * could not be told apart. Keyword criterion ids are unique only within their ad group, hence the ad group id.
 */
/** The Google Ads templates, in catalog order. */
export const googleAdsTemplates: readonly Template[] = [
  template({
    slug: 'account_daily',
    name: 'Account — daily',
    description:
      'One row per account and day (FROM customer): delivery, cost and conversions of the whole account.',
    level: 'account',
    shape: { resource: 'customer', totalsResource: 'customer' },
    dimensions: [],
    requiredDimensions: [],
    defaultDimensions: [],
    maxWindowDays: 90,
  }),
  template({
    slug: 'campaign_daily',
    name: 'Campaigns — daily',
    description: 'One row per campaign and day, with its name, status and channel type.',
    level: 'campaign',
    shape: { resource: 'campaign', totalsResource: 'customer' },
    dimensions: CAMPAIGN,
    requiredDimensions: ['campaign_id'],
    defaultDimensions: ['campaign_id', 'campaign_name'],
    maxWindowDays: 90,
  }),
  template({
    slug: 'ad_group_daily',
    name: 'Ad groups — daily',
    description: 'One row per ad group and day, with its campaign.',
    level: 'ad_group',
    shape: { resource: 'ad_group', totalsResource: 'customer' },
    dimensions: [...CAMPAIGN, ...AD_GROUP],
    requiredDimensions: ['ad_group_id'],
    defaultDimensions: ['campaign_id', 'campaign_name', 'ad_group_id', 'ad_group_name'],
    maxWindowDays: 31,
  }),
  template({
    slug: 'ad_daily',
    name: 'Ads — daily',
    description: 'One row per ad and day (FROM ad_group_ad), with its ad group and campaign.',
    level: 'ad',
    shape: { resource: 'ad_group_ad', totalsResource: 'customer' },
    dimensions: [...CAMPAIGN, ...AD_GROUP, 'ad_id', 'ad_name', 'ad_type', 'ad_status'],
    requiredDimensions: ['ad_group_id', 'ad_id'],
    defaultDimensions: ['campaign_id', 'campaign_name', 'ad_group_id', 'ad_group_name', 'ad_id', 'ad_type'],
    maxWindowDays: 31,
  }),
  template({
    slug: 'keyword_daily',
    name: 'Keywords — daily',
    description: 'One row per keyword and day (FROM keyword_view; Search campaigns only).',
    level: 'keyword',
    shape: { resource: 'keyword_view', totalsResource: 'keyword_view' },
    dimensions: [...CAMPAIGN, ...AD_GROUP, 'keyword_id', 'keyword_text', 'keyword_match_type'],
    requiredDimensions: ['ad_group_id', 'keyword_id'],
    defaultDimensions: [
      'campaign_id',
      'campaign_name',
      'ad_group_id',
      'ad_group_name',
      'keyword_id',
      'keyword_text',
      'keyword_match_type',
    ],
    maxWindowDays: 14,
  }),
  template({
    slug: 'search_term_daily',
    name: 'Search terms — daily',
    description: 'One row per search term, ad group and day (FROM search_term_view; Search campaigns only).',
    level: 'search_term',
    shape: { resource: 'search_term_view', totalsResource: 'search_term_view' },
    dimensions: [...CAMPAIGN, ...AD_GROUP, 'search_term', 'search_term_status'],
    requiredDimensions: ['ad_group_id', 'search_term'],
    defaultDimensions: ['campaign_id', 'campaign_name', 'ad_group_id', 'ad_group_name', 'search_term'],
    maxWindowDays: 7,
  }),
];

/** Our own definition of a template id, or undefined for another source's template. */
export function findGoogleAdsTemplate(id: string): Template | undefined {
  return googleAdsTemplates.find((candidate) => candidate.id === id);
}

/** How a template of ours is queried. */
export function queryShape(templateId: string): GoogleAdsQueryShape | undefined {
  return shapes.get(templateId);
}
