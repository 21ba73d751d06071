/**
 * Reading `report/integrated/get/` pages: `data.list[]{dimensions:{…}, metrics:{…}}` plus
 * `data.page_info{page,page_size,total_number,total_page}`. Values are mixed: core metrics are JSON strings,
 * engagement counts JSON numbers, attribute ids sometimes numbers; rows become typed cells keyed by column name,
 * holding only the selected columns and `date`.
 */
import type { CellValue, FieldType } from '../kit/types.ts';
import { envelopeData, malformed } from './open-api.ts';
import { DAY_DIMENSION, type ReportPlan } from './report-query.ts';

/** One report row as TikTok sends it. */
export interface ReportRow {
  dimensions: Record<string, unknown>;
  metrics: Record<string, unknown>;
}

/** One parsed page: its rows and how many pages the report has (null when TikTok left `page_info` out). */
export interface ReportPage {
  rows: ReportRow[];
  totalPages: number | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses a report body text without losing digits: ids of 16+ digits that TikTok sends as JSON numbers
 * (`"campaign_id":1714125042508817`) are turned into strings before `JSON.parse` rounds them to a double. Should
 * that rewrite ever break the text (a matching pattern inside a string), the plain parse is used.
 */
export function parseReportText(text: string): unknown {
  const quoted = text.replace(/(:\s*)(-?\d{16,})(?=\s*[,}\]])/g, '$1"$2"');
  try {
    return JSON.parse(quoted);
  } catch {
    return JSON.parse(text);
  }
}

/** Parses a page body; anything but a `data.list` of `{dimensions, metrics}` objects is malformed. */
export function parseReportPage(body: unknown, label: string): ReportPage {
  const data = envelopeData(body, label);
  if (!Array.isArray(data.list)) throw malformed(label, 'a report without data.list');
  const rows = data.list.map((entry): ReportRow => {
    if (!isRecord(entry)) throw malformed(label, 'a report row that is not an object');
    const dimensions = entry.dimensions ?? {};
    const metrics = entry.metrics ?? {};
    if (!isRecord(dimensions) || !isRecord(metrics)) {
      throw malformed(label, 'a report row whose dimensions or metrics are not objects');
    }
    return { dimensions, metrics };
  });
  let totalPages: number | null = null;
  if (data.page_info !== undefined && data.page_info !== null) {
    if (!isRecord(data.page_info)) throw malformed(label, 'a page_info that is not an object');
    const total = data.page_info.total_page;
    if (typeof total !== 'number' || !Number.isInteger(total) || total < 0) {
      throw malformed(label, 'a page_info without a whole total_page');
    }
    totalPages = total;
  }
  return { rows, totalPages };
}

const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** A wire number (a JSON string or a JSON number) as the column type says; null when absent. */
function toNumber(value: unknown, type: FieldType, column: string, label: string): number | null {
  if (value === undefined || value === null || value === '') return null;
  const number =
    typeof value === 'number' ? value : typeof value === 'string' && NUMBER.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(number)) throw malformed(label, `a non-numeric ${column} (${JSON.stringify(value)})`);
  // An integer column holding a fraction means we mistyped the field; failing beats silently rounding.
  if (type === 'integer' && !Number.isInteger(number)) {
    throw malformed(label, `a fractional value for the integer column ${column} (${JSON.stringify(value)})`);
  }
  return number;
}

function toText(value: unknown, column: string, label: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    // A number past 2^53 has already lost digits: an id written wrong is worse than a failed read.
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
      throw malformed(label, `a ${column} too large to read exactly (${value})`);
    }
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  throw malformed(label, `a ${column} that is not text`);
}

/** `"2024-01-01 00:00:00"` (or a bare `2024-01-01`) → `2024-01-01`. */
function dayOf(value: unknown, label: string): string {
  const match = typeof value === 'string' ? /^(\d{4}-\d{2}-\d{2})(?: 00:00:00)?$/.exec(value) : null;
  if (!match) throw malformed(label, `a row without a valid ${DAY_DIMENSION} (${JSON.stringify(value)})`);
  return match[1]!;
}

/**
 * Converts one report row. The day must lie inside the requested window: the destination replaces whole
 * (account, date) partitions, and a row for another day would land in a partition this read does not own.
 */
export function convertRow(
  row: ReportRow,
  plan: ReportPlan,
  window: { from: string; to: string },
  label: string,
): Record<string, CellValue> {
  const date = dayOf(row.dimensions[DAY_DIMENSION], label);
  if (date < window.from || date > window.to) {
    throw malformed(label, `a row for ${date}, outside the requested ${window.from}..${window.to}`);
  }
  const cells: Record<string, CellValue> = { date };
  for (const column of plan.columns) {
    // Report dimensions come back under `dimensions`, attribute fields under `metrics`; look in both so a field
    // TikTok moves between them still lands in its column.
    const value = row.dimensions[column.field] ?? row.metrics[column.field];
    cells[column.name] =
      column.kind === 'dimension'
        ? toText(value, column.field, label)
        : toNumber(value, column.type, column.field, label);
  }
  return cells;
}
