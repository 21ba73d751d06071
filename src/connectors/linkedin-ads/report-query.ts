/**
 * Turns a report request into `adAnalytics` queries: the destination columns, where each dimension comes from
 * (the pivot URN, or an entity finder), the `fields` chunks (LinkedIn refuses more than 20 fields per request, and
 * `dateRange` and `pivotValues` are two of them, so each chunk carries at most 18 metrics and the chunks are joined
 * on pivot value and day), and the Rest.li-encoded query. Pure: no provider call.
 */
import { TributaryError } from '../../domain/errors.ts';
import type { ColumnSpec, FieldType, ReportRequest, Template } from '../kit/types.ts';
import type { AnalyticsWindow } from './report-windows.ts';
import type { LinkedInSettings } from './rest-api.ts';
import { restliDateRange, restliList, restliQuery, urn } from './restli.ts';
import { METRIC_WIRE } from './schema.ts';
import { type EntityKind, findLinkedInTemplate, type LinkedInQueryShape, queryShape } from './templates.ts';

/** What `columns()` receives: a request without account and dates. */
export type Selection = Omit<ReportRequest, 'account' | 'from' | 'to'>;

/** LinkedIn's limit on `fields` per `adAnalytics` request. */
export const MAX_FIELDS_PER_REQUEST = 20;
/** Fields every request carries: the join keys of the chunks and the row's day. */
export const KEY_FIELDS = ['dateRange', 'pivotValues'] as const;
/** Metrics per request once the key fields are in. */
export const METRICS_PER_REQUEST = MAX_FIELDS_PER_REQUEST - KEY_FIELDS.length;

/** Which attribute of which entity a dimension shows. */
export interface DimensionSource {
  kind: EntityKind;
  attribute: 'id' | 'name' | 'status' | 'type' | 'costType';
}

/** Where each dimension column is read from. */
const DIMENSION_SOURCES: Readonly<Record<string, DimensionSource>> = {
  campaign_group_id: { kind: 'campaignGroup', attribute: 'id' },
  campaign_group_name: { kind: 'campaignGroup', attribute: 'name' },
  campaign_group_status: { kind: 'campaignGroup', attribute: 'status' },
  campaign_id: { kind: 'campaign', attribute: 'id' },
  campaign_name: { kind: 'campaign', attribute: 'name' },
  campaign_status: { kind: 'campaign', attribute: 'status' },
  campaign_type: { kind: 'campaign', attribute: 'type' },
  cost_type: { kind: 'campaign', attribute: 'costType' },
  creative_id: { kind: 'creative', attribute: 'id' },
  creative_name: { kind: 'creative', attribute: 'name' },
  creative_status: { kind: 'creative', attribute: 'status' },
};

/** The URN kind of each pivot's `pivotValues`. */
export const PIVOT_URN = {
  ACCOUNT: 'sponsoredAccount',
  CAMPAIGN_GROUP: 'sponsoredCampaignGroup',
  CAMPAIGN: 'sponsoredCampaign',
  CREATIVE: 'sponsoredCreative',
} as const;

/** The facet that restricts a pivot to a list of its own entities. */
const ENTITY_FACET: Readonly<Record<EntityKind, string>> = {
  campaignGroup: 'campaignGroups',
  campaign: 'campaigns',
  creative: 'creatives',
};

/** One selected column and how it is filled. */
export interface PlannedColumn {
  name: string;
  type: FieldType;
  kind: 'dimension' | 'metric';
  /** Dimensions: the entity attribute. */
  source?: DimensionSource;
  /** Metrics: the `adAnalytics` field. */
  field?: string;
}

/** A validated selection, ready to query. */
export interface ReportPlan {
  template: Template;
  shape: LinkedInQueryShape;
  /** Selected columns in table order (without `date`). */
  columns: PlannedColumn[];
  /** `fields` of each request: the key fields, then at most 18 metrics. */
  fieldChunks: string[][];
  /** Entity finders to read: the pivot's (names and count), then parents whose names are selected. */
  finders: EntityKind[];
}

function invalid(message: string): TributaryError {
  return new TributaryError('validation_failed', `LinkedIn Ads: ${message}`);
}

/** Validates a selection against our own template definition and plans its queries. */
export function planReport(selection: Selection): ReportPlan {
  const template = findLinkedInTemplate(selection.template.id);
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
      .map((f) => ({
        name: f.name,
        type: f.type,
        kind: 'dimension' as const,
        source: DIMENSION_SOURCES[f.name]!,
      })),
    ...template.metrics
      .filter((f) => metrics.has(f.name))
      .map((f) => ({
        name: f.name,
        type: f.type,
        kind: 'metric' as const,
        field: METRIC_WIRE.find((wire) => wire.column === f.name)!.field,
      })),
  ];
  const fields = columns.filter((c) => c.kind === 'metric').map((c) => c.field!);
  if (fields.length === 0) throw invalid('select at least one metric');
  const fieldChunks: string[][] = [];
  for (let start = 0; start < fields.length; start += METRICS_PER_REQUEST) {
    fieldChunks.push([...KEY_FIELDS, ...fields.slice(start, start + METRICS_PER_REQUEST)]);
  }
  const finders: EntityKind[] = shape.entity ? [shape.entity] : [];
  for (const column of columns) {
    // Ids of the pivot entity and of its parent come from the pivot URN and the pivot's own finder.
    if (column.source && column.source.attribute !== 'id' && !finders.includes(column.source.kind)) {
      finders.push(column.source.kind);
    }
  }
  return { template, shape, columns, fieldChunks, finders };
}

/** The destination columns of a plan: `date` first, then the selection in template order. */
export function planColumns(plan: ReportPlan): ColumnSpec[] {
  return [{ name: 'date', type: 'date' }, ...plan.columns.map(({ name, type }) => ({ name, type }))];
}

/**
 * The URL of one `adAnalytics` request: `q=analytics`, the pivot, DAILY, the date range, the account facet (or,
 * when a day must be split by entity, the entity facet), and the fields of one chunk.
 */
export function analyticsUrl(
  settings: LinkedInSettings,
  plan: ReportPlan,
  accountId: string,
  window: AnalyticsWindow,
  fields: string[],
  entityIds: string[] | null,
): string {
  const params: [string, string][] = [
    ['q', 'analytics'],
    ['pivot', plan.shape.pivot],
    ['timeGranularity', 'DAILY'],
    ['dateRange', restliDateRange(window.from, window.to)],
  ];
  const entity = plan.shape.entity;
  if (entityIds !== null && entity !== null) {
    params.push([
      ENTITY_FACET[entity],
      restliList(entityIds.map((id) => urn(PIVOT_URN[plan.shape.pivot], id))),
    ]);
  } else {
    params.push(['accounts', restliList([urn('sponsoredAccount', accountId)])]);
  }
  params.push(['fields', fields.join(',')]);
  return `${settings.apiBase}/rest/adAnalytics?${restliQuery(params)}`;
}
