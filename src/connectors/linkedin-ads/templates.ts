/**
 * The four global LinkedIn Ads templates: daily `adAnalytics` by account, campaign group, campaign and creative
 * (the `pivot`). A template fixes the pivot and which entity finder names its rows; parent names (a campaign's
 * group, a creative's campaign) are read from their own finder only when selected.
 */
import type { Template } from '../kit/types.ts';
import { schemaField } from './schema.ts';

/** The entity finders a read may need. */
export type EntityKind = 'campaignGroup' | 'campaign' | 'creative';

/** How one template is asked of `adAnalytics`. */
export interface LinkedInQueryShape {
  pivot: 'ACCOUNT' | 'CAMPAIGN_GROUP' | 'CAMPAIGN' | 'CREATIVE';
  /** The entity one row is about (null for the account itself): its finder names the rows and counts them. */
  entity: EntityKind | null;
}

/** Days of history offered: two years, which covers yearly comparisons within what LinkedIn keeps. */
export const HISTORICAL_DEPTH_DAYS = 730;
/** LinkedIn restates website conversions for about a week after the day, so a schedule re-reads that far. */
export const DEFAULT_LOOKBACK_DAYS = 7;
/**
 * The widest window one read asks for. LinkedIn has no daily-range limit but caps each answer at 15,000 elements;
 * the reader splits a window by that cap (see `report-windows.ts`), so this only bounds one slice's work.
 */
export const MAX_WINDOW_DAYS = 90;

const METRICS = [
  'impressions',
  'clicks',
  'cost_in_local_currency',
  'cost_in_usd',
  'landing_page_clicks',
  'external_website_conversions',
  'external_website_post_click_conversions',
  'external_website_post_view_conversions',
  'conversion_value_in_local_currency',
  'one_click_leads',
  'total_engagements',
  'likes',
  'comments',
  'shares',
  'follows',
  'video_views',
  'video_starts',
  'video_completions',
  'approximate_unique_impressions',
];
const DEFAULT_METRICS = [
  'impressions',
  'clicks',
  'cost_in_local_currency',
  'landing_page_clicks',
  'external_website_conversions',
  'conversion_value_in_local_currency',
];
const REQUIRED_METRICS = ['impressions', 'clicks', 'cost_in_local_currency'];

interface TemplateInput {
  slug: string;
  name: string;
  description: string;
  level: 'account' | 'campaign_group' | 'campaign' | 'creative';
  shape: LinkedInQueryShape;
  dimensions: string[];
  requiredDimensions: string[];
  defaultDimensions: string[];
}

const shapes = new Map<string, LinkedInQueryShape>();

function template(input: TemplateInput): Template {
  const id = `linkedin-ads.${input.slug}`;
  shapes.set(id, input.shape);
  return {
    id,
    dataSource: 'linkedin-ads',
    name: input.name,
    description: input.description,
    dataClass: 'daily',
    level: input.level,
    dimensions: input.dimensions.map(schemaField),
    metrics: METRICS.map(schemaField),
    requiredDimensions: [...input.requiredDimensions],
    requiredMetrics: [...REQUIRED_METRICS],
    defaultDimensions: [...input.defaultDimensions],
    defaultMetrics: [...DEFAULT_METRICS],
    settings: [],
    rules: [],
    historicalDepthDays: HISTORICAL_DEPTH_DAYS,
    defaultLookbackDays: DEFAULT_LOOKBACK_DAYS,
    maxWindowDays: MAX_WINDOW_DAYS,
  };
}

/*
 * The account has no dimension of its own: it is the destination's `account_id` system column, so account-level
 * rows are identified by (account, date).
 */
/** The LinkedIn Ads templates, in catalog order. */
export const linkedinAdsTemplates: readonly Template[] = [
  template({
    slug: 'account_daily',
    name: 'Ad account — daily',
    description:
      'One row per ad account and day (UTC): delivery, spend and conversions for the whole account.',
    level: 'account',
    shape: { pivot: 'ACCOUNT', entity: null },
    dimensions: [],
    requiredDimensions: [],
    defaultDimensions: [],
  }),
  template({
    slug: 'campaign_group_daily',
    name: 'Campaign groups — daily',
    description: 'One row per campaign group and day (UTC), with its name and status.',
    level: 'campaign_group',
    shape: { pivot: 'CAMPAIGN_GROUP', entity: 'campaignGroup' },
    dimensions: ['campaign_group_id', 'campaign_group_name', 'campaign_group_status'],
    requiredDimensions: ['campaign_group_id'],
    defaultDimensions: ['campaign_group_id', 'campaign_group_name'],
  }),
  template({
    slug: 'campaign_daily',
    name: 'Campaigns — daily',
    description: 'One row per campaign and day (UTC), with its name, type, cost type and campaign group.',
    level: 'campaign',
    shape: { pivot: 'CAMPAIGN', entity: 'campaign' },
    dimensions: [
      'campaign_id',
      'campaign_name',
      'campaign_status',
      'campaign_type',
      'cost_type',
      'campaign_group_id',
      'campaign_group_name',
    ],
    requiredDimensions: ['campaign_id'],
    defaultDimensions: ['campaign_id', 'campaign_name', 'campaign_group_id'],
  }),
  template({
    slug: 'creative_daily',
    name: 'Creatives — daily',
    description: 'One row per creative and day (UTC), with its name and campaign.',
    level: 'creative',
    shape: { pivot: 'CREATIVE', entity: 'creative' },
    dimensions: ['creative_id', 'creative_name', 'creative_status', 'campaign_id', 'campaign_name'],
    requiredDimensions: ['creative_id'],
    defaultDimensions: ['creative_id', 'creative_name', 'campaign_id', 'campaign_name'],
  }),
];

/** Our own definition of a template id, or undefined for another source's template. */
export function findLinkedInTemplate(id: string): Template | undefined {
  return linkedinAdsTemplates.find((candidate) => candidate.id === id);
}

/** How a template of ours is queried. */
export function queryShape(templateId: string): LinkedInQueryShape | undefined {
  return shapes.get(templateId);
}
