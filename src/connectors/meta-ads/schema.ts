/**
 * The Meta Ads Insights fields Tributary reports. Names are the Graph API's own (facebook-business-sdk-codegen
 * `AdsInsights.json`, v25.0) and breakdown names come from the insights `breakdowns` enum. On the wire every
 * number is a JSON string; the types here say how the value lands in a warehouse.
 */
import type { FieldSpec, FieldType, SourceSchema } from '../kit/types.ts';

function field(name: string, label: string, type: FieldType, description: string): FieldSpec {
  return { name, label, type, description };
}

/** Breakdown columns arrive as extra top-level keys on each insights row, not as AdsInsights fields. */
export const BREAKDOWN_DIMENSIONS: readonly string[] = [
  'age',
  'gender',
  'country',
  'region',
  'publisher_platform',
  'platform_position',
  'device_platform',
  'impression_device',
];

const dimensions: FieldSpec[] = [
  field(
    'date_start',
    'Date start',
    'date',
    'First day of the reporting bucket (YYYY-MM-DD, ad account time zone).',
  ),
  field(
    'date_stop',
    'Date stop',
    'date',
    'Last day of the reporting bucket; equals date_start for daily rows.',
  ),
  field('account_id', 'Ad account ID', 'string', 'Bare numeric ad account id (without the act_ prefix).'),
  field('account_name', 'Ad account name', 'string', 'Name of the ad account.'),
  field(
    'account_currency',
    'Account currency',
    'string',
    'ISO 4217 currency of every money metric in the row.',
  ),
  field('campaign_id', 'Campaign ID', 'string', 'Id of the campaign.'),
  field('campaign_name', 'Campaign name', 'string', 'Name of the campaign.'),
  field('adset_id', 'Ad set ID', 'string', 'Id of the ad set.'),
  field('adset_name', 'Ad set name', 'string', 'Name of the ad set.'),
  field('ad_id', 'Ad ID', 'string', 'Id of the ad.'),
  field('ad_name', 'Ad name', 'string', 'Name of the ad.'),
  field('objective', 'Objective', 'string', 'Campaign objective, e.g. OUTCOME_SALES.'),
  field(
    'optimization_goal',
    'Optimization goal',
    'string',
    'What delivery optimises for, e.g. OFFSITE_CONVERSIONS.',
  ),
  field('buying_type', 'Buying type', 'string', 'AUCTION or RESERVED.'),
  field('age', 'Age', 'string', 'Age bracket breakdown, e.g. 25-34.'),
  field('gender', 'Gender', 'string', 'Gender breakdown: female, male or unknown.'),
  field('country', 'Country', 'string', 'Two-letter country code breakdown.'),
  field('region', 'Region', 'string', 'Region (state/province) breakdown.'),
  field(
    'publisher_platform',
    'Publisher platform',
    'string',
    'facebook, instagram, messenger or audience_network.',
  ),
  field('platform_position', 'Placement', 'string', 'Placement within the platform, e.g. feed, story.'),
  field('device_platform', 'Device platform', 'string', 'mobile_app, mobile_web or desktop.'),
  field(
    'impression_device',
    'Impression device',
    'string',
    'Device the impression was served on, e.g. iphone.',
  ),
];

const metrics: FieldSpec[] = [
  field('impressions', 'Impressions', 'integer', 'Times the ads were on screen.'),
  field('reach', 'Reach', 'integer', 'People who saw the ads at least once (estimated).'),
  field('frequency', 'Frequency', 'decimal', 'Average times each person saw the ads (impressions / reach).'),
  field('clicks', 'Clicks (all)', 'integer', 'All clicks on the ads.'),
  field('unique_clicks', 'Unique clicks (all)', 'integer', 'People who clicked (estimated).'),
  field('inline_link_clicks', 'Link clicks', 'integer', 'Clicks on links to destinations on or off Meta.'),
  field(
    'unique_inline_link_clicks',
    'Unique link clicks',
    'integer',
    'People who clicked a link (estimated).',
  ),
  field(
    'inline_post_engagement',
    'Post engagement',
    'integer',
    'Actions taken on the ads (reactions, shares…).',
  ),
  field('spend', 'Amount spent', 'money', 'Estimated spend in the account currency.'),
  field('cpc', 'CPC (all)', 'money', 'Average cost per click (all).'),
  field('cpm', 'CPM', 'money', 'Average cost per 1,000 impressions.'),
  field('cpp', 'CPP', 'money', 'Average cost to reach 1,000 people.'),
  field('cost_per_inline_link_click', 'Cost per link click', 'money', 'Average cost per link click.'),
  field('cost_per_unique_click', 'Cost per unique click', 'money', 'Average cost per person who clicked.'),
  field('ctr', 'CTR (all)', 'percent', 'Clicks (all) / impressions, as a percentage.'),
  field('unique_ctr', 'Unique CTR (all)', 'percent', 'Unique clicks / reach, as a percentage.'),
  field('inline_link_click_ctr', 'Link CTR', 'percent', 'Link clicks / impressions, as a percentage.'),
  field('actions', 'Actions', 'json', 'Actions by action_type, with per-attribution-window values.'),
  field(
    'action_values',
    'Action values',
    'json',
    'Value of conversions by action_type, in the account currency.',
  ),
  field('unique_actions', 'Unique actions', 'json', 'People who took each action_type (estimated).'),
  field('conversions', 'Conversions', 'json', 'Conversion events by action_type.'),
  field('conversion_values', 'Conversion values', 'json', 'Value of conversion events by action_type.'),
  field('cost_per_action_type', 'Cost per action type', 'json', 'Average cost per action, by action_type.'),
  field('purchase_roas', 'Purchase ROAS', 'json', 'Return on ad spend from purchases, by action_type.'),
  field('outbound_clicks', 'Outbound clicks', 'json', 'Clicks that took people off Meta, by action_type.'),
  field(
    'video_p25_watched_actions',
    'Video plays at 25%',
    'json',
    'Times video was played to 25% of its length.',
  ),
  field('video_p100_watched_actions', 'Video plays at 100%', 'json', 'Times video was played to its end.'),
  field('video_thruplay_watched_actions', 'ThruPlays', 'json', 'Plays to completion or at least 15 seconds.'),
];

/** The schema shown on the Meta Ads data source page. */
export const metaAdsSchema: SourceSchema = { dimensions, metrics };
