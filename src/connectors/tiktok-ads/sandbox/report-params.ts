/**
 * Validation of `report/integrated/get/` parameters, in TikTok's terms: every problem is a 40002 whose
 * message names the parameter; features TikTok has but the sandbox does not are a 40009 ("not supported
 * in sandbox"), never silently ignored.
 */

import { parseDay } from '../../../sandbox/calendar.ts';
import { AUDIENCE_DIMENSIONS, type AudienceDimension } from './audience.ts';
import { DEFAULT_PAGE_SIZE, MAX_DAILY_SPAN_DAYS, MAX_PAGE_SIZE, MAX_SPAN_DAYS } from './constants.ts';
import { DATA_LEVELS, type DataLevel, metricProblem } from './report-metrics.ts';
import { stringListParam, stringParam } from './wire.ts';

/** The ID dimension of each data level. */
export const ID_DIMENSION: Record<DataLevel, string> = {
  AUCTION_ADVERTISER: 'advertiser_id',
  AUCTION_CAMPAIGN: 'campaign_id',
  AUCTION_ADGROUP: 'adgroup_id',
  AUCTION_AD: 'ad_id',
};

/** A validated report query. */
export interface ReportQuery {
  advertiserId: string;
  reportType: 'BASIC' | 'AUDIENCE';
  level: DataLevel;
  /** Requested dimensions, in request order (rows echo them in this order). */
  dimensions: string[];
  /** The ID dimension, when requested. */
  idDimension: string | undefined;
  daily: boolean;
  audience: AudienceDimension[];
  metrics: string[];
  /** Inclusive day numbers, or `lifetime` (the whole history up to today). */
  range: { start: number; end: number } | 'lifetime';
  page: number;
  pageSize: number;
  order: { field: string; descending: boolean } | undefined;
}

/** The outcome of validation: a query, or the error to answer with. */
export type ParamCheck =
  | { ok: true; query: ReportQuery }
  | { ok: false; code: 40002 | 40009; parameter: string; problem: string };

const bad = (parameter: string, problem: string): ParamCheck => ({
  ok: false,
  code: 40002,
  parameter,
  problem,
});
const unsupported = (parameter: string, problem: string): ParamCheck => ({
  ok: false,
  code: 40009,
  parameter,
  problem,
});
const MISSING = 'Missing data for required field.';

function positiveInteger(raw: string | undefined, fallback: number): number | undefined {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

function checkDimensions(
  raw: string[] | undefined | null,
  reportType: 'BASIC' | 'AUDIENCE',
  level: DataLevel,
): ParamCheck | { dimensions: string[]; idDimension: string | undefined; audience: AudienceDimension[] } {
  if (raw === undefined) return bad('dimensions', MISSING);
  if (raw === null) return bad('dimensions', 'Not a valid list.');
  if (raw.length === 0) return bad('dimensions', 'Length must be at least 1.');
  if (new Set(raw).size !== raw.length) return bad('dimensions', 'Duplicate dimensions.');
  const ids = ['advertiser_id', 'campaign_id', 'adgroup_id', 'ad_id'];
  const audience: AudienceDimension[] = [];
  const idDimensions: string[] = [];
  for (const dimension of raw) {
    if (ids.includes(dimension)) idDimensions.push(dimension);
    else if ((AUDIENCE_DIMENSIONS as readonly string[]).includes(dimension)) {
      if (reportType !== 'AUDIENCE')
        return bad('dimensions', `${dimension} is only valid in AUDIENCE reports.`);
      audience.push(dimension as AudienceDimension);
    } else if (dimension === 'stat_time_hour') return unsupported('dimensions', 'stat_time_hour');
    else if (dimension !== 'stat_time_day') return bad('dimensions', `Invalid dimension: ${dimension}.`);
  }
  if (idDimensions.length > 1) return bad('dimensions', 'At most one ID dimension may be given.');
  const idDimension = idDimensions[0];
  const expected = ID_DIMENSION[level];
  if (idDimension !== undefined && idDimension !== expected) {
    return bad('dimensions', `${idDimension} does not match data_level ${level}; use ${expected}.`);
  }
  if (idDimension === undefined && level !== 'AUCTION_ADVERTISER') {
    return bad('dimensions', `${expected} is required when data_level is ${level}.`);
  }
  if (reportType === 'AUDIENCE' && audience.length === 0) {
    return bad('dimensions', 'AUDIENCE reports need at least one of age, gender, country_code.');
  }
  return { dimensions: raw, idDimension, audience };
}

function checkRange(query: unknown, daily: boolean): ParamCheck | { range: ReportQuery['range'] } {
  const lifetime = stringParam(query, 'query_lifetime');
  if (lifetime !== undefined && lifetime !== 'true' && lifetime !== 'false') {
    return bad('query_lifetime', 'Not a valid boolean.');
  }
  if (lifetime === 'true') {
    if (daily) return bad('dimensions', 'stat_time_day cannot be used with query_lifetime.');
    return { range: 'lifetime' };
  }
  const startText = stringParam(query, 'start_date');
  const endText = stringParam(query, 'end_date');
  if (startText === undefined) return bad('start_date', MISSING);
  if (endText === undefined) return bad('end_date', MISSING);
  const start = parseDay(startText);
  if (start === undefined) return bad('start_date', 'Not a valid date; use YYYY-MM-DD.');
  const end = parseDay(endText);
  if (end === undefined) return bad('end_date', 'Not a valid date; use YYYY-MM-DD.');
  if (end < start) return bad('end_date', 'end_date must not be earlier than start_date.');
  const limit = daily ? MAX_DAILY_SPAN_DAYS : MAX_SPAN_DAYS;
  if (end - start + 1 > limit) {
    return bad(
      'end_date',
      `The time span between start_date and end_date must not exceed ${limit} days${daily ? ' when stat_time_day is a dimension' : ''}.`,
    );
  }
  return { range: { start, end } };
}

/** Validates the query string of a report call. */
export function checkReportParams(query: unknown): ParamCheck {
  const advertiserId = stringParam(query, 'advertiser_id');
  if (advertiserId === undefined) {
    if (stringParam(query, 'advertiser_ids') !== undefined)
      return unsupported('advertiser_ids', 'advertiser_ids');
    if (stringParam(query, 'bc_id') !== undefined) return unsupported('bc_id', 'bc_id');
    return bad('advertiser_id', MISSING);
  }
  if (!/^\d+$/.test(advertiserId)) return bad('advertiser_id', 'Not a valid integer.');
  const reportType = stringParam(query, 'report_type');
  if (reportType === undefined) return bad('report_type', MISSING);
  if (['PLAYABLE_MATERIAL', 'CATALOG', 'BC', 'TT_SHOP'].includes(reportType)) {
    return unsupported('report_type', reportType);
  }
  if (reportType !== 'BASIC' && reportType !== 'AUDIENCE') return bad('report_type', 'Not a valid choice.');
  const serviceType = stringParam(query, 'service_type') ?? 'AUCTION';
  if (serviceType === 'RESERVATION') return unsupported('service_type', 'RESERVATION');
  if (serviceType !== 'AUCTION') return bad('service_type', 'Not a valid choice.');
  const levelText = stringParam(query, 'data_level');
  if (levelText === undefined) return bad('data_level', MISSING);
  if (levelText.startsWith('RESERVATION_')) return unsupported('data_level', levelText);
  if (!(DATA_LEVELS as readonly string[]).includes(levelText))
    return bad('data_level', 'Not a valid choice.');
  const level = levelText as DataLevel;

  const dimensions = checkDimensions(stringListParam(query, 'dimensions'), reportType, level);
  if ('ok' in dimensions) return dimensions;
  const daily = dimensions.dimensions.includes('stat_time_day');

  const metrics = stringListParam(query, 'metrics');
  if (metrics === null) return bad('metrics', 'Not a valid list.');
  const selected = metrics && metrics.length > 0 ? [...new Set(metrics)] : ['spend', 'impressions'];
  const invalid = selected
    .map((name) => ({ name, problem: metricProblem(name, reportType, level) }))
    .filter((entry) => entry.problem !== undefined);
  if (invalid.length > 0) {
    const listed = invalid.map((entry) => `${entry.name} (${entry.problem})`).join(', ');
    return bad('metrics', `Invalid metric fields: ${listed}.`);
  }

  const range = checkRange(query, daily);
  if ('ok' in range) return range;

  const page = positiveInteger(stringParam(query, 'page'), 1);
  if (page === undefined || page < 1) return bad('page', 'Must be greater than or equal to 1.');
  const pageSize = positiveInteger(stringParam(query, 'page_size'), DEFAULT_PAGE_SIZE);
  if (pageSize === undefined || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    return bad('page_size', `Must be greater than or equal to 1 and less than or equal to ${MAX_PAGE_SIZE}.`);
  }

  const filtering = stringParam(query, 'filtering');
  if (filtering !== undefined && filtering.trim() !== '[]' && filtering.trim() !== '') {
    return unsupported('filtering', 'filtering');
  }
  if (stringParam(query, 'enable_total_metrics') === 'true') {
    return unsupported('enable_total_metrics', 'enable_total_metrics');
  }
  const orderField = stringParam(query, 'order_field');
  const orderType = stringParam(query, 'order_type') ?? 'DESC';
  if (orderType !== 'ASC' && orderType !== 'DESC') return bad('order_type', 'Not a valid choice.');
  if (orderField !== undefined && !selected.includes(orderField)) {
    return bad('order_field', `${orderField} is not one of the requested metrics.`);
  }
  return {
    ok: true,
    query: {
      advertiserId,
      reportType,
      level,
      dimensions: dimensions.dimensions,
      idDimension: dimensions.idDimension,
      daily,
      audience: dimensions.audience,
      metrics: selected,
      range: range.range,
      page,
      pageSize,
      order: orderField ? { field: orderField, descending: orderType === 'DESC' } : undefined,
    },
  };
}
