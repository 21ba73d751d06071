/**
 * Turns a report request into an Ads Insights query: the destination columns, the Graph `fields` and
 * `breakdowns` they need, the encoded parameters (identical for the sync GET and the async POST), and the rule
 * that decides between a synchronous read and an async report run. Pure: no provider call.
 */
import { TributaryError } from '../../domain/errors.ts';
import type { ColumnSpec, FieldType, ReportRequest, Template } from '../kit/types.ts';
import { type ActionMetricRef, columnName, parseActionMetric } from './template-fields.ts';
import {
  ACTION_REPORT_TIME_OPTIONS,
  ATTRIBUTION_WINDOW_OPTIONS,
  DEFAULT_ACTION_REPORT_TIME,
  DEFAULT_ATTRIBUTION_WINDOWS,
  findMetaTemplate,
  isBreakdown,
} from './templates.ts';

/** What `columns()` receives: a request without account and dates. */
export type Selection = Omit<ReportRequest, 'account' | 'from' | 'to'>;

/** One selected column and where its value comes from in an insights row. */
export interface PlannedColumn {
  /** Destination column name. */
  name: string;
  type: FieldType;
  /** The template field name (`spend`, `age`, `actions:purchase`). */
  field: string;
  kind: 'dimension' | 'metric';
  /** Set for action metrics: the Graph list and the action type to pick from it. */
  action: ActionMetricRef | null;
}

/** A validated selection, ready to encode. */
export interface InsightsPlan {
  template: Template;
  level: string;
  /** Selected columns in table order (without `date`). */
  columns: PlannedColumn[];
  /** Graph `fields`: plain fields, then the action lists that selected action metrics need. */
  graphFields: string[];
  /** Graph `breakdowns`, in template order. */
  breakdowns: string[];
  attributionWindows: string[];
  actionReportTime: string;
}

/** Rows per page asked for: Graph's usual ceiling for insights, so a month of campaigns is a page or two. */
export const INSIGHTS_PAGE_LIMIT = 500;

function invalid(message: string): TributaryError {
  return new TributaryError('validation_failed', `Meta Ads: ${message}`);
}

function readSettings(settings: Selection['settings']): { windows: string[]; reportTime: string } {
  const rawWindows = settings.attribution_windows ?? DEFAULT_ATTRIBUTION_WINDOWS;
  const windows = typeof rawWindows === 'string' ? [rawWindows] : rawWindows;
  if (
    !Array.isArray(windows) ||
    windows.length === 0 ||
    windows.some((w) => !ATTRIBUTION_WINDOW_OPTIONS.includes(w))
  ) {
    throw invalid(
      `attribution_windows must be a non-empty subset of ${ATTRIBUTION_WINDOW_OPTIONS.join(', ')}`,
    );
  }
  const reportTime = settings.action_report_time ?? DEFAULT_ACTION_REPORT_TIME;
  if (typeof reportTime !== 'string' || !ACTION_REPORT_TIME_OPTIONS.includes(reportTime)) {
    throw invalid(`action_report_time must be one of ${ACTION_REPORT_TIME_OPTIONS.join(', ')}`);
  }
  // Option order, not click order: the same choice must produce the same query (and the same load parameters).
  return { windows: ATTRIBUTION_WINDOW_OPTIONS.filter((w) => windows.includes(w)), reportTime };
}

/** Validates a selection against our own template definition and plans its query. */
export function planInsights(selection: Selection): InsightsPlan {
  const template = findMetaTemplate(selection.template.id);
  if (!template) throw invalid(`unknown template ${selection.template.id}`);
  const known = new Set([...template.dimensions, ...template.metrics].map((f) => f.name));
  for (const name of [...selection.dimensions, ...selection.metrics]) {
    if (!known.has(name)) throw invalid(`${template.id} has no field ${name}`);
  }
  const dimensions = new Set(selection.dimensions);
  const metrics = new Set(selection.metrics);
  const columns: PlannedColumn[] = [
    ...template.dimensions
      .filter((f) => dimensions.has(f.name))
      .map((f) => ({
        name: columnName(f.name),
        type: f.type,
        field: f.name,
        kind: 'dimension' as const,
        action: null,
      })),
    ...template.metrics
      .filter((f) => metrics.has(f.name))
      .map((f) => ({
        name: columnName(f.name),
        type: f.type,
        field: f.name,
        kind: 'metric' as const,
        action: parseActionMetric(f.name),
      })),
  ];
  const graphFields: string[] = [];
  const breakdowns: string[] = [];
  for (const column of columns) {
    if (column.kind === 'dimension' && isBreakdown(column.field)) breakdowns.push(column.field);
    else graphFields.push(column.action ? column.action.list : column.field);
  }
  const { windows, reportTime } = readSettings(selection.settings);
  return {
    template,
    level: template.level,
    columns,
    graphFields: [...new Set(graphFields)],
    breakdowns,
    attributionWindows: windows,
    actionReportTime: reportTime,
  };
}

/** The destination columns of a plan: `date` first, then the selection in template order. */
export function planColumns(plan: InsightsPlan): ColumnSpec[] {
  return [{ name: 'date', type: 'date' }, ...plan.columns.map(({ name, type }) => ({ name, type }))];
}

/**
 * The insights parameters as Graph takes them in a query string or a form body: lists comma-joined, the
 * attribution windows as a JSON array and the time range as a JSON object (the SDKs' encoding). `limit` is
 * left to the caller because the async POST has no pages.
 */
export function insightsParams(plan: InsightsPlan, from: string, to: string): Record<string, string> {
  const params: Record<string, string> = {
    level: plan.level,
    fields: plan.graphFields.join(','),
  };
  if (plan.breakdowns.length > 0) params.breakdowns = plan.breakdowns.join(',');
  params.action_breakdowns = 'action_type';
  params.action_attribution_windows = JSON.stringify(plan.attributionWindows);
  params.action_report_time = plan.actionReportTime;
  params.time_range = JSON.stringify({ since: from, until: to });
  params.time_increment = '1';
  return params;
}

/** Inclusive days between two `YYYY-MM-DD` dates. */
export function windowDays(from: string, to: string): number {
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (!Number.isInteger(days) || days < 1) throw invalid(`invalid date window ${from}..${to}`);
  return days;
}

/** Longest window read synchronously below account level. */
export const SYNC_MAX_WINDOW_DAYS = 7;

/**
 * Sync or async. Meta answers big synchronous insights queries with code 1 "reduce the amount of data" or a
 * timeout, so the async report run is used up front for the queries that are big by construction: ad level,
 * any breakdown, or more than a week below account level. Account level (one row per day) stays synchronous.
 * Everything else starts synchronous and falls back to async when Meta asks for less data.
 */
export function shouldUseAsync(plan: InsightsPlan, from: string, to: string): boolean {
  if (plan.level === 'ad' || plan.breakdowns.length > 0) return true;
  return plan.level !== 'account' && windowDays(from, to) > SYNC_MAX_WINDOW_DAYS;
}
