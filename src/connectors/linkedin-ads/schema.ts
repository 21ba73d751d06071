/**
 * The LinkedIn Ads fields Tributary reports. Column names are the lower snake_case of LinkedIn's camelCase wire
 * names (`costInLocalCurrency` → `cost_in_local_currency`), since destination columns are lower-case identifiers.
 * On the wire counts are JSON integers and money is a decimal string (`"costInUsd":"209.449"`); the types here say
 * how the value lands in a warehouse. Names of campaign groups, campaigns and creatives are not in `adAnalytics`
 * (it returns URNs only): they come from the entity finders.
 */
import type { FieldSpec, FieldType, SourceSchema } from '../kit/types.ts';

/** A metric's column and the `adAnalytics` field it is read from. */
export interface MetricWire {
  column: string;
  field: string;
}

function field(name: string, label: string, type: FieldType, description: string): FieldSpec {
  return { name, label, type, description };
}

const dimensions: FieldSpec[] = [
  field('campaign_group_id', 'Campaign group ID', 'string', 'Id of the campaign group.'),
  field('campaign_group_name', 'Campaign group name', 'string', 'Name of the campaign group.'),
  field('campaign_group_status', 'Campaign group status', 'string', 'ACTIVE, PAUSED, ARCHIVED, DRAFT, …'),
  field('campaign_id', 'Campaign ID', 'string', 'Id of the campaign.'),
  field('campaign_name', 'Campaign name', 'string', 'Name of the campaign.'),
  field('campaign_status', 'Campaign status', 'string', 'ACTIVE, PAUSED, ARCHIVED, COMPLETED, DRAFT, …'),
  field(
    'campaign_type',
    'Campaign type',
    'string',
    'TEXT_AD, SPONSORED_UPDATES, SPONSORED_INMAILS or DYNAMIC.',
  ),
  field('cost_type', 'Cost type', 'string', 'How the campaign is billed: CPM, CPC or CPV.'),
  field(
    'creative_id',
    'Creative ID',
    'string',
    'Id of the creative (the number of its sponsoredCreative URN).',
  ),
  field('creative_name', 'Creative name', 'string', 'Name of the creative, when it has one.'),
  field('creative_status', 'Creative status', 'string', 'The creative’s intended status: ACTIVE, PAUSED, …'),
];

const metrics: FieldSpec[] = [
  field('impressions', 'Impressions', 'integer', 'Times the ads were shown (impressions).'),
  field('clicks', 'Clicks', 'integer', 'Chargeable clicks on the ads (clicks).'),
  field(
    'cost_in_local_currency',
    'Spend',
    'money',
    'Amount spent in the account currency (costInLocalCurrency).',
  ),
  field('cost_in_usd', 'Spend (USD)', 'money', 'Amount spent, converted to US dollars (costInUsd).'),
  field(
    'landing_page_clicks',
    'Landing page clicks',
    'integer',
    'Clicks to the landing page (landingPageClicks).',
  ),
  field(
    'external_website_conversions',
    'Conversions',
    'integer',
    'Website conversions attributed to the ads; restated for about a week (externalWebsiteConversions).',
  ),
  field(
    'external_website_post_click_conversions',
    'Post-click conversions',
    'integer',
    'Conversions after a click (externalWebsitePostClickConversions).',
  ),
  field(
    'external_website_post_view_conversions',
    'View-through conversions',
    'integer',
    'Conversions after an impression without a click (externalWebsitePostViewConversions).',
  ),
  field(
    'conversion_value_in_local_currency',
    'Conversion value',
    'money',
    'Value of the conversions in the account currency (conversionValueInLocalCurrency).',
  ),
  field('one_click_leads', 'Leads', 'integer', 'Lead Gen Form submissions (oneClickLeads).'),
  field(
    'total_engagements',
    'Engagements',
    'integer',
    'Clicks, reactions, comments, shares and follows (totalEngagements).',
  ),
  field('likes', 'Reactions', 'integer', 'Likes of the sponsored content (likes).'),
  field('comments', 'Comments', 'integer', 'Comments on the sponsored content (comments).'),
  field('shares', 'Shares', 'integer', 'Shares of the sponsored content (shares).'),
  field('follows', 'Follows', 'integer', 'Follows of the company page from the ads (follows).'),
  field('video_views', 'Video views', 'integer', 'Video views of at least 2 seconds (videoViews).'),
  field('video_starts', 'Video starts', 'integer', 'Times a video started playing (videoStarts).'),
  field(
    'video_completions',
    'Video completions',
    'integer',
    'Times a video played to the end (videoCompletions).',
  ),
  field(
    'approximate_unique_impressions',
    'Reach (approximate)',
    'integer',
    'Approximate members reached; not additive across days (approximateUniqueImpressions).',
  ),
];

/** The schema shown on the LinkedIn Ads data source page. */
export const linkedinAdsSchema: SourceSchema = { dimensions, metrics };

/** `cost_in_local_currency` → `costInLocalCurrency`. */
export function wireName(column: string): string {
  return column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** The `adAnalytics` field of every metric column. */
export const METRIC_WIRE: readonly MetricWire[] = metrics.map((spec) => ({
  column: spec.name,
  field: wireName(spec.name),
}));

/** A schema field by name; throws at load time if a template names a field the schema lacks. */
export function schemaField(name: string): FieldSpec {
  const found = [...dimensions, ...metrics].find((spec) => spec.name === name);
  if (!found) throw new Error(`linkedin-ads templates: ${name} is not in the data-source schema`);
  return { ...found };
}
