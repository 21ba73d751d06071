/**
 * Turns a report request into a `report/integrated/get/` query: the destination columns, which fields go in the
 * report's `dimensions` and which in its `metrics` (TikTok's attribute metrics such as `campaign_name`), and the
 * encoded query parameters. Pure: no provider call.
 */
import { TributaryError } from '../../domain/errors.ts';
import type { ColumnSpec, FieldType, ReportRequest, Template } from '../kit/types.ts';
import { findTiktokTemplate, MAX_WINDOW_DAYS, queryShape, type TiktokQueryShape } from './templates.ts';

/** What `columns()` receives: a request without account and dates. */
export type Selection = Omit<ReportRequest, 'account' | 'from' | 'to'>;

/** The time dimension of every daily template; it becomes the `date` column. */
export const DAY_DIMENSION = 'stat_time_day';
/** Rows per page: TikTok's maximum, so a month of campaigns is usually one call. */
export const REPORT_PAGE_SIZE = 1000;

/** One selected column and the field it is read from. */
export interface PlannedColumn {
  /** Destination column name (TikTok field names are already lower snake_case). */
  name: string;
  type: FieldType;
  field: string;
  kind: 'dimension' | 'metric';
}

/** A validated selection, ready to encode. */
export interface ReportPlan {
  template: Template;
  shape: TiktokQueryShape;
  /** Selected columns in table order (without `date`). */
  columns: PlannedColumn[];
  /** The report `dimensions`: the template's report dimensions, then `stat_time_day`. */
  reportDimensions: string[];
  /** The report `metrics`: selected metrics, then selected attribute dimensions. */
  reportMetrics: string[];
}

function invalid(message: string): TributaryError {
  return new TributaryError('validation_failed', `TikTok Ads: ${message}`);
}

/** Validates a selection against our own template definition and plans its query. */
export function planReport(selection: Selection): ReportPlan {
  const template = findTiktokTemplate(selection.template.id);
  const shape = template && queryShape(template.id);
  if (!template || !shape) throw invalid(`unknown template ${selection.template.id}`);
  const known = new Set([...template.dimensions, ...template.metrics].map((f) => f.name));
  for (const name of [...selection.dimensions, ...selection.metrics]) {
    if (!known.has(name)) throw invalid(`${template.id} has no field ${name}`);
  }
  const dimensions = new Set(selection.dimensions);
  const metrics = new Set(selection.metrics);
  const columns: PlannedColumn[] = [
    ...template.dimensions
      .filter((f) => dimensions.has(f.name))
      .map((f) => ({ name: f.name, type: f.type, field: f.name, kind: 'dimension' as const })),
    ...template.metrics
      .filter((f) => metrics.has(f.name))
      .map((f) => ({ name: f.name, type: f.type, field: f.name, kind: 'metric' as const })),
  ];
  // The level's id is always a report dimension, selected or not: without it TikTok would sum the level away.
  const reportDimensions = [...shape.reportDimensions, DAY_DIMENSION];
  const reportMetrics = [
    ...columns.filter((c) => c.kind === 'metric').map((c) => c.field),
    ...columns
      .filter((c) => c.kind === 'dimension' && !reportDimensions.includes(c.field))
      .map((c) => c.field),
  ];
  if (reportMetrics.length === 0) throw invalid('select at least one metric');
  return { template, shape, columns, reportDimensions, reportMetrics };
}

/** The destination columns of a plan: `date` first, then the selection in template order. */
export function planColumns(plan: ReportPlan): ColumnSpec[] {
  return [{ name: 'date', type: 'date' }, ...plan.columns.map(({ name, type }) => ({ name, type }))];
}

/** Inclusive days between two `YYYY-MM-DD` dates, checked against TikTok's 30-day limit for daily reports. */
export function windowDays(from: string, to: string): number {
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !Number.isInteger(days) || days < 1) {
    throw invalid(`invalid date window ${from}..${to}`);
  }
  if (days > MAX_WINDOW_DAYS) {
    throw invalid(`a daily report covers at most ${MAX_WINDOW_DAYS} days (asked for ${days})`);
  }
  return days;
}

/** The query of one report page; arrays are JSON-encoded, as TikTok reads them from the query string. */
export function reportParams(
  plan: ReportPlan,
  advertiserId: string,
  window: { from: string; to: string },
  page: number,
): Record<string, string> {
  return {
    advertiser_id: advertiserId,
    report_type: plan.shape.reportType,
    data_level: plan.shape.dataLevel,
    dimensions: JSON.stringify(plan.reportDimensions),
    metrics: JSON.stringify(plan.reportMetrics),
    start_date: window.from,
    end_date: window.to,
    page: String(page),
    page_size: String(REPORT_PAGE_SIZE),
  };
}
