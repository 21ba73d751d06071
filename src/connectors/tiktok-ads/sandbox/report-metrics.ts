/**
 * The metrics `report/integrated/get/` serves and their wire types, as TikTok's recorded payloads show
 * them: core delivery metrics are **strings** (`"20.00"`, `"5830"`), engagement and video counts are
 * JSON **numbers**, and attribute "metrics" (`campaign_name`, `campaign_id`…) sit inside `metrics` —
 * with `campaign_id` and `adgroup_id` there as numbers although the same ids are strings elsewhere.
 */
import { SLOT } from './delivery.ts';
import type { AdvertiserEntities } from './entities.ts';

/** TikTok's data levels, lowest last. */
export const DATA_LEVELS = [
  'AUCTION_ADVERTISER',
  'AUCTION_CAMPAIGN',
  'AUCTION_ADGROUP',
  'AUCTION_AD',
] as const;
export type DataLevel = (typeof DATA_LEVELS)[number];

/** What one row's attribute metrics refer to (indexes into the advertiser's entity lists). */
export interface RowEntity {
  campaign?: number | undefined;
  adgroup?: number | undefined;
  ad?: number | undefined;
}

type Vector = Float64Array;
type Value = string | number;

/** One metric: how it renders, and where it may be asked for. */
interface MetricSpec {
  /** Rendered from the row's summed vector (delivery metrics) or its entity (attribute metrics). */
  render(vector: Vector, entities: AdvertiserEntities, entity: RowEntity): Value;
  /** Lowest data level needed (attributes of campaigns need at least AUCTION_CAMPAIGN, and so on). */
  minLevel?: DataLevel;
  /** Whether AUDIENCE reports serve it (they do not split reach or attributes). */
  audience: boolean;
}

/** Cents as TikTok's money string, exact: `2000` → `"20.00"`. */
export function moneyString(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}

/** `numerator / denominator × scale` as a fixed-decimal string, `"0.00"` when undefined. */
function rate(numerator: number, denominator: number, scale: number, decimals = 2): string {
  return (denominator > 0 ? (numerator / denominator) * scale : 0).toFixed(decimals);
}

/** A rounded JSON number. */
function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

const count = (slot: number) => (v: Vector) => String(v[slot]!);
const number = (slot: number) => (v: Vector) => v[slot]!;
const spend = (v: Vector) => v[SLOT.spend]! / 100;

const delivery: Record<string, (v: Vector) => Value> = {
  spend: (v) => moneyString(v[SLOT.spend]!),
  impressions: count(SLOT.impressions),
  clicks: count(SLOT.clicks),
  ctr: (v) => rate(v[SLOT.clicks]!, v[SLOT.impressions]!, 100),
  cpc: (v) => rate(spend(v), v[SLOT.clicks]!, 1),
  cpm: (v) => rate(spend(v), v[SLOT.impressions]!, 1000),
  conversion: count(SLOT.conversion),
  cost_per_conversion: (v) => rate(spend(v), v[SLOT.conversion]!, 1),
  conversion_rate: (v) => rate(v[SLOT.conversion]!, v[SLOT.clicks]!, 100),
  result: count(SLOT.result),
  cost_per_result: (v) => rate(spend(v), v[SLOT.result]!, 1, 3),
  result_rate: (v) => rate(v[SLOT.result]!, v[SLOT.impressions]!, 100),
  // The sandbox has no attribution delay between "real time" and final numbers.
  real_time_conversion: count(SLOT.conversion),
  real_time_cost_per_conversion: (v) => rate(spend(v), v[SLOT.conversion]!, 1),
  real_time_conversion_rate: (v) => rate(v[SLOT.conversion]!, v[SLOT.clicks]!, 100),
  real_time_result: count(SLOT.result),
  real_time_cost_per_result: (v) => rate(spend(v), v[SLOT.result]!, 1, 3),
  real_time_result_rate: (v) => rate(v[SLOT.result]!, v[SLOT.impressions]!, 100),
  video_play_actions: number(SLOT.videoPlayActions),
  video_watched_2s: number(SLOT.videoWatched2s),
  video_watched_6s: number(SLOT.videoWatched6s),
  video_views_p25: number(SLOT.videoViewsP25),
  video_views_p50: number(SLOT.videoViewsP50),
  video_views_p75: number(SLOT.videoViewsP75),
  video_views_p100: number(SLOT.videoViewsP100),
  average_video_play: (v) =>
    v[SLOT.videoPlayActions]! > 0 ? round(v[SLOT.playMs]! / 1000 / v[SLOT.videoPlayActions]!, 2) : 0,
  likes: number(SLOT.likes),
  comments: number(SLOT.comments),
  shares: number(SLOT.shares),
  follows: number(SLOT.follows),
  profile_visits: number(SLOT.profileVisits),
  profile_visits_rate: (v) =>
    v[SLOT.impressions]! > 0 ? round((v[SLOT.profileVisits]! / v[SLOT.impressions]!) * 100, 3) : 0,
};

/** Reach is not split by audience cell on TikTok, nor are metrics derived from it. */
const reachBased: Record<string, (v: Vector) => Value> = {
  reach: count(SLOT.reach),
  frequency: (v) => rate(v[SLOT.impressions]!, v[SLOT.reach]!, 1),
  cost_per_1000_reached: (v) => rate(spend(v), v[SLOT.reach]!, 1000),
  average_video_play_per_user: (v) =>
    v[SLOT.reach]! > 0 ? round(v[SLOT.playMs]! / 1000 / v[SLOT.reach]!, 2) : 0,
};

const campaignOf = (e: AdvertiserEntities, row: RowEntity) => e.campaigns[row.campaign!]!;
const adgroupOf = (e: AdvertiserEntities, row: RowEntity) => e.adgroups[row.adgroup!]!;
const adOf = (e: AdvertiserEntities, row: RowEntity) => e.ads[row.ad!]!;

const attributes: Record<string, Omit<MetricSpec, 'audience'>> = {
  campaign_name: { minLevel: 'AUCTION_CAMPAIGN', render: (_v, e, row) => campaignOf(e, row).name },
  objective_type: { minLevel: 'AUCTION_CAMPAIGN', render: (_v, e, row) => campaignOf(e, row).objective },
  // JSON numbers, as recorded: sandbox ids stay below 2^53, so they are exact.
  campaign_id: { minLevel: 'AUCTION_ADGROUP', render: (_v, e, row) => Number(campaignOf(e, row).id) },
  adgroup_name: { minLevel: 'AUCTION_ADGROUP', render: (_v, e, row) => adgroupOf(e, row).name },
  promotion_type: { minLevel: 'AUCTION_ADGROUP', render: () => 'Website' },
  placement_type: { minLevel: 'AUCTION_ADGROUP', render: () => 'Automatic Placement' },
  adgroup_id: { minLevel: 'AUCTION_AD', render: (_v, e, row) => Number(adgroupOf(e, row).id) },
  ad_name: { minLevel: 'AUCTION_AD', render: (_v, e, row) => adOf(e, row).name },
  ad_text: { minLevel: 'AUCTION_AD', render: (_v, e, row) => adOf(e, row).text },
};

/** Every metric the sandbox serves. */
export const METRICS: ReadonlyMap<string, MetricSpec> = new Map<string, MetricSpec>([
  ...Object.entries(delivery).map(([name, render]): [string, MetricSpec] => [
    name,
    { render, audience: true },
  ]),
  ...Object.entries(reachBased).map(([name, render]): [string, MetricSpec] => [
    name,
    { render, audience: false },
  ]),
  ...Object.entries(attributes).map(([name, spec]): [string, MetricSpec] => [
    name,
    { ...spec, audience: false },
  ]),
]);

/** Why `name` cannot be asked for in this report, or undefined when it can. */
export function metricProblem(name: string, reportType: string, level: DataLevel): string | undefined {
  const spec = METRICS.get(name);
  if (!spec) return 'unknown metric';
  if (reportType === 'AUDIENCE' && !spec.audience) return 'not supported in AUDIENCE reports';
  if (spec.minLevel && DATA_LEVELS.indexOf(level) < DATA_LEVELS.indexOf(spec.minLevel)) {
    return `needs data_level ${spec.minLevel} or lower`;
  }
  return undefined;
}
