/**
 * Report rows: ad-day vectors summed per (day, entity, audience cell) as the query asks, rendered with
 * TikTok's types. A query's rows depend on the clock only through the advertiser-local date and hour,
 * so they are cached on that and paging through a report computes it once.
 */

import { dayString, type LocalClock, localClock } from '../../../sandbox/calendar.ts';
import { type AudienceCell, cellsOf, splitVector } from './audience.ts';
import { adDay, addInto, VECTOR_LENGTH } from './delivery.ts';
import type { AdvertiserEntities } from './entities.ts';
import { METRICS, type RowEntity } from './report-metrics.ts';
import type { ReportQuery } from './report-params.ts';

/** One rendered row, as it appears in `data.list`. */
export interface ReportRow {
  dimensions: Record<string, string | number>;
  metrics: Record<string, string | number>;
}

interface Bucket {
  day: number | undefined;
  entity: RowEntity;
  entityId: string;
  cell: AudienceCell | undefined;
  vector: Float64Array;
  order: [number, number, number];
}

function entityOf(
  entities: AdvertiserEntities,
  query: ReportQuery,
  adIndex: number,
): { entity: RowEntity; id: string; rank: number } {
  const ad = entities.ads[adIndex]!;
  switch (query.level) {
    case 'AUCTION_ADVERTISER':
      return { entity: {}, id: entities.advertiser.advertiserId, rank: 0 };
    case 'AUCTION_CAMPAIGN':
      return {
        entity: { campaign: ad.campaign },
        id: entities.campaigns[ad.campaign]!.id,
        rank: ad.campaign,
      };
    case 'AUCTION_ADGROUP':
      return {
        entity: { campaign: ad.campaign, adgroup: ad.adgroup },
        id: entities.adgroups[ad.adgroup]!.id,
        rank: ad.adgroup,
      };
    default:
      return {
        entity: { campaign: ad.campaign, adgroup: ad.adgroup, ad: adIndex },
        id: ad.id,
        rank: adIndex,
      };
  }
}

/** The inclusive days a query reads, clipped to the clock's today. */
export function daysOf(
  entities: AdvertiserEntities,
  query: ReportQuery,
  clock: LocalClock,
): [number, number] {
  if (query.range === 'lifetime') {
    return [Math.min(...entities.ads.map((ad) => ad.startDay)), clock.today];
  }
  return [query.range.start, Math.min(query.range.end, clock.today)];
}

function aggregate(entities: AdvertiserEntities, query: ReportQuery, clock: LocalClock): Bucket[] {
  const buckets = new Map<string, Bucket>();
  const cells = query.reportType === 'AUDIENCE' ? cellsOf(entities) : undefined;
  const [first, last] = daysOf(entities, query, clock);
  const add = (day: number, adIndex: number, cellIndex: number, vector: Float64Array) => {
    const { entity, id, rank } = entityOf(entities, query, adIndex);
    const cell = cells?.[cellIndex];
    const cellKey = cell ? query.audience.map((dimension) => cell[dimension]).join('|') : '';
    const dayKey = query.daily ? day : undefined;
    const key = `${dayKey ?? ''}/${id}/${cellKey}`;
    let bucket = buckets.get(key);
    if (!bucket) {
      bucket = {
        day: dayKey,
        entity,
        entityId: id,
        cell,
        vector: new Float64Array(VECTOR_LENGTH),
        order: [dayKey ?? 0, rank, cellIndex],
      };
      buckets.set(key, bucket);
    }
    addInto(bucket.vector, vector);
  };
  // Audience splits happen per ad and reported day (per ad over the whole range without
  // stat_time_day): cells always add up to the BASIC numbers exactly, and a long range costs one split
  // per ad instead of one per ad-day.
  const perAd = new Map<string, { day: number; adIndex: number; vector: Float64Array }>();
  for (let day = first; day <= last; day += 1) {
    entities.ads.forEach((ad, adIndex) => {
      const vector = adDay(entities, ad, day, clock);
      if (!vector) return;
      if (!cells) {
        add(day, adIndex, 0, vector);
        return;
      }
      const key = `${query.daily ? day : ''}/${adIndex}`;
      const entry = perAd.get(key) ?? { day, adIndex, vector: new Float64Array(VECTOR_LENGTH) };
      addInto(entry.vector, vector);
      perAd.set(key, entry);
    });
  }
  for (const { day, adIndex, vector } of perAd.values()) {
    const parts = splitVector(entities.ads[adIndex]!, vector);
    for (const [cellIndex, part] of parts.entries()) add(day, adIndex, cellIndex, part);
  }
  // A row whose every number is zero is not reported (an audience cell nobody in it saw).
  return [...buckets.values()]
    .filter((bucket) => bucket.vector.some((value) => value !== 0))
    .sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1] || a.order[2] - b.order[2]);
}

function render(entities: AdvertiserEntities, query: ReportQuery, bucket: Bucket): ReportRow {
  const dimensions: Record<string, string | number> = {};
  for (const dimension of query.dimensions) {
    if (dimension === 'stat_time_day') dimensions[dimension] = `${dayString(bucket.day!)} 00:00:00`;
    // The advertiser id dimension is a JSON number in TikTok's recorded payloads; the others are strings.
    else if (dimension === 'advertiser_id') dimensions[dimension] = Number(bucket.entityId);
    else if (dimension === query.idDimension) dimensions[dimension] = bucket.entityId;
    else dimensions[dimension] = bucket.cell![dimension as keyof AudienceCell];
  }
  const metrics: Record<string, string | number> = {};
  for (const name of query.metrics)
    metrics[name] = METRICS.get(name)!.render(bucket.vector, entities, bucket.entity);
  return { dimensions, metrics };
}

function sortKey(value: string | number): number | string {
  if (typeof value === 'number') return value;
  const numeric = Number(value);
  return Number.isFinite(numeric) ? numeric : value;
}

const cache = new Map<string, ReportRow[]>();
const CACHE_LIMIT = 16;

/** Every row of a query as of `now`, in TikTok's order (or `order_field`'s). */
export function reportRows(entities: AdvertiserEntities, query: ReportQuery, now: Date): ReportRow[] {
  const clock = localClock(now, entities.advertiser.timezone);
  const { page: _page, pageSize: _pageSize, ...shape } = query;
  const key = `${JSON.stringify(shape)}|${clock.today}|${clock.hour}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const rows = aggregate(entities, query, clock).map((bucket) => render(entities, query, bucket));
  if (query.order) {
    const { field, descending } = query.order;
    const sign = descending ? -1 : 1;
    rows.sort((a, b) => {
      const x = sortKey(a.metrics[field]!);
      const y = sortKey(b.metrics[field]!);
      return x < y ? -sign : x > y ? sign : 0;
    });
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, rows);
  return rows;
}

/** Advertiser-level totals of one day's vector slots (for `truth()`), as of `clock`. */
export function dayTotals(entities: AdvertiserEntities, day: number, clock: LocalClock): Float64Array {
  const total = new Float64Array(VECTOR_LENGTH);
  for (const ad of entities.ads) {
    const vector = adDay(entities, ad, day, clock);
    if (vector) addInto(total, vector);
  }
  return total;
}
