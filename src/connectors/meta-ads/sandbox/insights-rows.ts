/**
 * Insights rows as numbers: the ads a query reads, its time buckets, and the aggregation of ad-day
 * vectors (split over breakdown cells when asked) into one row per bucket × entity × cell. Rows are
 * produced one bucket at a time and cached, so paging through a large report never materialises it
 * whole and a page costs about one bucket of work.
 */

import { addMonths, type LocalClock, localClock, monthStart } from '../../../sandbox/calendar.ts';
import { type CellGrid, type CellWeights, cellGrid, cellWeights, splitVector } from './breakdowns.ts';
import type { AccountEntities, SandboxAd } from './entities.ts';
import { hash53 } from './hash.ts';
import type { EntityFilter, InsightsQuery } from './insights-params.ts';
import { adDay, SLOT, VECTOR_LENGTH } from './metrics.ts';

/** An inclusive range of account-local days reported as one row set (`date_start`/`date_stop`). */
export interface Bucket {
  start: number;
  end: number;
}

/** One aggregated row: which entity and cell, and its summed day vector. */
export interface InsightsRow {
  /** Index into the level's entity list (campaigns, ad sets or ads; 0 for the account). */
  entity: number;
  /** Index into the breakdown grid's cells. */
  cell: number;
  vector: Float64Array;
}

/** A query bound to an account and an as-of clock: everything needed to produce its rows. */
export interface QueryView {
  entities: AccountEntities;
  query: InsightsQuery;
  clock: LocalClock;
  grid: CellGrid;
  buckets: Bucket[];
  /** The ads the query reads (after filtering) and the entity each rolls up to. */
  ads: { ad: SandboxAd; entity: number }[];
  /** Identifies the query (not the clock): the scope of its paging cursors. */
  fingerprint: string;
}

function bucketsOf(query: InsightsQuery): Bucket[] {
  const { since, until, timeIncrement } = query;
  if (timeIncrement === 'all_days') return [{ start: since, end: until }];
  const buckets: Bucket[] = [];
  for (let start = since; start <= until; ) {
    const next = timeIncrement === 'monthly' ? addMonths(monthStart(start), 1) : start + timeIncrement;
    buckets.push({ start, end: Math.min(until, next - 1) });
    start = next;
  }
  return buckets;
}

function matches(filter: EntityFilter, actual: string): boolean {
  const { operator, values } = filter;
  switch (operator) {
    case 'EQUAL':
    case 'IN':
      return values.includes(actual);
    case 'NOT_EQUAL':
    case 'NOT_IN':
      return !values.includes(actual);
    case 'CONTAIN':
      return values.some((value) => actual.toLowerCase().includes(value.toLowerCase()));
    default:
      return !values.some((value) => actual.toLowerCase().includes(value.toLowerCase()));
  }
}

function selectAds(entities: AccountEntities, query: InsightsQuery): QueryView['ads'] {
  const selected: QueryView['ads'] = [];
  for (const [index, ad] of entities.ads.entries()) {
    const campaign = entities.campaigns[ad.campaign]!;
    const adset = entities.adsets[ad.adset]!;
    const attributes = {
      campaign: { id: campaign.id, name: campaign.name, objective: campaign.objective },
      adset: { id: adset.id, name: adset.name, objective: campaign.objective },
      ad: { id: ad.id, name: ad.name, objective: campaign.objective },
    };
    const keep = query.filters.every((filter) => {
      // Every sandbox object is ACTIVE: the seed has no paused or deleted objects.
      const actual =
        filter.attribute === 'effective_status' ? 'ACTIVE' : attributes[filter.entity][filter.attribute];
      return matches(filter, actual);
    });
    if (!keep) continue;
    const entity = { account: 0, campaign: ad.campaign, adset: ad.adset, ad: index }[query.level];
    selected.push({ ad, entity });
  }
  return selected;
}

/** Binds a validated query to an account as of `asOf` (the virtual clock, or a report run's snapshot). */
export function viewOf(
  entities: AccountEntities,
  query: InsightsQuery,
  asOf: Date,
  scope: string,
): QueryView {
  return {
    entities,
    query,
    clock: localClock(asOf, entities.account.timezoneName),
    grid: cellGrid(query.breakdowns),
    buckets: bucketsOf(query),
    ads: selectAds(entities, query),
    fingerprint: `${scope}|${entities.account.accountId}|${hash53(JSON.stringify(query))}`,
  };
}

/** Every slot: splitting all of them costs little next to generating the day. */
const ALL_SLOTS = Array.from({ length: VECTOR_LENGTH }, (_, slot) => slot);

/** A row position for cursors: bucket and index within the bucket's rows. */
export interface RowPosition {
  bucket: number;
  index: number;
}

/** Caps of the row cache: enough for a 20,000-row sync report plus a few pages of others. */
const MAX_CACHED_ROWS = 60_000;
const MAX_CACHED_WEIGHTS = 20_000;

/** Produces and caches the rows of query views; one per sandbox registration. */
export class InsightsRowCache {
  private readonly rowsByKey = new Map<string, InsightsRow[]>();
  private cachedRows = 0;
  private readonly weights = new Map<string, CellWeights>();

  /** The rows of one bucket, ordered by entity then cell. */
  bucketRows(view: QueryView, bucketIndex: number): InsightsRow[] {
    const key = `${view.fingerprint}|${view.clock.today}:${view.clock.hour}|${bucketIndex}`;
    const cached = this.rowsByKey.get(key);
    if (cached) {
      // Re-insert so the Map's insertion order doubles as least-recently-used order.
      this.rowsByKey.delete(key);
      this.rowsByKey.set(key, cached);
      return cached;
    }
    const rows = this.computeBucket(view, view.buckets[bucketIndex]!);
    this.rowsByKey.set(key, rows);
    this.cachedRows += rows.length;
    for (const [oldKey, oldRows] of this.rowsByKey) {
      if (this.cachedRows <= MAX_CACHED_ROWS || oldKey === key) break;
      this.rowsByKey.delete(oldKey);
      this.cachedRows -= oldRows.length;
    }
    return rows;
  }

  /** The number of rows of a view, counting no further than `cap + 1`. */
  count(view: QueryView, cap: number): number {
    let total = 0;
    for (let bucket = 0; bucket < view.buckets.length && total <= cap; bucket += 1) {
      total += this.bucketRows(view, bucket).length;
    }
    return total;
  }

  /** Up to `limit` rows starting at `from`, with their positions, and whether more follow. */
  page(
    view: QueryView,
    from: RowPosition,
    limit: number,
  ): { rows: { row: InsightsRow; position: RowPosition; bucket: Bucket }[]; more: boolean } {
    const rows: { row: InsightsRow; position: RowPosition; bucket: Bucket }[] = [];
    let { bucket, index } = from;
    for (; bucket < view.buckets.length; bucket += 1, index = 0) {
      const bucketRows = this.bucketRows(view, bucket);
      for (; index < bucketRows.length; index += 1) {
        if (rows.length === limit) return { rows, more: true };
        rows.push({ row: bucketRows[index]!, position: { bucket, index }, bucket: view.buckets[bucket]! });
      }
    }
    return { rows, more: false };
  }

  private weightsOf(ad: SandboxAd, grid: CellGrid): CellWeights {
    const key = `${ad.id}|${grid.signature}`;
    let weights = this.weights.get(key);
    if (!weights) {
      if (this.weights.size >= MAX_CACHED_WEIGHTS) this.weights.clear();
      weights = cellWeights(ad.id, grid);
      this.weights.set(key, weights);
    }
    return weights;
  }

  private computeBucket(view: QueryView, bucket: Bucket): InsightsRow[] {
    const cells = view.grid.cells.length;
    const sums = new Map<number, Float64Array>();
    const add = (key: number, source: Float64Array, offset: number) => {
      let target = sums.get(key);
      if (!target) {
        target = new Float64Array(VECTOR_LENGTH);
        sums.set(key, target);
      }
      for (let slot = 0; slot < VECTOR_LENGTH; slot += 1) target[slot]! += source[offset + slot]!;
    };
    const last = Math.min(bucket.end, view.clock.today);
    // One split buffer per bucket: `add` copies each part out before the next split overwrites it.
    const parts = cells === 1 ? undefined : new Float64Array(cells * VECTOR_LENGTH);
    for (let day = bucket.start; day <= last; day += 1) {
      for (const { ad, entity } of view.ads) {
        const vector = adDay(view.entities, ad, day, view.clock);
        if (!vector) continue;
        if (!parts) {
          add(entity, vector, 0);
          continue;
        }
        splitVector(vector, this.weightsOf(ad, view.grid), ALL_SLOTS, parts);
        for (let cell = 0; cell < cells; cell += 1) {
          // A cell without impressions got nothing at all: Meta has no row for it.
          if (parts[cell * VECTOR_LENGTH + SLOT.impressions]! > 0) {
            add(entity * cells + cell, parts, cell * VECTOR_LENGTH);
          }
        }
      }
    }
    return [...sums.entries()]
      .sort(([a], [b]) => a - b)
      .map(([key, vector]) => ({ entity: Math.floor(key / cells), cell: key % cells, vector }));
  }
}
