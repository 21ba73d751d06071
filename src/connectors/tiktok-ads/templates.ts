/**
 * The six global TikTok Ads templates: daily BASIC reports at advertiser, campaign, ad group and ad level, and two
 * daily AUDIENCE reports (age × gender, country). A template fixes TikTok's `report_type` and `data_level` and
 * which of its dimensions are real report dimensions; object names and parent ids are "attribute metrics" on
 * TikTok's side (they arrive inside `metrics`), but they are dimensions of the row, so the user sees them as such.
 */
import type { Template } from '../kit/types.ts';
import { schemaField } from './schema.ts';

/** How one template is asked of `report/integrated/get/`. */
export interface TiktokQueryShape {
  reportType: 'BASIC' | 'AUDIENCE';
  dataLevel: 'AUCTION_ADVERTISER' | 'AUCTION_CAMPAIGN' | 'AUCTION_ADGROUP' | 'AUCTION_AD';
  /** Template dimensions sent as report `dimensions` (always, since they are required); the rest go in `metrics`. */
  reportDimensions: string[];
}

/** Days of history offered; TikTok documents no reporting retention, and two years covers yearly comparisons. */
export const HISTORICAL_DEPTH_DAYS = 730;
/** TikTok restates conversions for about a week (the sandbox models 7 days), so a schedule re-reads that far. */
export const DEFAULT_LOOKBACK_DAYS = 7;
/** TikTok refuses more than 30 days per call when `stat_time_day` is a dimension (code 40002). */
export const MAX_WINDOW_DAYS = 30;

const BASIC_METRICS = [
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
  'conversion_rate',
  'result',
  'cost_per_result',
  'video_play_actions',
  'video_watched_2s',
  'video_watched_6s',
  'video_views_p25',
  'video_views_p50',
  'video_views_p75',
  'video_views_p100',
  'average_video_play',
  'likes',
  'comments',
  'shares',
  'follows',
  'profile_visits',
];
/** Audience reports break delivery down by who saw it; reach and frequency are not reported per segment. */
const AUDIENCE_METRICS = [
  'spend',
  'impressions',
  'clicks',
  'ctr',
  'cpc',
  'cpm',
  'conversion',
  'cost_per_conversion',
  'conversion_rate',
];
const DEFAULT_METRICS = ['spend', 'impressions', 'clicks', 'ctr', 'cpc', 'cpm', 'conversion'];

interface TemplateInput {
  slug: string;
  name: string;
  description: string;
  level: 'advertiser' | 'campaign' | 'adgroup' | 'ad';
  shape: TiktokQueryShape;
  dimensions: string[];
  defaultDimensions: string[];
  metrics: string[];
}

const shapes = new Map<string, TiktokQueryShape>();

function template(input: TemplateInput): Template {
  const id = `tiktok-ads.${input.slug}`;
  shapes.set(id, input.shape);
  return {
    id,
    dataSource: 'tiktok-ads',
    name: input.name,
    description: input.description,
    dataClass: 'daily',
    level: input.level,
    dimensions: input.dimensions.map(schemaField),
    metrics: input.metrics.map(schemaField),
    requiredDimensions: [...input.shape.reportDimensions],
    requiredMetrics: ['spend', 'impressions'],
    defaultDimensions: [...input.defaultDimensions],
    defaultMetrics: DEFAULT_METRICS.filter((name) => input.metrics.includes(name)),
    settings: [],
    rules: [],
    historicalDepthDays: HISTORICAL_DEPTH_DAYS,
    defaultLookbackDays: DEFAULT_LOOKBACK_DAYS,
    maxWindowDays: MAX_WINDOW_DAYS,
  };
}

/*
 * The advertiser itself has no dimension of its own: it is the destination's `account_id` system column, so
 * advertiser-level rows are identified by (account, date).
 */
/** The TikTok Ads templates, in catalog order. */
export const tiktokAdsTemplates: readonly Template[] = [
  template({
    slug: 'advertiser_daily',
    name: 'Advertiser — daily',
    description: 'One row per advertiser and day: delivery, spend and conversions for the whole account.',
    level: 'advertiser',
    shape: { reportType: 'BASIC', dataLevel: 'AUCTION_ADVERTISER', reportDimensions: [] },
    dimensions: [],
    defaultDimensions: [],
    metrics: BASIC_METRICS,
  }),
  template({
    slug: 'campaign_daily',
    name: 'Campaigns — daily',
    description: 'One row per campaign and day, with the campaign name and objective.',
    level: 'campaign',
    shape: { reportType: 'BASIC', dataLevel: 'AUCTION_CAMPAIGN', reportDimensions: ['campaign_id'] },
    dimensions: ['campaign_id', 'campaign_name', 'objective_type'],
    defaultDimensions: ['campaign_id', 'campaign_name'],
    metrics: BASIC_METRICS,
  }),
  template({
    slug: 'adgroup_daily',
    name: 'Ad groups — daily',
    description: 'One row per ad group and day, with its campaign.',
    level: 'adgroup',
    shape: { reportType: 'BASIC', dataLevel: 'AUCTION_ADGROUP', reportDimensions: ['adgroup_id'] },
    dimensions: ['campaign_id', 'campaign_name', 'adgroup_id', 'adgroup_name'],
    defaultDimensions: ['campaign_id', 'campaign_name', 'adgroup_id', 'adgroup_name'],
    metrics: BASIC_METRICS,
  }),
  template({
    slug: 'ad_daily',
    name: 'Ads — daily',
    description: 'One row per ad and day, with its ad group and campaign.',
    level: 'ad',
    shape: { reportType: 'BASIC', dataLevel: 'AUCTION_AD', reportDimensions: ['ad_id'] },
    dimensions: ['campaign_id', 'campaign_name', 'adgroup_id', 'adgroup_name', 'ad_id', 'ad_name'],
    defaultDimensions: ['campaign_id', 'campaign_name', 'adgroup_id', 'adgroup_name', 'ad_id', 'ad_name'],
    metrics: BASIC_METRICS,
  }),
  template({
    slug: 'audience_age_gender_daily',
    name: 'Audience by age and gender — daily',
    description: 'One row per advertiser, age bracket, gender and day (TikTok AUDIENCE report).',
    level: 'advertiser',
    shape: { reportType: 'AUDIENCE', dataLevel: 'AUCTION_ADVERTISER', reportDimensions: ['age', 'gender'] },
    dimensions: ['age', 'gender'],
    defaultDimensions: ['age', 'gender'],
    metrics: AUDIENCE_METRICS,
  }),
  template({
    slug: 'audience_country_daily',
    name: 'Audience by country — daily',
    description: 'One row per advertiser, country and day (TikTok AUDIENCE report by country_code).',
    level: 'advertiser',
    shape: { reportType: 'AUDIENCE', dataLevel: 'AUCTION_ADVERTISER', reportDimensions: ['country_code'] },
    dimensions: ['country_code'],
    defaultDimensions: ['country_code'],
    metrics: AUDIENCE_METRICS,
  }),
];

/** Our own definition of a template id, or undefined for another source's template. */
export function findTiktokTemplate(id: string): Template | undefined {
  return tiktokAdsTemplates.find((candidate) => candidate.id === id);
}

/** How a template of ours is queried. */
export function queryShape(templateId: string): TiktokQueryShape | undefined {
  return shapes.get(templateId);
}
