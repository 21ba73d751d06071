/**
 * Reading `runReport` answers: `{dimensionHeaders[], metricHeaders[]{name,type}, rows[]{dimensionValues[]{value},
 * metricValues[]{value}}, rowCount, metadata{currencyCode,timeZone,dataLossFromOtherRow?}, propertyQuota?, kind}`.
 * Every cell is a string; the metric header's type says how to read it. Rows become typed cells keyed by column
 * name, holding the selected columns and `date`.
 */
import type { CellValue } from '../kit/types.ts';
import { isRecord, malformed, objectBody } from './google-api.ts';
import type { ReportPlan } from './report-query.ts';

/** One quota of `propertyQuota`: what this request consumed and what remains after it. */
export interface QuotaStatus {
  consumed: number;
  remaining: number;
}

/** The `propertyQuota` of an answer (the quotas Google reported; absent ones are left out). */
export type PropertyQuota = Partial<
  Record<
    | 'tokensPerDay'
    | 'tokensPerHour'
    | 'concurrentRequests'
    | 'serverErrorsPerProjectPerHour'
    | 'potentiallyThresholdedRequestsPerHour'
    | 'tokensPerProjectPerHour',
    QuotaStatus
  >
>;

/** One parsed page. */
export interface ReportPage {
  /** Header name → position in a row, for dimensions and metrics. */
  dimensionIndex: Map<string, number>;
  metricIndex: Map<string, { index: number; type: string }>;
  rows: { dimensions: string[]; metrics: string[] }[];
  /** Rows of the whole report (all pages). */
  rowCount: number;
  dataLossFromOtherRow: boolean;
  quota: PropertyQuota | null;
}

const QUOTA_NAMES = [
  'tokensPerDay',
  'tokensPerHour',
  'concurrentRequests',
  'serverErrorsPerProjectPerHour',
  'potentiallyThresholdedRequestsPerHour',
  'tokensPerProjectPerHour',
] as const;

function wholeNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^\d{1,15}$/.test(value)) return Number(value);
  return null;
}

/** Parses `propertyQuota`; proto3 JSON leaves out zero fields, so a missing `consumed` is 0. */
export function parsePropertyQuota(value: unknown, label: string): PropertyQuota | null {
  if (value === undefined || value === null) return null;
  if (!isRecord(value)) throw malformed(label, 'a propertyQuota that is not an object');
  const quota: PropertyQuota = {};
  for (const name of QUOTA_NAMES) {
    const status = value[name];
    if (status === undefined) continue;
    if (!isRecord(status)) throw malformed(label, `a propertyQuota.${name} that is not an object`);
    const consumed = status.consumed === undefined ? 0 : wholeNumber(status.consumed);
    const remaining = status.remaining === undefined ? 0 : wholeNumber(status.remaining);
    if (consumed === null || remaining === null)
      throw malformed(label, `a propertyQuota.${name} without numbers`);
    quota[name] = { consumed, remaining };
  }
  return quota;
}

function headerNames(
  body: Record<string, unknown>,
  field: string,
  label: string,
): { name: string; type: string }[] {
  const headers = body[field];
  if (headers === undefined) return [];
  if (!Array.isArray(headers)) throw malformed(label, `${field} that are not a list`);
  return headers.map((header) => {
    if (!isRecord(header) || typeof header.name !== 'string')
      throw malformed(label, `a ${field} entry without a name`);
    return {
      name: header.name,
      type: typeof header.type === 'string' ? header.type : 'METRIC_TYPE_UNSPECIFIED',
    };
  });
}

function values(entry: Record<string, unknown>, field: string, label: string): string[] {
  const list = entry[field];
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw malformed(label, `a row whose ${field} is not a list`);
  return list.map((cell) => {
    // An empty string is omitted from proto3 JSON: `{}` is the value "".
    if (!isRecord(cell)) throw malformed(label, `a ${field} entry that is not an object`);
    if (cell.value === undefined) return '';
    if (typeof cell.value !== 'string') throw malformed(label, `a ${field} value that is not a string`);
    return cell.value;
  });
}

/** Parses a page body; the requested headers must all be there. */
export function parseReportPage(body: unknown, plan: ReportPlan, label: string): ReportPage {
  const record = objectBody(body, label);
  const dimensionHeaders = headerNames(record, 'dimensionHeaders', label);
  const metricHeaders = headerNames(record, 'metricHeaders', label);
  const dimensionIndex = new Map(dimensionHeaders.map((header, index) => [header.name, index]));
  const metricIndex = new Map(
    metricHeaders.map((header, index) => [header.name, { index, type: header.type }]),
  );
  const rawRows = record.rows === undefined ? [] : record.rows;
  if (!Array.isArray(rawRows)) throw malformed(label, 'rows that are not a list');
  const rowCount = record.rowCount === undefined ? 0 : wholeNumber(record.rowCount);
  if (rowCount === null) throw malformed(label, 'a rowCount that is not a whole number');
  // An empty report may come without headers; a page with rows must describe every column we asked for.
  if (rawRows.length > 0) {
    for (const name of plan.apiDimensions) {
      if (!dimensionIndex.has(name)) throw malformed(label, `no dimension header ${name}`);
    }
    for (const name of plan.apiMetrics) {
      if (!metricIndex.has(name)) throw malformed(label, `no metric header ${name}`);
    }
  }
  const rows = rawRows.map((entry) => {
    if (!isRecord(entry)) throw malformed(label, 'a row that is not an object');
    const row = {
      dimensions: values(entry, 'dimensionValues', label),
      metrics: values(entry, 'metricValues', label),
    };
    if (row.dimensions.length !== dimensionHeaders.length || row.metrics.length !== metricHeaders.length) {
      throw malformed(label, 'a row whose cells do not match the headers');
    }
    return row;
  });
  const metadata = isRecord(record.metadata) ? record.metadata : {};
  return {
    dimensionIndex,
    metricIndex,
    rows,
    rowCount,
    dataLossFromOtherRow: metadata.dataLossFromOtherRow === true,
    quota: parsePropertyQuota(record.propertyQuota, label),
  };
}

const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
/** Seconds per unit of GA4's duration metric types. */
const SECONDS_PER_UNIT: Readonly<Record<string, number>> = {
  TYPE_MILLISECONDS: 0.001,
  TYPE_SECONDS: 1,
  TYPE_MINUTES: 60,
  TYPE_HOURS: 3600,
};

/** Rounds away binary noise of a scaled value (0.1234 × 100 = 12.340000000000002 → 12.34). */
function clean(value: number): number {
  return Number(value.toPrecision(12));
}

/** A metric cell as its column type says, with the unit of its header type converted. */
function metricValue(text: string, type: string, column: PlannedMetric, label: string): number {
  if (!NUMBER.test(text))
    throw malformed(label, `a non-numeric ${column.field.apiName} (${JSON.stringify(text)})`);
  const value = Number(text);
  if (column.type === 'integer') {
    if (!Number.isSafeInteger(value)) {
      throw malformed(
        label,
        `a value that is not a whole number for ${column.field.apiName} (${JSON.stringify(text)})`,
      );
    }
    return value;
  }
  if (column.type === 'percent') return clean(value * 100);
  // A duration column is in seconds whatever unit Google chose to send it in.
  const perUnit = column.field.metricType === 'TYPE_SECONDS' ? SECONDS_PER_UNIT[type] : undefined;
  return perUnit === undefined || perUnit === 1 ? value : clean(value * perUnit);
}

type PlannedMetric = ReportPlan['columns'][number];

/** `20240131` → `2024-01-31`. */
function dayOf(text: string | undefined, label: string): string {
  const match = text === undefined ? null : /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!match) throw malformed(label, `a row without a valid date (${JSON.stringify(text)})`);
  return `${match[1]}-${match[2]}-${match[3]}`;
}

/**
 * Converts one row. The day must lie inside the requested window: the destination replaces whole (account, date)
 * partitions, and a row for another day would land in a partition this read does not own.
 */
export function convertRow(
  row: { dimensions: string[]; metrics: string[] },
  page: ReportPage,
  plan: ReportPlan,
  window: { from: string; to: string },
  label: string,
): Record<string, CellValue> {
  const date = dayOf(row.dimensions[page.dimensionIndex.get('date')!], label);
  if (date < window.from || date > window.to) {
    throw malformed(label, `a row for ${date}, outside the requested ${window.from}..${window.to}`);
  }
  const cells: Record<string, CellValue> = { date };
  for (const column of plan.columns) {
    if (column.kind === 'dimension') {
      cells[column.name] = row.dimensions[page.dimensionIndex.get(column.field.apiName)!] ?? null;
    } else {
      const header = page.metricIndex.get(column.field.apiName)!;
      cells[column.name] = metricValue(row.metrics[header.index] ?? '', header.type, column, label);
    }
  }
  return cells;
}
