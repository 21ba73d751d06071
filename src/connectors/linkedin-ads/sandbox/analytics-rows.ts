/**
 * `adAnalytics` elements: creative-day vectors summed per (period, pivot entity), rendered with LinkedIn's
 * types (counts as JSON integers, money as decimal strings), sorted by period then entity, and cut at
 * 15,000 elements without a word, as LinkedIn does. Elements whose numbers are all zero are left out.
 *
 * Generated per request and only for the creatives the facets select, so the 700-creative account costs
 * one pass over 700 × days vectors; the last few answers are cached on the query and the UTC hour.
 */
import { addMonths, dayString, monthStart } from '../../../sandbox/calendar.ts';
import type { AnalyticsQuery } from './analytics-params.ts';
import { METRICS } from './analytics-params.ts';
import { ANALYTICS_ELEMENT_CAP } from './constants.ts';
import { addInto, creativeDay, decimalString, utcClock } from './delivery.ts';
import { accountUrn, campaignUrn, creativeUrn, groupUrn } from './elements.ts';
import type { AccountEntities } from './entities.ts';

/** The creatives a query reads: per account, the creative indexes its facets select. */
export type Selection = { entities: AccountEntities; creatives: number[] }[];

interface Bucket {
  periodStart: number;
  periodEnd: number;
  urn: string;
  /** period, account rank, entity rank packed in one number (each rank < 10,000) for a cheap sort. */
  order: number;
  vector: Float64Array;
}

/** The period (inclusive day numbers, clipped to the request) a day falls in. */
function periodOf(query: AnalyticsQuery, day: number, last: number): [number, number] {
  switch (query.granularity) {
    case 'DAILY':
      return [day, day];
    case 'MONTHLY': {
      const first = monthStart(day);
      return [Math.max(first, query.start), Math.min(addMonths(first, 1) - 1, last)];
    }
    case 'YEARLY': {
      const year = new Date(day * 86_400_000).getUTCFullYear();
      const first = Date.UTC(year, 0, 1) / 86_400_000;
      const next = Date.UTC(year + 1, 0, 1) / 86_400_000;
      return [Math.max(first, query.start), Math.min(next - 1, last)];
    }
    default:
      return [query.start, last];
  }
}

function pivotOf(
  query: AnalyticsQuery,
  entities: AccountEntities,
  creativeIndex: number,
  accountRank: number,
) {
  const creative = entities.creatives[creativeIndex]!;
  const campaign = entities.campaigns[creative.campaign]!;
  switch (query.pivot) {
    case 'ACCOUNT':
      return { urn: accountUrn(entities.account.id), rank: [accountRank, 0] as const };
    case 'CAMPAIGN_GROUP':
      return {
        urn: groupUrn(entities.groups[campaign.group]!.id),
        rank: [accountRank, campaign.group] as const,
      };
    case 'CAMPAIGN':
      return { urn: campaignUrn(campaign.id), rank: [accountRank, creative.campaign] as const };
    default:
      return { urn: creativeUrn(creative.id), rank: [accountRank, creativeIndex] as const };
  }
}

const dates = new Map<number, { year: number; month: number; day: number }>();

/** LinkedIn's date record of a day number (memoised: a report names the same few days many times). */
function dateOf(day: number) {
  let date = dates.get(day);
  if (!date) {
    const [year, month, dayOfMonth] = dayString(day).split('-').map(Number) as [number, number, number];
    date = { year, month, day: dayOfMonth };
    if (dates.size > 20_000) dates.clear();
    dates.set(day, date);
  }
  return { ...date };
}

function render(query: AnalyticsQuery, bucket: Bucket): Record<string, unknown> {
  const element: Record<string, unknown> = {};
  for (const field of query.fields) {
    if (field === 'dateRange') {
      element.dateRange = { start: dateOf(bucket.periodStart), end: dateOf(bucket.periodEnd) };
    } else if (field === 'pivotValues') {
      element.pivotValues = [bucket.urn];
    } else {
      const spec = METRICS.get(field)!;
      const total = spec.slots.reduce((sum, slot) => sum + bucket.vector[slot]!, 0);
      element[field] = spec.kind === 'decimal' ? decimalString(total) : total;
    }
  }
  return element;
}

const cache = new Map<string, Record<string, unknown>[]>();
const CACHE_LIMIT = 8;

/** The elements of a query as of `now`, capped at 15,000. */
export function analyticsElements(
  query: AnalyticsQuery,
  selection: Selection,
  now: Date,
): Record<string, unknown>[] {
  const clock = utcClock(now);
  const last = Math.min(query.end ?? clock.today, clock.today);
  const key = `${JSON.stringify(query)}|${selection.map((part) => `${part.entities.account.id}:${part.creatives.join('.')}`).join(';')}|${clock.today}|${clock.hour}`;
  const cached = cache.get(key);
  if (cached) return cached;
  // Keyed by the packed order number: (period, account, entity) identifies a bucket.
  const buckets = new Map<number, Bucket>();
  selection.forEach(({ entities, creatives }, accountRank) => {
    for (const creativeIndex of creatives) {
      const creative = entities.creatives[creativeIndex]!;
      const { urn, rank } = pivotOf(query, entities, creativeIndex, accountRank);
      for (let day = Math.max(query.start, creative.startDay); day <= last; day += 1) {
        const vector = creativeDay(entities, creative, day, clock);
        if (!vector) continue;
        const [periodStart, periodEnd] = periodOf(query, day, last);
        const order = periodStart * 1e8 + rank[0] * 1e4 + rank[1];
        const bucket = buckets.get(order);
        // A fresh vector is owned by nobody else, so the first one of a bucket becomes its sum.
        if (bucket) addInto(bucket.vector, vector);
        else buckets.set(order, { periodStart, periodEnd, urn, order, vector });
      }
    }
  });
  const elements = [...buckets.values()]
    .filter((bucket) => bucket.vector.some((value) => value !== 0))
    .sort((a, b) => a.order - b.order)
    .slice(0, ANALYTICS_ELEMENT_CAP)
    .map((bucket) => render(query, bucket));
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, elements);
  return elements;
}
