/**
 * The GAQL fields the sandbox serves: their kind (attribute, segment, metric), proto type (which decides the
 * JSON type: int64 → string, double → number, enum → name, bool → boolean), enum values, and which FROM
 * resources may select them. REST responses use lowerCamelCase paths of the snake_case GAQL names.
 */

/** Proto types the sandbox's fields use. */
export type FieldType = 'int64' | 'double' | 'string' | 'enum' | 'bool' | 'date';

/** One selectable field. */
export interface FieldSpec {
  name: string;
  kind: 'attribute' | 'segment' | 'metric';
  /** The resource an attribute belongs to (`campaign`, `ad_group_criterion`, …), `segments` or `metrics`. */
  resource: string;
  type: FieldType;
  enumValues?: readonly string[] | undefined;
}

const STATUS = ['ENABLED', 'PAUSED', 'REMOVED'] as const;
const CUSTOMER_STATUS = ['ENABLED', 'CANCELED', 'SUSPENDED', 'CLOSED'] as const;
/** Channel types the seed uses, plus the other v25 values so filters on them parse. */
export const CHANNEL_TYPES = [
  'SEARCH',
  'DISPLAY',
  'SHOPPING',
  'HOTEL',
  'VIDEO',
  'MULTI_CHANNEL',
  'LOCAL',
  'SMART',
  'PERFORMANCE_MAX',
  'LOCAL_SERVICES',
  'TRAVEL',
  'DEMAND_GEN',
] as const;
const AD_TYPES = [
  'RESPONSIVE_SEARCH_AD',
  'RESPONSIVE_DISPLAY_AD',
  'SHOPPING_PRODUCT_AD',
  'VIDEO_RESPONSIVE_AD',
  'EXPANDED_TEXT_AD',
  'IMAGE_AD',
] as const;
/** `segments.device` values. */
export const DEVICES = ['MOBILE', 'DESKTOP', 'TABLET', 'CONNECTED_TV', 'OTHER'] as const;
/** `segments.ad_network_type` values the sandbox emits and accepts in filters. */
export const NETWORKS = [
  'SEARCH',
  'SEARCH_PARTNERS',
  'CONTENT',
  'YOUTUBE_WATCH',
  'YOUTUBE_SEARCH',
  'MIXED',
] as const;

const fields: FieldSpec[] = [];

function attribute(resource: string, names: Record<string, FieldType | readonly string[]>): void {
  for (const [name, type] of Object.entries(names)) {
    fields.push(
      typeof type === 'string'
        ? { name: `${resource}.${name}`, kind: 'attribute', resource, type }
        : { name: `${resource}.${name}`, kind: 'attribute', resource, type: 'enum', enumValues: type },
    );
  }
}

attribute('customer', {
  resource_name: 'string',
  id: 'int64',
  descriptive_name: 'string',
  currency_code: 'string',
  time_zone: 'string',
  manager: 'bool',
  status: CUSTOMER_STATUS,
});
attribute('campaign', {
  resource_name: 'string',
  id: 'int64',
  name: 'string',
  status: STATUS,
  advertising_channel_type: CHANNEL_TYPES,
});
attribute('ad_group', { resource_name: 'string', id: 'int64', name: 'string', status: STATUS });
attribute('ad_group_ad', {
  resource_name: 'string',
  status: STATUS,
  'ad.resource_name': 'string',
  'ad.id': 'int64',
  'ad.name': 'string',
  'ad.type': AD_TYPES,
});
attribute('keyword_view', { resource_name: 'string' });
attribute('ad_group_criterion', {
  resource_name: 'string',
  criterion_id: 'int64',
  'keyword.text': 'string',
  'keyword.match_type': ['EXACT', 'PHRASE', 'BROAD'],
});
attribute('search_term_view', {
  resource_name: 'string',
  search_term: 'string',
  status: ['ADDED', 'EXCLUDED', 'ADDED_EXCLUDED', 'NONE'],
});
attribute('customer_client', {
  resource_name: 'string',
  client_customer: 'string',
  level: 'int64',
  manager: 'bool',
  descriptive_name: 'string',
  currency_code: 'string',
  time_zone: 'string',
  id: 'int64',
  status: CUSTOMER_STATUS,
  hidden: 'bool',
  test_account: 'bool',
});
fields.push(
  { name: 'segments.date', kind: 'segment', resource: 'segments', type: 'date' },
  { name: 'segments.device', kind: 'segment', resource: 'segments', type: 'enum', enumValues: DEVICES },
  {
    name: 'segments.ad_network_type',
    kind: 'segment',
    resource: 'segments',
    type: 'enum',
    enumValues: NETWORKS,
  },
);
const int64Metrics = [
  'impressions',
  'clicks',
  'cost_micros',
  'interactions',
  'view_through_conversions',
  'video_trueview_views',
];
const doubleMetrics = [
  'conversions',
  'conversions_value',
  'all_conversions',
  'all_conversions_value',
  'ctr',
  'average_cpc',
  'average_cpm',
  'cost_per_conversion',
  'value_per_conversion',
];
for (const name of int64Metrics)
  fields.push({ name: `metrics.${name}`, kind: 'metric', resource: 'metrics', type: 'int64' });
for (const name of doubleMetrics)
  fields.push({ name: `metrics.${name}`, kind: 'metric', resource: 'metrics', type: 'double' });

/** Every field by its GAQL name. */
export const FIELDS: ReadonlyMap<string, FieldSpec> = new Map(fields.map((field) => [field.name, field]));

/** What a FROM resource allows: attribute resources, and whether segments and metrics apply. */
export interface ResourceSpec {
  attributes: readonly string[];
  reporting: boolean;
}

/** The FROM resources the sandbox serves. */
export const RESOURCES: ReadonlyMap<string, ResourceSpec> = new Map([
  ['customer', { attributes: ['customer'], reporting: true }],
  ['campaign', { attributes: ['campaign', 'customer'], reporting: true }],
  ['ad_group', { attributes: ['ad_group', 'campaign', 'customer'], reporting: true }],
  ['ad_group_ad', { attributes: ['ad_group_ad', 'ad_group', 'campaign', 'customer'], reporting: true }],
  [
    'keyword_view',
    {
      attributes: ['keyword_view', 'ad_group_criterion', 'ad_group', 'campaign', 'customer'],
      reporting: true,
    },
  ],
  [
    'search_term_view',
    { attributes: ['search_term_view', 'ad_group', 'campaign', 'customer'], reporting: true },
  ],
  ['customer_client', { attributes: ['customer_client', 'customer'], reporting: false }],
]);

/** `ad_group_ad.ad.match_type` → `adGroupAd.ad.matchType`: the REST JSON path of a GAQL name. */
export function jsonPath(name: string): string[] {
  return name
    .split('.')
    .map((part) => part.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase()));
}

/**
 * Why `field` may not appear with FROM `resource` (a QueryError code), or undefined when it may. The caller
 * has already checked that both exist.
 */
export function fieldProblem(field: FieldSpec, resource: ResourceSpec): string | undefined {
  if (field.kind === 'metric' && !resource.reporting) return 'PROHIBITED_METRIC_IN_SELECT_OR_WHERE_CLAUSE';
  if (field.kind === 'segment' && !resource.reporting) return 'PROHIBITED_SEGMENT_IN_SELECT_OR_WHERE_CLAUSE';
  if (field.kind === 'attribute' && !resource.attributes.includes(field.resource)) {
    return 'PROHIBITED_RESOURCE_TYPE_IN_SELECT_CLAUSE';
  }
  return undefined;
}
