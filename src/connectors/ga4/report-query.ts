/**
 * Turns a report request into a Data API `runReport` body: the destination columns, the API names of the
 * dimensions (always `date` first) and metrics, the date range and the page (`offset`/`limit`). Pure: no provider
 * call.
 */
import { isIsoDay } from '../../domain/dates.ts';
import { TributaryError } from '../../domain/errors.ts';
import type { ColumnSpec, FieldType, ReportRequest, Template } from '../kit/types.ts';
import { DATE_FIELD, type Ga4Field, ga4Field } from './schema.ts';
import {
  findGa4Template,
  MAX_REQUEST_DIMENSIONS,
  MAX_REQUEST_METRICS,
  MAX_WINDOW_DAYS,
} from './templates.ts';

/** What `columns()` receives: a request without account and dates. */
export type Selection = Omit<ReportRequest, 'account' | 'from' | 'to'>;

/** Rows per page: the Data API's default `limit` (its maximum is 250,000; smaller pages cost fewer tokens each). */
export const REPORT_PAGE_SIZE = 10_000;

/** One selected column and the field it is read from. */
export interface PlannedColumn {
  name: string;
  type: FieldType;
  field: Ga4Field;
  kind: 'dimension' | 'metric';
}

/** A validated selection, ready to encode. */
export interface ReportPlan {
  template: Template;
  /** Selected columns in table order (without `date`). */
  columns: PlannedColumn[];
  /** Data API names of the request's dimensions: `date`, then the selected ones. */
  apiDimensions: string[];
  /** Data API names of the request's metrics. */
  apiMetrics: string[];
}

function invalid(message: string): TributaryError {
  return new TributaryError('validation_failed', `Google Analytics 4: ${message}`);
}

/** Validates a selection against our own template definition and plans its request. */
export function planReport(selection: Selection): ReportPlan {
  const template = findGa4Template(selection.template.id);
  if (!template) throw invalid(`unknown template ${selection.template.id}`);
  const dimensionNames = new Set(template.dimensions.map((field) => field.name));
  const metricNames = new Set(template.metrics.map((field) => field.name));
  for (const name of selection.dimensions) {
    if (!dimensionNames.has(name)) throw invalid(`${template.id} has no dimension ${name}`);
  }
  for (const name of selection.metrics) {
    if (!metricNames.has(name)) throw invalid(`${template.id} has no metric ${name}`);
  }
  const dimensions = new Set(selection.dimensions);
  const metrics = new Set(selection.metrics);
  const columns: PlannedColumn[] = [
    ...template.dimensions
      .filter((spec) => dimensions.has(spec.name))
      .map((spec) => ({
        name: spec.name,
        type: spec.type,
        field: ga4Field(spec.name),
        kind: 'dimension' as const,
      })),
    ...template.metrics
      .filter((spec) => metrics.has(spec.name))
      .map((spec) => ({
        name: spec.name,
        type: spec.type,
        field: ga4Field(spec.name),
        kind: 'metric' as const,
      })),
  ];
  const apiDimensions = [
    DATE_FIELD.apiName,
    ...columns.filter((column) => column.kind === 'dimension').map((column) => column.field.apiName),
  ];
  const apiMetrics = columns
    .filter((column) => column.kind === 'metric')
    .map((column) => column.field.apiName);
  if (apiMetrics.length === 0) throw invalid('select at least one metric');
  if (apiDimensions.length > MAX_REQUEST_DIMENSIONS || apiMetrics.length > MAX_REQUEST_METRICS) {
    throw invalid(
      `one report takes at most ${MAX_REQUEST_DIMENSIONS} dimensions (date included) and ${MAX_REQUEST_METRICS} metrics`,
    );
  }
  return { template, columns, apiDimensions, apiMetrics };
}

/** The destination columns of a plan: `date` first, then the selection in template order. */
export function planColumns(plan: ReportPlan): ColumnSpec[] {
  return [{ name: 'date', type: 'date' }, ...plan.columns.map(({ name, type }) => ({ name, type }))];
}

/** Inclusive days of a window, checked (real dates, in order, at most {@link MAX_WINDOW_DAYS}). */
export function windowDays(from: string, to: string): number {
  if (!isIsoDay(from) || !isIsoDay(to) || to < from) throw invalid(`invalid date window ${from}..${to}`);
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (days > MAX_WINDOW_DAYS)
    throw invalid(`one read covers at most ${MAX_WINDOW_DAYS} days (asked for ${days})`);
  return days;
}

/**
 * The `runReport` body of one page. Rows are ordered by every dimension so that `offset` paging walks one fixed
 * order (without `orderBys` Google promises none); the property quota comes back with each page.
 */
export function runReportBody(
  plan: ReportPlan,
  window: { from: string; to: string },
  offset: number,
  limit: number = REPORT_PAGE_SIZE,
): Record<string, unknown> {
  return {
    dateRanges: [{ startDate: window.from, endDate: window.to }],
    dimensions: plan.apiDimensions.map((name) => ({ name })),
    metrics: plan.apiMetrics.map((name) => ({ name })),
    orderBys: plan.apiDimensions.map((name) => ({ dimension: { dimensionName: name } })),
    offset,
    limit,
    returnPropertyQuota: true,
  };
}
