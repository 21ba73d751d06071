/**
 * Reading a `RunReportRequest` body the way the Data API does: unknown fields are refused ("Invalid JSON payload
 * received. Unknown name …"), int64 fields come as numbers or decimal strings, at most 9 dimensions and 10
 * metrics, unknown names are `INVALID_ARGUMENT` naming the field, dates are `YYYY-MM-DD`, `today`, `yesterday`
 * or `NdaysAgo` in the property's zone.
 */
import { dayString, type LocalClock, parseDay } from '../../../sandbox/calendar.ts';
import {
  DEFAULT_ROW_LIMIT,
  FIRST_DATA_DAY,
  MAX_DATE_RANGES,
  MAX_DIMENSIONS,
  MAX_METRICS,
  MAX_ROW_LIMIT,
} from './constants.ts';
import { dimensionSpec, metricSpec } from './report-schema.ts';

/** A date range resolved to local day numbers. */
export interface DayRange {
  first: number;
  last: number;
  name: string;
}

/** An order-by of the request. */
export interface OrderBy {
  kind: 'metric' | 'dimension';
  name: string;
  desc: boolean;
  orderType: string;
}

/** A validated request. */
export interface ReportQuery {
  dimensions: string[];
  metrics: string[];
  ranges: DayRange[];
  dimensionFilter?: unknown;
  metricFilter?: unknown;
  offset: number;
  limit: number;
  aggregations: string[];
  orderBys: OrderBy[];
  keepEmptyRows: boolean;
  returnPropertyQuota: boolean;
}

/** A request the API refuses, with the message it gives. */
export class BadRequest extends Error {}

const KNOWN_FIELDS = new Set([
  'property',
  'dimensions',
  'metrics',
  'dateRanges',
  'dimensionFilter',
  'metricFilter',
  'offset',
  'limit',
  'metricAggregations',
  'orderBys',
  'currencyCode',
  'cohortSpec',
  'keepEmptyRows',
  'returnPropertyQuota',
  'comparisons',
]);

const SCHEMA_HELP =
  'For a list of valid dimensions and metrics, see https://developers.google.com/analytics/devguides/reporting/data/v1/api-schema ';

function list(body: Record<string, unknown>, name: string): unknown[] {
  const value = body[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value))
    throw new BadRequest(`Invalid JSON payload received. Invalid value at '${name}': expected a list.`);
  return value;
}

function nameOf(item: unknown, path: string): string {
  const name = typeof item === 'object' && item !== null ? (item as Record<string, unknown>).name : undefined;
  if (typeof name !== 'string' || name === '') throw new BadRequest(`${path}.name is required.`);
  return name;
}

/** An int64 field: a JSON number or a decimal string, as proto3 JSON allows. */
function int64(body: Record<string, unknown>, name: string): number | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^-?\d+$/.test(text)) {
    throw new BadRequest(
      `Invalid JSON payload received. Invalid value at '${name}' (TYPE_INT64), ${JSON.stringify(value)}`,
    );
  }
  return Number(text);
}

function bool(body: Record<string, unknown>, name: string): boolean {
  const value = body[name];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean') {
    throw new BadRequest(
      `Invalid JSON payload received. Invalid value at '${name}' (TYPE_BOOL), ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** A date of a date range as a local day number. */
function resolveDate(text: unknown, clock: LocalClock, path: string): number {
  if (typeof text !== 'string' || text === '') throw new BadRequest(`${path} is required.`);
  if (text === 'today') return clock.today;
  if (text === 'yesterday') return clock.today - 1;
  const ago = /^(\d+)daysAgo$/.exec(text);
  if (ago) return clock.today - Number(ago[1]);
  const day = parseDay(text);
  if (day === undefined) {
    throw new BadRequest(
      `Invalid date range: ${path} "${text}" must be in the format YYYY-MM-DD, NdaysAgo, yesterday, or today.`,
    );
  }
  return day;
}

function dateRanges(body: Record<string, unknown>, clock: LocalClock): DayRange[] {
  const items = list(body, 'dateRanges');
  if (items.length === 0) throw new BadRequest('Must specify at least one date range.');
  if (items.length > MAX_DATE_RANGES)
    throw new BadRequest(`Requests are limited to ${MAX_DATE_RANGES} date ranges.`);
  const firstDataDay = parseDay(FIRST_DATA_DAY)!;
  return items.map((item, index) => {
    const range = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const first = resolveDate(range.startDate, clock, `dateRanges[${index}].startDate`);
    const last = resolveDate(range.endDate, clock, `dateRanges[${index}].endDate`);
    if (first > last) {
      throw new BadRequest(
        `Invalid date range: the startDate ${dayString(first)} must not be after the endDate ${dayString(last)}.`,
      );
    }
    if (first < firstDataDay)
      throw new BadRequest(`Invalid date range: dates must be on or after ${FIRST_DATA_DAY}.`);
    const name = typeof range.name === 'string' && range.name !== '' ? range.name : `date_range_${index}`;
    return { first, last, name };
  });
}

function orderBys(body: Record<string, unknown>, dimensions: string[], metrics: string[]): OrderBy[] {
  return list(body, 'orderBys').map((item, index) => {
    const order = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const desc = order.desc === true;
    const metric = order.metric as { metricName?: unknown } | undefined;
    const dimension = order.dimension as { dimensionName?: unknown; orderType?: unknown } | undefined;
    if (metric && typeof metric.metricName === 'string') {
      if (!metrics.includes(metric.metricName)) {
        throw new BadRequest(
          `orderBys[${index}]: Metric ${metric.metricName} is not in the request's metrics.`,
        );
      }
      return { kind: 'metric', name: metric.metricName, desc, orderType: 'NUMERIC' };
    }
    if (dimension && typeof dimension.dimensionName === 'string') {
      if (!dimensions.includes(dimension.dimensionName)) {
        throw new BadRequest(
          `orderBys[${index}]: Dimension ${dimension.dimensionName} is not in the request's dimensions.`,
        );
      }
      const orderType = typeof dimension.orderType === 'string' ? dimension.orderType : 'ALPHANUMERIC';
      if (
        !['ALPHANUMERIC', 'CASE_INSENSITIVE_ALPHANUMERIC', 'NUMERIC', 'ORDER_TYPE_UNSPECIFIED'].includes(
          orderType,
        )
      ) {
        throw new BadRequest(`orderBys[${index}]: Invalid orderType ${orderType}.`);
      }
      return { kind: 'dimension', name: dimension.dimensionName, desc, orderType };
    }
    throw new BadRequest(`orderBys[${index}] must order by a metric or a dimension of the request.`);
  });
}

/** Validates a request body against the property's clock and currency; throws {@link BadRequest}. */
export function readReportRequest(raw: unknown, clock: LocalClock, currencyCode: string): ReportQuery {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new BadRequest('Invalid JSON payload received. Expected a RunReportRequest object.');
  }
  const body = raw as Record<string, unknown>;
  const unknown = Object.keys(body).find((key) => !KNOWN_FIELDS.has(key));
  if (unknown)
    throw new BadRequest(`Invalid JSON payload received. Unknown name "${unknown}": Cannot find field.`);
  if (body.cohortSpec !== undefined || body.comparisons !== undefined) {
    throw new BadRequest('cohortSpec and comparisons are not served by the Tributary sandbox.');
  }
  const dimensions = list(body, 'dimensions').map((item, index) => nameOf(item, `dimensions[${index}]`));
  const metricItems = list(body, 'metrics');
  const metrics = metricItems.map((item, index) => nameOf(item, `metrics[${index}]`));
  if (dimensions.length > MAX_DIMENSIONS) {
    throw new BadRequest(
      `Requests are limited to ${MAX_DIMENSIONS} dimensions; this request has ${dimensions.length}.`,
    );
  }
  if (metrics.length > MAX_METRICS) {
    throw new BadRequest(
      `Requests are limited to ${MAX_METRICS} metrics; this request has ${metrics.length}.`,
    );
  }
  for (const name of dimensions) {
    if (!dimensionSpec(name)) throw new BadRequest(`Field ${name} is not a valid dimension. ${SCHEMA_HELP}`);
  }
  metricItems.forEach((item, index) => {
    const metric = item as Record<string, unknown>;
    if (metric.expression !== undefined && metric.expression !== '') {
      throw new BadRequest(`metrics[${index}]: metric expressions are not served by the Tributary sandbox.`);
    }
    if (!metricSpec(metrics[index]!))
      throw new BadRequest(`Field ${metrics[index]} is not a valid metric. ${SCHEMA_HELP}`);
  });
  for (const names of [dimensions, metrics]) {
    const duplicate = names.find((name, index) => names.indexOf(name) !== index);
    if (duplicate) throw new BadRequest(`Duplicate field name ${duplicate} in the request.`);
  }
  if (dimensions.length === 0 && metrics.length === 0) {
    throw new BadRequest('A report request must have at least one dimension or metric.');
  }
  const offset = int64(body, 'offset') ?? 0;
  if (offset < 0) throw new BadRequest('offset must not be negative.');
  const limit = int64(body, 'limit') ?? 0;
  if (limit < 0) throw new BadRequest('limit must be positive.');
  const currency = body.currencyCode;
  if (currency !== undefined && currency !== '' && currency !== currencyCode) {
    throw new BadRequest(
      `currencyCode ${JSON.stringify(currency)}: the Tributary sandbox reports only in the property's currency (${currencyCode}).`,
    );
  }
  const aggregations = list(body, 'metricAggregations').map(String);
  const unsupported = aggregations.find((name) => !['TOTAL', 'MAXIMUM', 'MINIMUM'].includes(name));
  if (unsupported) throw new BadRequest(`Invalid metricAggregations value: ${unsupported}.`);
  return {
    dimensions,
    metrics,
    ranges: dateRanges(body, clock),
    dimensionFilter: body.dimensionFilter ?? undefined,
    metricFilter: body.metricFilter ?? undefined,
    offset,
    limit: limit === 0 ? DEFAULT_ROW_LIMIT : Math.min(limit, MAX_ROW_LIMIT),
    aggregations,
    orderBys: orderBys(body, dimensions, metrics),
    keepEmptyRows: bool(body, 'keepEmptyRows'),
    returnPropertyQuota: bool(body, 'returnPropertyQuota'),
  };
}
