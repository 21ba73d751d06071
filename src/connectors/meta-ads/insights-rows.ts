/**
 * Reading insights pages: `{"data":[AdsInsights…],"paging":{…}}` where every number is a JSON string, breakdowns
 * are extra top-level keys and action metrics are `list<AdsActionStats>` arrays. Rows become typed cells keyed
 * by column name, holding only the selected columns and `date`.
 */
import type { CellValue, FieldType } from '../kit/types.ts';
import { malformed, pagingNext } from './graph.ts';
import type { InsightsPlan, PlannedColumn } from './insights-query.ts';

/** One parsed insights page: its raw rows and its `paging.next` link (null on the last page). */
export interface InsightsPage {
  rows: Record<string, unknown>[];
  next: string | null;
}

/** Parses a page body; anything but a `data` array of objects is `provider_malformed_response`. */
export function parseInsightsPage(body: unknown, label: string): InsightsPage {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { data?: unknown }).data)) {
    throw malformed(label, 'an insights page without a data array');
  }
  const record = body as Record<string, unknown> & { data: unknown[] };
  for (const row of record.data) {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw malformed(label, 'an insights row that is not an object');
    }
  }
  return { rows: record.data as Record<string, unknown>[], next: pagingNext(record, label) };
}

const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** A wire number (a JSON string, or tolerated as a JSON number) as the column type says; null when absent. */
function toNumber(value: unknown, type: FieldType, column: string, label: string): number | null {
  if (value === undefined || value === null || value === '') return null;
  const number =
    typeof value === 'number' ? value : typeof value === 'string' && NUMBER.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(number)) throw malformed(label, `a non-numeric ${column} (${JSON.stringify(value)})`);
  // An integer column holding a fraction means we mistyped the field; failing beats silently rounding money-like data.
  if (type === 'integer' && !Number.isInteger(number)) {
    throw malformed(label, `a fractional value for the integer column ${column} (${JSON.stringify(value)})`);
  }
  return number;
}

function toText(value: unknown, column: string, label: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw malformed(label, `a ${column} that is not text`);
}

/**
 * The `value` of the element of an action list with the wanted `action_type`. `value` is the number Meta reports
 * for the request's attribution (the default attribution); the per-window keys (`1d_click`, `7d_click`,
 * `1d_view`) overlap one another (1d_click is inside 7d_click), so they are never added up.
 */
function actionValue(row: Record<string, unknown>, column: PlannedColumn, label: string): CellValue {
  const { list, actionType } = column.action!;
  const entries = row[list];
  let found: unknown;
  if (entries !== undefined && entries !== null) {
    if (!Array.isArray(entries)) throw malformed(label, `a ${list} that is not a list`);
    const entry = entries.find(
      (item) =>
        typeof item === 'object' &&
        item !== null &&
        (item as { action_type?: unknown }).action_type === actionType,
    ) as { value?: unknown } | undefined;
    found = entry?.value;
  }
  const number = toNumber(found, column.type, column.name, label);
  if (number !== null) return number;
  // Meta leaves out action types (and whole lists) with nothing to report: that is zero actions and zero value.
  // A cost per action with no action is undefined, not free, so it stays empty.
  return list === 'cost_per_action_type' ? null : 0;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Converts one insights row. The date must be a single day inside the requested window: the destination
 * replaces whole (account, date) partitions, and a row for another day would land in a partition this read
 * does not own.
 */
export function convertRow(
  row: Record<string, unknown>,
  plan: InsightsPlan,
  window: { from: string; to: string },
  label: string,
): Record<string, CellValue> {
  const date = row.date_start;
  if (typeof date !== 'string' || !DATE.test(date))
    throw malformed(label, 'a row without a valid date_start');
  if (row.date_stop !== undefined && row.date_stop !== date) {
    throw malformed(label, `a row spanning ${date}..${String(row.date_stop)} although time_increment=1`);
  }
  if (date < window.from || date > window.to) {
    throw malformed(label, `a row for ${date}, outside the requested ${window.from}..${window.to}`);
  }
  const cells: Record<string, CellValue> = { date };
  for (const column of plan.columns) {
    if (column.action) cells[column.name] = actionValue(row, column, label);
    else if (column.kind === 'dimension') cells[column.name] = toText(row[column.field], column.field, label);
    else cells[column.name] = toNumber(row[column.field], column.type, column.field, label);
  }
  return cells;
}

/** The reconcilable metrics (column names) and how each is read from an account-level row. */
export const RECONCILABLE: readonly { column: string; field: string; actionType?: string }[] = [
  { column: 'spend', field: 'spend' },
  { column: 'impressions', field: 'impressions' },
  { column: 'clicks', field: 'clicks' },
  { column: 'actions_purchase', field: 'actions', actionType: 'purchase' },
];
