/**
 * Turns a report request into a Google Ads Query Language query for `googleAds:searchStream`:
 * `SELECT <fields> FROM <resource> WHERE segments.date BETWEEN 'from' AND 'to'` — the pattern Google documents
 * for daily reports. Fields are the selected columns' GAQL names plus `segments.date`. Pure: no provider call.
 */
import { TributaryError } from '../../domain/errors.ts';
import type { ColumnSpec, ReportRequest, Template } from '../kit/types.ts';
import { DATE_FIELD, type GoogleAdsField, googleAdsField } from './schema.ts';
import { findGoogleAdsTemplate, type GoogleAdsQueryShape, queryShape } from './templates.ts';

/** What `columns()` receives: a request without account and dates. */
export type Selection = Omit<ReportRequest, 'account' | 'from' | 'to'>;

/** A validated selection, ready to query. */
export interface ReportPlan {
  template: Template;
  shape: GoogleAdsQueryShape;
  /** Selected fields in table order (dimensions, then metrics; without `date`). */
  fields: GoogleAdsField[];
}

function invalid(message: string): TributaryError {
  return new TributaryError('validation_failed', `Google Ads: ${message}`);
}

/** Validates a selection against our own template definition and plans its query. */
export function planReport(selection: Selection): ReportPlan {
  const template = findGoogleAdsTemplate(selection.template.id);
  const shape = template && queryShape(template.id);
  if (!template || !shape) throw invalid(`unknown template ${selection.template.id}`);
  const dimensions = new Set(selection.dimensions);
  const metrics = new Set(selection.metrics);
  for (const name of dimensions) {
    if (!template.dimensions.some((spec) => spec.name === name))
      throw invalid(`${template.id} has no dimension ${name}`);
  }
  for (const name of metrics) {
    if (!template.metrics.some((spec) => spec.name === name))
      throw invalid(`${template.id} has no metric ${name}`);
  }
  // A selection without metrics would come back empty: Google returns no rows for attributes and segments alone.
  if (metrics.size === 0) throw invalid('select at least one metric');
  const fields = [
    ...template.dimensions.filter((spec) => dimensions.has(spec.name)),
    ...template.metrics.filter((spec) => metrics.has(spec.name)),
  ].map((spec) => googleAdsField(spec.name));
  return { template, shape, fields };
}

/** The destination columns of a plan: `date` first, then the selection in template order. */
export function planColumns(plan: ReportPlan): ColumnSpec[] {
  return [
    { name: 'date', type: 'date' },
    ...plan.fields.map(({ spec }) => ({ name: spec.name, type: spec.type })),
  ];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Checks a `YYYY-MM-DD` window and that it fits the template's widest window. */
export function checkWindow(template: Template, from: string, to: string): void {
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (!DAY.test(from) || !DAY.test(to) || !Number.isInteger(days) || days < 1) {
    throw invalid(`invalid date window ${from}..${to}`);
  }
  if (days > template.maxWindowDays) {
    throw invalid(`${template.id} reads at most ${template.maxWindowDays} days at once (asked for ${days})`);
  }
}

/**
 * The GAQL of one read. Dates are validated digits, so nothing user-provided reaches the query unquoted; field
 * and resource names come from our own tables.
 */
export function buildQuery(
  resource: string,
  fields: readonly GoogleAdsField[],
  window: { from: string; to: string },
): string {
  const selected = [...new Set([...fields.map((entry) => entry.gaql), DATE_FIELD.gaql])];
  return `SELECT ${selected.join(', ')} FROM ${resource} WHERE segments.date BETWEEN '${window.from}' AND '${window.to}'`;
}
