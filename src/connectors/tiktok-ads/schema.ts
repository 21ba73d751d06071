/**
 * The TikTok Ads reporting fields Tributary reports, with names as `report/integrated/get/` takes them. On the
 * wire core metrics are JSON strings (`"spend":"20.00"`, `"impressions":"5830"`), engagement and video counts
 * JSON numbers, and object names arrive inside `metrics`; the types here say how the value lands in a warehouse.
 */
import type { FieldSpec, FieldType, SourceSchema } from '../kit/types.ts';

function field(name: string, label: string, type: FieldType, description: string): FieldSpec {
  return { name, label, type, description };
}

const dimensions: FieldSpec[] = [
  field(
    'stat_time_day',
    'Day',
    'date',
    'The reporting day in the advertiser time zone (sent as "YYYY-MM-DD 00:00:00"); the date column.',
  ),
  field('campaign_id', 'Campaign ID', 'string', 'Id of the campaign.'),
  field('campaign_name', 'Campaign name', 'string', 'Name of the campaign.'),
  field('objective_type', 'Objective', 'string', 'Campaign objective, e.g. TRAFFIC or CONVERSIONS.'),
  field('adgroup_id', 'Ad group ID', 'string', 'Id of the ad group.'),
  field('adgroup_name', 'Ad group name', 'string', 'Name of the ad group.'),
  field('ad_id', 'Ad ID', 'string', 'Id of the ad.'),
  field('ad_name', 'Ad name', 'string', 'Name of the ad.'),
  field('age', 'Age', 'string', 'Age bracket of the audience, e.g. AGE_25_34 (AUDIENCE reports).'),
  field('gender', 'Gender', 'string', 'MALE, FEMALE or NONE (AUDIENCE reports).'),
  field('country_code', 'Country', 'string', 'Two-letter country code of the audience (AUDIENCE reports).'),
];

const metrics: FieldSpec[] = [
  field('spend', 'Cost', 'money', 'Amount spent, in the advertiser currency.'),
  field('impressions', 'Impressions', 'integer', 'Times the ads were shown.'),
  field('clicks', 'Clicks (destination)', 'integer', 'Clicks on the ads that lead to the destination.'),
  field('ctr', 'CTR (destination)', 'percent', 'Clicks / impressions, as a percentage.'),
  field('cpc', 'CPC (destination)', 'money', 'Average cost per click.'),
  field('cpm', 'CPM', 'money', 'Average cost per 1,000 impressions.'),
  field('reach', 'Reach', 'integer', 'People who saw the ads at least once (estimated, not additive).'),
  field('frequency', 'Frequency', 'decimal', 'Average times each person saw the ads (impressions / reach).'),
  field('conversion', 'Conversions', 'integer', 'Conversions of the optimization event (restated for days).'),
  field('cost_per_conversion', 'Cost per conversion', 'money', 'Spend / conversions.'),
  field('conversion_rate', 'Conversion rate', 'percent', 'Conversions / clicks, as a percentage.'),
  field('result', 'Results', 'integer', 'Results of the ad group optimization goal.'),
  field('cost_per_result', 'Cost per result', 'money', 'Spend / results.'),
  field('video_play_actions', 'Video views', 'integer', 'Times the video started playing.'),
  field('video_watched_2s', '2-second video views', 'integer', 'Plays of at least 2 seconds.'),
  field('video_watched_6s', '6-second video views', 'integer', 'Plays of at least 6 seconds.'),
  field('video_views_p25', 'Video views at 25%', 'integer', 'Plays to 25% of the video length.'),
  field('video_views_p50', 'Video views at 50%', 'integer', 'Plays to 50% of the video length.'),
  field('video_views_p75', 'Video views at 75%', 'integer', 'Plays to 75% of the video length.'),
  field('video_views_p100', 'Video views at 100%', 'integer', 'Plays to the end of the video.'),
  field('average_video_play', 'Average play time per view', 'decimal', 'Seconds watched per video view.'),
  field('likes', 'Likes', 'integer', 'Likes of the ads.'),
  field('comments', 'Comments', 'integer', 'Comments on the ads.'),
  field('shares', 'Shares', 'integer', 'Shares of the ads.'),
  field('follows', 'Follows', 'integer', 'Follows of the advertiser profile from the ads.'),
  field('profile_visits', 'Profile visits', 'integer', 'Visits to the advertiser profile from the ads.'),
];

/** The schema shown on the TikTok Ads data source page. */
export const tiktokAdsSchema: SourceSchema = { dimensions, metrics };

/** A schema field by name; throws at load time if a template names a field the schema lacks. */
export function schemaField(name: string): FieldSpec {
  const found = [...dimensions, ...metrics].find((spec) => spec.name === name);
  if (!found) throw new Error(`tiktok-ads templates: ${name} is not in the data-source schema`);
  return { ...found };
}
