/**
 * Runs a checked query for one customer: `customer_client` rows from the manager hierarchy, attribute rows
 * of entities, or report rows — delivery summed per FROM-resource entity and selected segments — rendered
 * in proto3 JSON (lowerCamelCase, int64 as strings, zero metrics omitted, resource names included).
 */
import { dayString, type LocalClock } from '../../../sandbox/calendar.ts';
import { addInto, splitVector, unitDay, VECTOR_LENGTH } from './delivery.ts';
import { type CustomerEntities, entitiesOf } from './entities.ts';
import { FIELDS, type FieldSpec, jsonPath } from './gaql-fields.ts';
import type { CheckedQuery } from './query-check.ts';
import {
  attributeValue,
  compareValues,
  metricValue,
  type RawValue,
  type RowContext,
  satisfies,
} from './row-values.ts';
import { levelBelow, type SeedCustomer, subtree } from './seed.ts';

/** One unrendered row: what it is about, its segment values and (report rows) its summed numbers. */
interface Bucket {
  ctx: RowContext;
  segments: Record<string, string>;
  vector?: Float64Array | undefined;
}

/** A finished query: rendered rows and a nominal cost for `queryResourceConsumption`. */
export interface QueryResult {
  rows: Record<string, unknown>[];
  /** Rows matched before LIMIT (`totalResultsCount`). */
  total: number;
  consumption: number;
}

function fieldValue(field: FieldSpec, bucket: Bucket): RawValue | undefined {
  if (field.kind === 'segment') return bucket.segments[field.name];
  if (field.kind === 'metric') return bucket.vector ? metricValue(field.name, bucket.vector) : 0;
  return attributeValue(field, bucket.ctx);
}

/** Entities of the FROM resource, for queries without metrics and segments. */
function entityContexts(
  from: string,
  customer: SeedCustomer,
  entities: CustomerEntities | undefined,
): RowContext[] {
  if (from === 'customer') return [{ customer, entities }];
  if (from === 'customer_client') {
    return subtree(customer).map((client) => ({
      customer,
      client: { customer: client, level: levelBelow(customer, client)! },
    }));
  }
  if (!entities) return [];
  const base = { customer, entities };
  switch (from) {
    case 'campaign':
      return entities.campaigns.map((_, campaign) => ({ ...base, campaign }));
    case 'ad_group':
      return entities.adGroups.map((group, adGroup) => ({ ...base, campaign: group.campaign, adGroup }));
    case 'ad_group_ad':
      return entities.ads.map((ad, index) => ({
        ...base,
        campaign: ad.campaign,
        adGroup: ad.adGroup,
        ad: index,
      }));
    case 'keyword_view':
      return entities.keywords.map((keyword, index) => ({
        ...base,
        campaign: entities.adGroups[keyword.adGroup]!.campaign,
        adGroup: keyword.adGroup,
        keyword: index,
      }));
    default:
      return entities.searchTerms.map((term, index) => {
        const adGroup = entities.keywords[term.keyword]!.adGroup;
        return {
          ...base,
          campaign: entities.adGroups[adGroup]!.campaign,
          adGroup,
          keyword: term.keyword,
          term: index,
        };
      });
  }
}

/** One leaf of delivery: a context at the FROM resource's grain, a day, a device and its numbers. */
interface Leaf {
  ctx: RowContext;
  key: string;
  day: number;
  device: string;
  vector: Float64Array;
}

/** Delivery leaves of a day at the FROM resource's grain (keywords split ad groups, terms split keywords). */
function leavesOfDay(from: string, entities: CustomerEntities, day: number, clock: LocalClock): Leaf[] {
  const customer = entities.customer;
  const leaves: Leaf[] = [];
  const perUnit = from === 'customer' || from === 'campaign' || from === 'ad_group' || from === 'ad_group_ad';
  if (perUnit) {
    for (const unit of entities.units) {
      if (from !== 'customer' && from !== 'campaign' && unit.adGroup === undefined) continue;
      const ctx: RowContext = {
        customer,
        entities,
        campaign: unit.campaign,
        adGroup: unit.adGroup,
        ad: unit.ad,
      };
      const key =
        from === 'customer'
          ? ''
          : from === 'campaign'
            ? `${unit.campaign}`
            : from === 'ad_group'
              ? `${unit.adGroup}`
              : `${unit.ad}`;
      for (const { device, vector } of unitDay(entities, unit, day, clock))
        leaves.push({ ctx, key, day, device, vector });
    }
    return leaves;
  }
  // Keyword and search-term rows: each SEARCH ad group's day, per device, split by keyword weights.
  entities.adGroups.forEach((group, adGroup) => {
    const keywords = entities.keywords.flatMap((keyword, index) =>
      keyword.adGroup === adGroup ? [index] : [],
    );
    if (keywords.length === 0) return;
    const byDevice = new Map<string, Float64Array>();
    for (const unit of entities.units) {
      if (unit.adGroup !== adGroup) continue;
      for (const { device, vector } of unitDay(entities, unit, day, clock)) {
        const sum = byDevice.get(device) ?? new Float64Array(VECTOR_LENGTH);
        addInto(sum, vector);
        byDevice.set(device, sum);
      }
    }
    for (const [device, total] of byDevice) {
      const parts = splitVector(
        total,
        keywords.map((index) => entities.keywords[index]!.weight),
      );
      keywords.forEach((keyword, position) => {
        const base: RowContext = { customer, entities, campaign: group.campaign, adGroup, keyword };
        if (from === 'keyword_view') {
          leaves.push({ ctx: base, key: `${keyword}`, day, device, vector: parts[position]! });
          return;
        }
        const terms = entities.searchTerms.flatMap((term, index) =>
          term.keyword === keyword ? [index] : [],
        );
        const termParts = splitVector(
          parts[position]!,
          terms.map((index) => entities.searchTerms[index]!.weight),
        );
        terms.forEach((term, index) => {
          leaves.push({ ctx: { ...base, term }, key: `${term}`, day, device, vector: termParts[index]! });
        });
      });
    }
  });
  return leaves;
}

function isZero(vector: Float64Array): boolean {
  return vector.every((value) => value === 0);
}

/** Report buckets: leaves in the date range passing the WHERE clause, summed per entity and segments. */
function reportBuckets(
  checked: CheckedQuery,
  entities: CustomerEntities,
  clock: LocalClock,
): [Bucket[], number] {
  const firstDay = Math.min(...entities.campaigns.map((campaign) => campaign.startDay));
  const from = Math.max(checked.from ?? firstDay, firstDay);
  const to = Math.min(checked.to ?? clock.today, clock.today);
  const segmentFields = checked.select.filter((field) => field.kind === 'segment');
  const attributeConditions = checked.where.filter((entry) => entry.field.kind !== 'metric');
  const buckets = new Map<string, Bucket>();
  let scanned = 0;
  for (let day = from; day <= to; day += 1) {
    for (const leaf of leavesOfDay(checked.query.from, entities, day, clock)) {
      scanned += 1;
      const segments: Record<string, string> = {
        'segments.date': dayString(leaf.day),
        'segments.device': leaf.device,
        'segments.ad_network_type': entities.campaigns[leaf.ctx.campaign!]!.network,
      };
      const probe: Bucket = { ctx: leaf.ctx, segments };
      if (
        !attributeConditions.every(({ field, condition }) =>
          satisfies(field, fieldValue(field, probe), condition),
        )
      )
        continue;
      const key = [leaf.key, ...segmentFields.map((field) => segments[field.name])].join('|');
      let bucket = buckets.get(key);
      if (!bucket) {
        const kept = Object.fromEntries(segmentFields.map((field) => [field.name, segments[field.name]!]));
        bucket = { ctx: leaf.ctx, segments: kept, vector: new Float64Array(VECTOR_LENGTH) };
        buckets.set(key, bucket);
      }
      addInto(bucket.vector!, leaf.vector);
    }
  }
  return [[...buckets.values()].filter((bucket) => !isZero(bucket.vector!)), scanned];
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  node[path.at(-1)!] = value;
}

function encode(field: FieldSpec, value: RawValue): unknown {
  if (field.type === 'int64') return String(value);
  return value;
}

/** Renders a bucket as a `GoogleAdsRow`. */
function render(checked: CheckedQuery, bucket: Bucket): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  // The FROM resource's and every selected resource's resourceName come back unasked, as Google's do.
  const named = new Set([
    checked.query.from,
    ...checked.select.filter((field) => field.kind === 'attribute').map((field) => field.resource),
  ]);
  if (checked.select.some((field) => field.name.startsWith('ad_group_ad.ad.'))) named.add('ad_group_ad.ad');
  for (const resource of named) {
    const field = FIELDS.get(`${resource}.resource_name`);
    const value = field && attributeValue(field, bucket.ctx);
    if (value !== undefined) setPath(row, jsonPath(`${resource}.resource_name`), value);
  }
  for (const field of checked.select) {
    const value = fieldValue(field, bucket);
    if (value === undefined) continue;
    // Zero metrics are absent in proto3 JSON; attributes have field presence and stay.
    if (field.kind === 'metric' && value === 0) continue;
    setPath(row, jsonPath(field.name), encode(field, value));
  }
  return row;
}

/** Runs a checked query for a customer at the clock. */
export function runQuery(checked: CheckedQuery, customer: SeedCustomer, clock: LocalClock): QueryResult {
  const entities = entitiesOf(customer.id);
  const hasSegments = checked.select.some((field) => field.kind === 'segment');
  let buckets: Bucket[];
  let scanned = 0;
  if (checked.needsMetrics && entities) {
    [buckets, scanned] = reportBuckets(checked, entities, clock);
    const metricConditions = checked.where.filter((entry) => entry.field.kind === 'metric');
    buckets = buckets.filter((bucket) =>
      metricConditions.every(({ field, condition }) =>
        satisfies(field, fieldValue(field, bucket), condition),
      ),
    );
  } else if (hasSegments || checked.needsMetrics) {
    // Segments without metrics select nothing on Google Ads: the result is empty.
    buckets = [];
  } else {
    buckets = entityContexts(checked.query.from, customer, entities)
      .map((ctx): Bucket => ({ ctx, segments: {} }))
      .filter((bucket) =>
        checked.where.every(({ field, condition }) => satisfies(field, fieldValue(field, bucket), condition)),
      );
    scanned = buckets.length;
  }
  if (checked.orderBy.length > 0) {
    buckets.sort((a, b) => {
      for (const { field, descending } of checked.orderBy) {
        const [left, right] = [fieldValue(field, a), fieldValue(field, b)];
        const order = compareValues(left ?? '', right ?? '');
        if (order !== 0) return descending ? -order : order;
      }
      return 0;
    });
  }
  const limited = checked.query.limit === undefined ? buckets : buckets.slice(0, checked.query.limit);
  return {
    rows: limited.map((bucket) => render(checked, bucket)),
    total: buckets.length,
    consumption: 50 + Math.ceil(scanned / 20),
  };
}
