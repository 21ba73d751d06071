/**
 * The Google Ads fields Tributary reports: each destination column with its type, the GAQL field it is selected
 * as (snake_case: `metrics.cost_micros`) and how its wire value becomes a cell. On the wire (proto3 JSON) int64
 * values are decimal strings, doubles are numbers, enums are names, money is in micros, and zero values are
 * omitted (`gaql_field_catalog.v25.json` of the research folder, from googleapis `metrics.proto`/`segments.proto`).
 */
import type { FieldSpec, FieldType, SourceSchema } from '../kit/types.ts';

/**
 * How a wire value becomes a cell: `text` as it is (ids are int64 strings and stay text), `int64` a whole number,
 * `micros` an int64 count of millionths → currency units, `double` as it is, `double_micros` a double in micros →
 * currency units, `ratio_percent` a 0–1 ratio → a percentage.
 */
export type WireKind = 'text' | 'int64' | 'micros' | 'double' | 'double_micros' | 'ratio_percent';

/** One reportable field: the column, its GAQL field and its wire conversion. */
export interface GoogleAdsField {
  spec: FieldSpec;
  /** The field in GAQL (`ad_group_criterion.keyword.text`). */
  gaql: string;
  /** The same field's path in a JSON row (`adGroupCriterion.keyword.text`). */
  path: string[];
  wire: WireKind;
}

const camel = (segment: string) =>
  segment.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());

function field(
  name: string,
  label: string,
  type: FieldType,
  gaql: string,
  wire: WireKind,
  description: string,
): GoogleAdsField {
  return { spec: { name, label, type, description }, gaql, path: gaql.split('.').map(camel), wire };
}

/** The date segment every report is split by: the `date` column. */
export const DATE_FIELD = field(
  'date',
  'Day',
  'date',
  'segments.date',
  'text',
  'The day, in the account time zone.',
);

const dimensions: GoogleAdsField[] = [
  field('campaign_id', 'Campaign ID', 'string', 'campaign.id', 'text', 'Id of the campaign.'),
  field('campaign_name', 'Campaign name', 'string', 'campaign.name', 'text', 'Name of the campaign.'),
  field(
    'campaign_status',
    'Campaign status',
    'string',
    'campaign.status',
    'text',
    'ENABLED, PAUSED or REMOVED.',
  ),
  field(
    'advertising_channel_type',
    'Channel type',
    'string',
    'campaign.advertising_channel_type',
    'text',
    'The campaign type: SEARCH, SHOPPING, DISPLAY, VIDEO, PERFORMANCE_MAX…',
  ),
  field('ad_group_id', 'Ad group ID', 'string', 'ad_group.id', 'text', 'Id of the ad group.'),
  field('ad_group_name', 'Ad group name', 'string', 'ad_group.name', 'text', 'Name of the ad group.'),
  field(
    'ad_group_status',
    'Ad group status',
    'string',
    'ad_group.status',
    'text',
    'ENABLED, PAUSED or REMOVED.',
  ),
  field('ad_id', 'Ad ID', 'string', 'ad_group_ad.ad.id', 'text', 'Id of the ad.'),
  field(
    'ad_name',
    'Ad name',
    'string',
    'ad_group_ad.ad.name',
    'text',
    'Name of the ad (only some ad types have one).',
  ),
  field('ad_type', 'Ad type', 'string', 'ad_group_ad.ad.type', 'text', 'e.g. RESPONSIVE_SEARCH_AD.'),
  field('ad_status', 'Ad status', 'string', 'ad_group_ad.status', 'text', 'ENABLED, PAUSED or REMOVED.'),
  field(
    'keyword_id',
    'Keyword ID',
    'string',
    'ad_group_criterion.criterion_id',
    'text',
    'Id of the keyword criterion (unique within its ad group).',
  ),
  field('keyword_text', 'Keyword', 'string', 'ad_group_criterion.keyword.text', 'text', 'The keyword text.'),
  field(
    'keyword_match_type',
    'Match type',
    'string',
    'ad_group_criterion.keyword.match_type',
    'text',
    'EXACT, PHRASE or BROAD.',
  ),
  field(
    'search_term',
    'Search term',
    'string',
    'search_term_view.search_term',
    'text',
    'What the user searched for.',
  ),
  field(
    'search_term_status',
    'Search term status',
    'string',
    'search_term_view.status',
    'text',
    'Whether the term was added as a keyword or excluded: ADDED, EXCLUDED, ADDED_EXCLUDED or NONE.',
  ),
  field(
    'device',
    'Device',
    'string',
    'segments.device',
    'text',
    'MOBILE, DESKTOP, TABLET, CONNECTED_TV or OTHER.',
  ),
  field(
    'ad_network_type',
    'Network',
    'string',
    'segments.ad_network_type',
    'text',
    'SEARCH, SEARCH_PARTNERS, CONTENT, YOUTUBE_WATCH, MIXED…',
  ),
];

const metrics: GoogleAdsField[] = [
  field(
    'spend',
    'Cost',
    'money',
    'metrics.cost_micros',
    'micros',
    'Cost, in the account currency (sent in micros).',
  ),
  field('impressions', 'Impressions', 'integer', 'metrics.impressions', 'int64', 'Times the ads were shown.'),
  field('clicks', 'Clicks', 'integer', 'metrics.clicks', 'int64', 'Clicks on the ads.'),
  field(
    'interactions',
    'Interactions',
    'integer',
    'metrics.interactions',
    'int64',
    'Clicks, video views and other main interactions of the ad format.',
  ),
  field('ctr', 'CTR', 'percent', 'metrics.ctr', 'ratio_percent', 'Clicks / impressions, as a percentage.'),
  field('average_cpc', 'Avg. CPC', 'money', 'metrics.average_cpc', 'double_micros', 'Cost / clicks.'),
  field(
    'average_cpm',
    'Avg. CPM',
    'money',
    'metrics.average_cpm',
    'double_micros',
    'Cost per 1,000 impressions.',
  ),
  field(
    'conversions',
    'Conversions',
    'decimal',
    'metrics.conversions',
    'double',
    'Conversions of the actions included in "Conversions" (fractional with data-driven attribution; restated as conversions arrive).',
  ),
  field(
    'conversions_value',
    'Conversion value',
    'money',
    'metrics.conversions_value',
    'double',
    'Value of those conversions, in the account currency (restated).',
  ),
  field(
    'cost_per_conversion',
    'Cost / conv.',
    'money',
    'metrics.cost_per_conversion',
    'double_micros',
    'Cost / conversions (restated).',
  ),
  field(
    'value_per_conversion',
    'Value / conv.',
    'money',
    'metrics.value_per_conversion',
    'double',
    'Conversion value / conversions (restated).',
  ),
  field(
    'all_conversions',
    'All conv.',
    'decimal',
    'metrics.all_conversions',
    'double',
    'Every conversion, including those not counted in "Conversions" (restated).',
  ),
  field(
    'all_conversions_value',
    'All conv. value',
    'money',
    'metrics.all_conversions_value',
    'double',
    'Value of all conversions (restated).',
  ),
  field(
    'view_through_conversions',
    'View-through conv.',
    'integer',
    'metrics.view_through_conversions',
    'int64',
    'Conversions after an impression without a click.',
  ),
  field(
    'video_trueview_views',
    'TrueView views',
    'integer',
    'metrics.video_trueview_views',
    'int64',
    'Views of TrueView video ads (metrics.video_views in versions before v25).',
  ),
];

/** Every dimension, in catalog order. */
export const GOOGLE_ADS_DIMENSIONS: readonly GoogleAdsField[] = dimensions;
/** Every metric, in catalog order. */
export const GOOGLE_ADS_METRICS: readonly GoogleAdsField[] = metrics;

/** The schema shown on the Google Ads data source page. */
export const googleAdsSchema: SourceSchema = {
  dimensions: [DATE_FIELD, ...dimensions].map((entry) => ({ ...entry.spec })),
  metrics: metrics.map((entry) => ({ ...entry.spec })),
};

/** A field by column name; throws at load time if a template names a field the schema lacks. */
export function googleAdsField(name: string): GoogleAdsField {
  const found = [...dimensions, ...metrics].find((entry) => entry.spec.name === name);
  if (!found) throw new Error(`google-ads templates: ${name} is not in the data-source schema`);
  return found;
}
