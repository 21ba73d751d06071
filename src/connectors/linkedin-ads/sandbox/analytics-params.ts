/**
 * The `adAnalytics` analytics finder's parameters, parsed and checked the way LinkedIn does: one `pivot`,
 * a `timeGranularity`, a Rest.li `dateRange` record (end optional), at least one facet (`List(...)` of
 * URL-encoded URNs), and at most 20 `fields`. A violation is 400 with a message naming the parameter.
 */
import { parseDay } from '../../../sandbox/calendar.ts';
import { MAX_ANALYTICS_FIELDS } from './constants.ts';
import { SLOT } from './delivery.ts';
import { type Checked, checkParams, param, restliParam, urnListParam } from './finder.ts';
import { isRecord, type RestliValue } from './restli.ts';
import { errors } from './wire.ts';

/** Pivots the sandbox serves. */
export type Pivot = 'ACCOUNT' | 'CAMPAIGN_GROUP' | 'CAMPAIGN' | 'CREATIVE';
const SERVED_PIVOTS: readonly Pivot[] = ['ACCOUNT', 'CAMPAIGN_GROUP', 'CAMPAIGN', 'CREATIVE'];

/** Real pivots the sandbox does not model (demographics, companies…): 400 saying so, not "invalid". */
const OTHER_PIVOTS = [
  'COMPANY',
  'SHARE',
  'CONVERSION',
  'CONVERSATION_NODE',
  'CONVERSATION_NODE_OPTION_INDEX',
  'SERVING_LOCATION',
  'CARD_INDEX',
  'MEMBER_COMPANY_SIZE',
  'MEMBER_INDUSTRY',
  'MEMBER_SENIORITY',
  'MEMBER_JOB_TITLE',
  'MEMBER_JOB_FUNCTION',
  'MEMBER_COUNTRY_V2',
  'MEMBER_REGION_V2',
  'MEMBER_COMPANY',
  'PLACEMENT_NAME',
  'IMPRESSION_DEVICE_TYPE',
];

export type Granularity = 'DAILY' | 'MONTHLY' | 'YEARLY' | 'ALL';
const GRANULARITIES: readonly Granularity[] = ['DAILY', 'MONTHLY', 'YEARLY', 'ALL'];

/** How a metric is computed from a day vector and written: JSON integer or decimal string. */
export interface MetricSpec {
  slots: readonly number[];
  kind: 'integer' | 'decimal';
}

/** Metrics the sandbox serves, with their wire types (WIRE-FORMATS §3.6). */
export const METRICS: ReadonlyMap<string, MetricSpec> = new Map<string, MetricSpec>([
  ['impressions', { slots: [SLOT.impressions], kind: 'integer' }],
  ['clicks', { slots: [SLOT.clicks], kind: 'integer' }],
  ['costInLocalCurrency', { slots: [SLOT.costLocal], kind: 'decimal' }],
  ['costInUsd', { slots: [SLOT.costUsd], kind: 'decimal' }],
  ['landingPageClicks', { slots: [SLOT.landingPageClicks], kind: 'integer' }],
  [
    'externalWebsiteConversions',
    { slots: [SLOT.postClickConversions, SLOT.postViewConversions], kind: 'integer' },
  ],
  ['externalWebsitePostClickConversions', { slots: [SLOT.postClickConversions], kind: 'integer' }],
  ['externalWebsitePostViewConversions', { slots: [SLOT.postViewConversions], kind: 'integer' }],
  ['conversionValueInLocalCurrency', { slots: [SLOT.conversionValue], kind: 'decimal' }],
  ['oneClickLeads', { slots: [SLOT.oneClickLeads], kind: 'integer' }],
  ['totalEngagements', { slots: [SLOT.totalEngagements], kind: 'integer' }],
  ['likes', { slots: [SLOT.likes], kind: 'integer' }],
  ['comments', { slots: [SLOT.comments], kind: 'integer' }],
  ['shares', { slots: [SLOT.shares], kind: 'integer' }],
  ['follows', { slots: [SLOT.follows], kind: 'integer' }],
  ['videoViews', { slots: [SLOT.videoViews], kind: 'integer' }],
  ['videoStarts', { slots: [SLOT.videoStarts], kind: 'integer' }],
  ['videoCompletions', { slots: [SLOT.videoCompletions], kind: 'integer' }],
  ['approximateUniqueImpressions', { slots: [SLOT.approximateUniqueImpressions], kind: 'integer' }],
]);

/** Fields that are not metrics. */
export const KEY_FIELDS: readonly string[] = ['dateRange', 'pivotValues'];

/** Fields when the request names none. */
const DEFAULT_FIELDS = ['dateRange', 'pivotValues', 'impressions', 'clicks'];

/** A checked analytics query. */
export interface AnalyticsQuery {
  pivot: Pivot;
  granularity: Granularity;
  /** Inclusive UTC day numbers; `end` undefined = up to today. */
  start: number;
  end: number | undefined;
  facets: { accounts?: number[]; campaignGroups?: number[]; campaigns?: number[]; creatives?: number[] };
  fields: string[];
}

const fail = (message: string) => ({
  ok: false as const,
  response: errors.badRequest('ILLEGAL_ARGUMENT', message),
});

function dateOf(value: RestliValue | undefined, name: string): Checked<number> {
  if (!isRecord(value)) return fail(`Invalid value for ${name}: expected (year:YYYY,month:M,day:D)`);
  const parts = ['year', 'month', 'day'].map((key) => value[key]);
  const extra = Object.keys(value).find((key) => !['year', 'month', 'day'].includes(key));
  if (extra || !parts.every((part) => typeof part === 'string' && /^\d{1,4}$/.test(part))) {
    return fail(`Invalid value for ${name}: expected (year:YYYY,month:M,day:D)`);
  }
  const [year, month, day] = parts.map(Number) as [number, number, number];
  const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const parsed = parseDay(text);
  if (parsed === undefined) return fail(`Invalid value for ${name}: ${text} is not a date`);
  return { ok: true, value: parsed };
}

/** Parses and checks the query of `GET /rest/adAnalytics`. */
export function checkAnalyticsQuery(query: Map<string, string[]>): Checked<AnalyticsQuery> {
  const allowed = [
    'q',
    'pivot',
    'timeGranularity',
    'dateRange',
    'accounts',
    'campaignGroups',
    'campaigns',
    'creatives',
    'fields',
  ];
  const unknown = checkParams(query, allowed);
  if (unknown) return { ok: false, response: unknown };
  const q = param(query, 'q');
  if (q === 'statistics')
    return fail('The statistics finder (q=statistics) is not served by the sandbox; use q=analytics');
  if (q !== 'analytics') return fail(`Invalid finder "${q ?? ''}"; adAnalytics has q=analytics`);
  const pivot = param(query, 'pivot');
  if (pivot === undefined) return fail('Required parameter pivot is missing');
  if (OTHER_PIVOTS.includes(pivot)) return fail(`pivot ${pivot} is not served by the sandbox`);
  if (!SERVED_PIVOTS.includes(pivot as Pivot)) return fail(`Invalid value for pivot: ${pivot}`);
  const granularity = param(query, 'timeGranularity');
  if (granularity === undefined) return fail('Required parameter timeGranularity is missing');
  if (!GRANULARITIES.includes(granularity as Granularity))
    return fail(`Invalid value for timeGranularity: ${granularity}`);
  const range = restliParam(query, 'dateRange');
  if (!range.ok) return range;
  if (range.value === undefined) return fail('Required parameter dateRange is missing');
  if (!isRecord(range.value) || Object.keys(range.value).some((key) => key !== 'start' && key !== 'end')) {
    return fail('Invalid value for dateRange: expected (start:(year:YYYY,month:M,day:D),end:(...))');
  }
  const start = dateOf(range.value.start, 'dateRange.start');
  if (!start.ok) return start;
  let end: number | undefined;
  if (range.value.end !== undefined) {
    const parsedEnd = dateOf(range.value.end, 'dateRange.end');
    if (!parsedEnd.ok) return parsedEnd;
    end = parsedEnd.value;
    if (end < start.value) return fail('Invalid dateRange: end is before start');
  }
  const facets: AnalyticsQuery['facets'] = {};
  const facetTypes = {
    accounts: 'sponsoredAccount',
    campaignGroups: 'sponsoredCampaignGroup',
    campaigns: 'sponsoredCampaign',
    creatives: 'sponsoredCreative',
  } as const;
  for (const [name, type] of Object.entries(facetTypes) as [keyof typeof facetTypes, string][]) {
    const ids = urnListParam(query, name, type);
    if (!ids.ok) return ids;
    if (ids.value !== undefined) {
      if (ids.value.length === 0) return fail(`Invalid value for ${name}: the list is empty`);
      facets[name] = ids.value;
    }
  }
  if (Object.keys(facets).length === 0) {
    return fail('At least one facet (accounts, campaignGroups, campaigns, creatives) is required');
  }
  const rawFields = param(query, 'fields');
  let fields = DEFAULT_FIELDS;
  if (rawFields !== undefined) {
    // A projection: commas are structure, so `%2C` is taken as a comma too (it decodes to one).
    fields = decodeURIComponent(rawFields)
      .split(',')
      .map((field) => field.trim());
    if (fields.length > MAX_ANALYTICS_FIELDS) {
      return fail(
        `Too many fields requested: ${fields.length}; at most ${MAX_ANALYTICS_FIELDS} fields per request`,
      );
    }
    const bad = fields.find((field) => !METRICS.has(field) && !KEY_FIELDS.includes(field));
    if (bad !== undefined) return fail(`Invalid projection field: ${bad}`);
  }
  return {
    ok: true,
    value: {
      pivot: pivot as Pivot,
      granularity: granularity as Granularity,
      start: start.value,
      end,
      facets,
      fields,
    },
  };
}
