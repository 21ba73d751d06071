/**
 * Building a `RunReportResponse` from the traffic cells: expand cells per event name when the request breaks down
 * (or filters) by `eventName`, apply the dimension filter, group by the requested dimensions (plus `dateRange`
 * with several ranges), turn summed vectors into metric strings, drop all-zero rows unless `keepEmptyRows`, apply
 * the metric filter, order, and cut the `offset`/`limit` page; `rowCount` counts every row.
 *
 * With `eventName` in play, session- and user-scoped metrics sit on the `session_start` row, views on `page_view`
 * and revenue on `purchase`, so every metric still adds up across the breakdown (a sandbox simplification).
 */
import { dayString, type LocalClock } from '../../../sandbox/calendar.ts';
import { passes } from './report-filter.ts';
import type { ReportQuery } from './report-request.ts';
import { metricSpec } from './report-schema.ts';
import type { SeedProperty } from './seed.ts';
import {
  type CellDimensions,
  dayCells,
  EVENT_NAMES,
  EVENT_SLOT_BASE,
  KEY_EVENTS,
  KEY_SLOT_BASE,
  SLOT,
  VECTOR_LENGTH,
} from './traffic.ts';

/** One unit before grouping: dimension values and a vector. */
interface Unit {
  value: (name: string) => string | undefined;
  values: Float64Array;
}

/** A grouped row: its dimension values and summed vector. */
interface GroupedRow {
  dimensions: string[];
  values: Float64Array;
  numbers: number[];
}

const SESSION_SLOTS = [
  SLOT.sessions,
  SLOT.engagedSessions,
  SLOT.activeUsers,
  SLOT.newUsers,
  SLOT.totalUsers,
  SLOT.sessionSeconds,
  SLOT.engagementSeconds,
];

/** The part of a cell's vector that belongs to one event name (see the module comment). */
function eventShare(values: Float64Array, event: number): Float64Array {
  const share = new Float64Array(VECTOR_LENGTH);
  const name = EVENT_NAMES[event]!;
  if (name === 'session_start') for (const slot of SESSION_SLOTS) share[slot] = values[slot]!;
  if (name === 'page_view') share[SLOT.screenPageViews] = values[SLOT.screenPageViews]!;
  if (name === 'purchase') {
    share[SLOT.purchaseRevenue] = values[SLOT.purchaseRevenue]!;
    share[SLOT.totalRevenue] = values[SLOT.totalRevenue]!;
  }
  share[EVENT_SLOT_BASE + event] = values[EVENT_SLOT_BASE + event]!;
  const key = KEY_EVENTS.indexOf(name);
  if (key >= 0) share[KEY_SLOT_BASE + key] = values[KEY_SLOT_BASE + key]!;
  return share;
}

function sumSlots(values: Float64Array, from: number, count: number): number {
  let total = 0;
  for (let slot = from; slot < from + count; slot += 1) total += values[slot]!;
  return total;
}

/** Minor units as Google's decimal currency string ("123.45", "7.5", "0"). */
function currencyString(minor: number, currency: string): string {
  if (currency === 'JPY') return String(minor);
  const whole = Math.trunc(minor / 100);
  const cents = String(minor % 100)
    .padStart(2, '0')
    .replace(/0+$/, '');
  return cents ? `${whole}.${cents}` : String(whole);
}

/** A metric's numeric value from a summed vector. */
export function metricNumber(name: string, values: Float64Array, currency: string): number {
  const sessions = values[SLOT.sessions]!;
  const ratio = (part: number) => (sessions === 0 ? 0 : part / sessions);
  const minorPerUnit = currency === 'JPY' ? 1 : 100;
  switch (name) {
    case 'eventCount':
      return sumSlots(values, EVENT_SLOT_BASE, EVENT_NAMES.length);
    case 'keyEvents':
      return sumSlots(values, KEY_SLOT_BASE, KEY_EVENTS.length);
    case 'engagementRate':
      return ratio(values[SLOT.engagedSessions]!);
    case 'bounceRate':
      return ratio(sessions - values[SLOT.engagedSessions]!);
    case 'averageSessionDuration':
      return ratio(values[SLOT.sessionSeconds]!);
    case 'userEngagementDuration':
      return values[SLOT.engagementSeconds]!;
    case 'totalRevenue':
    case 'purchaseRevenue':
      return values[SLOT[name]]! / minorPerUnit;
    default:
      return values[SLOT[name as keyof typeof SLOT]]!;
  }
}

/** A metric's wire string: integers plain, ratios as doubles, currency as an exact decimal. */
function metricString(name: string, values: Float64Array, currency: string): string {
  if (metricSpec(name)?.type === 'TYPE_CURRENCY') {
    return currencyString(
      values[name === 'totalRevenue' ? SLOT.totalRevenue : SLOT.purchaseRevenue]!,
      currency,
    );
  }
  return String(metricNumber(name, values, currency));
}

/** Every unit of the request's ranges as of `clock`, dimension-filtered. */
function units(property: SeedProperty, query: ReportQuery, clock: LocalClock): Unit[] {
  const byEvent =
    query.dimensions.includes('eventName') ||
    JSON.stringify(query.dimensionFilter ?? '').includes('"eventName"');
  const out: Unit[] = [];
  query.ranges.forEach((range) => {
    for (let day = range.first; day <= Math.min(range.last, clock.today); day += 1) {
      const date = dayString(day).replaceAll('-', '');
      for (const cell of dayCells(property, day, clock)) {
        const base = (name: string, event?: string) => {
          if (name === 'date') return date;
          if (name === 'dateRange') return range.name;
          if (name === 'eventName') return event;
          return cell.dimensions[name as keyof CellDimensions];
        };
        if (!byEvent) {
          out.push({ value: (name) => base(name), values: cell.values });
          continue;
        }
        EVENT_NAMES.forEach((event, index) => {
          out.push({ value: (name) => base(name, event), values: eventShare(cell.values, index) });
        });
      }
    }
  });
  if (query.dimensionFilter === undefined) return out;
  return out.filter((unit) => passes(query.dimensionFilter, unit.value, 'dimension'));
}

function compareRows(query: ReportQuery, dimensionNames: string[]) {
  const byDimensions = (a: GroupedRow, b: GroupedRow) => {
    for (let index = 0; index < a.dimensions.length; index += 1) {
      const order = a.dimensions[index]!.localeCompare(b.dimensions[index]!);
      if (order !== 0) return order;
    }
    return 0;
  };
  return (a: GroupedRow, b: GroupedRow) => {
    for (const order of query.orderBys) {
      let result: number;
      if (order.kind === 'metric') {
        const index = query.metrics.indexOf(order.name);
        result = a.numbers[index]! - b.numbers[index]!;
      } else {
        const index = dimensionNames.indexOf(order.name);
        const [x, y] = [a.dimensions[index]!, b.dimensions[index]!];
        result =
          order.orderType === 'NUMERIC'
            ? Number(x) - Number(y)
            : order.orderType === 'CASE_INSENSITIVE_ALPHANUMERIC'
              ? x.toLowerCase().localeCompare(y.toLowerCase())
              : x < y
                ? -1
                : x > y
                  ? 1
                  : 0;
      }
      if (result !== 0) return order.desc ? -result : result;
    }
    // Without orderBys Google orders by the first metric, largest first; ties (and the rest) by dimension values.
    if (query.orderBys.length === 0 && query.metrics.length > 0 && a.numbers[0] !== b.numbers[0]) {
      return b.numbers[0]! - a.numbers[0]!;
    }
    return byDimensions(a, b);
  };
}

/** The report body (without `propertyQuota`) and how many rows the page carries. */
export function buildReport(property: SeedProperty, query: ReportQuery, clock: LocalClock) {
  const currency = property.currencyCode;
  const dimensionNames = [...query.dimensions, ...(query.ranges.length > 1 ? ['dateRange'] : [])];
  const groups = new Map<string, GroupedRow>();
  for (const unit of units(property, query, clock)) {
    const dimensions = dimensionNames.map((name) => unit.value(name) ?? '(not set)');
    const key = dimensions.join('\u0000');
    let row = groups.get(key);
    if (!row) {
      row = { dimensions, values: new Float64Array(VECTOR_LENGTH), numbers: [] };
      groups.set(key, row);
    }
    for (let slot = 0; slot < VECTOR_LENGTH; slot += 1) row.values[slot]! += unit.values[slot]!;
  }
  let rows = [...groups.values()];
  for (const row of rows) row.numbers = query.metrics.map((name) => metricNumber(name, row.values, currency));
  if (!query.keepEmptyRows) rows = rows.filter((row) => row.numbers.some((value) => value !== 0));
  if (query.metricFilter !== undefined) {
    rows = rows.filter((row) =>
      passes(
        query.metricFilter,
        (name) => {
          const index = query.metrics.indexOf(name);
          return index < 0 ? undefined : row.numbers[index];
        },
        'metric',
      ),
    );
  }
  rows.sort(compareRows(query, dimensionNames));
  const page = rows.slice(query.offset, query.offset + query.limit);
  const wireRow = (dimensions: string[], values: (name: string, index: number) => string) => ({
    dimensionValues: dimensions.map((value) => ({ value })),
    metricValues: query.metrics.map((name, index) => ({ value: values(name, index) })),
  });
  const body: Record<string, unknown> = {
    dimensionHeaders: dimensionNames.map((name) => ({ name })),
    metricHeaders: query.metrics.map((name) => ({ name, type: metricSpec(name)!.type })),
  };
  // proto3 JSON leaves out empty lists and zero numbers: an empty report has neither `rows` nor `rowCount`.
  if (page.length > 0)
    body.rows = page.map((row) =>
      wireRow(row.dimensions, (name) => metricString(name, row.values, currency)),
    );
  const aggregate = (kind: string, reserved: string) => {
    if (!query.aggregations.includes(kind) || rows.length === 0) return;
    const dims = dimensionNames.map(() => reserved);
    if (kind === 'TOTAL') {
      const total = new Float64Array(VECTOR_LENGTH);
      for (const row of rows)
        for (let slot = 0; slot < VECTOR_LENGTH; slot += 1) total[slot]! += row.values[slot]!;
      body.totals = [wireRow(dims, (name) => metricString(name, total, currency))];
      return;
    }
    const pick = kind === 'MAXIMUM' ? Math.max : Math.min;
    const best = query.metrics.map((_, index) =>
      rows.reduce(
        (found, row) =>
          pick(found.numbers[index]!, row.numbers[index]!) === row.numbers[index] ? row : found,
        rows[0]!,
      ),
    );
    body[kind === 'MAXIMUM' ? 'maximums' : 'minimums'] = [
      wireRow(dims, (name, index) => metricString(name, best[index]!.values, currency)),
    ];
  };
  aggregate('TOTAL', 'RESERVED_TOTAL');
  aggregate('MAXIMUM', 'RESERVED_MAX');
  aggregate('MINIMUM', 'RESERVED_MIN');
  if (rows.length > 0) body.rowCount = rows.length;
  body.metadata = { currencyCode: currency, timeZone: property.timeZone };
  return { body, returnedRows: page.length };
}
