/**
 * Reading `adAnalytics` answers: `{"paging":{…},"elements":[{"pivotValues":["urn:li:sponsoredCampaign:1111"],
 * "dateRange":{"start":{"year","month","day"},"end":{…}},"impressions":19090,"costInUsd":"209.449",…}]}`. Elements
 * of the field chunks of one window are joined on (pivot value, day); rows become typed cells keyed by column,
 * with names and parents filled from the entity finders. Counts are JSON integers and money decimal strings.
 */
import type { CellValue, FieldType } from '../kit/types.ts';
import type { EntityInfo } from './entities.ts';
import type { ReportPlan } from './report-query.ts';
import { malformed, objectBody } from './rest-api.ts';
import { dayOfRecord, idOf } from './restli.ts';
import type { EntityKind } from './templates.ts';

/** One (pivot value, day) of a window, with the wire values of every chunk read so far. */
export interface JoinedElement {
  pivotId: string;
  date: string;
  values: Record<string, unknown>;
}

/** The entities of an account by kind, as the finders returned them. */
export type EntityDirectory = Partial<Record<EntityKind, Map<string, EntityInfo>>>;

/** The `elements` of an answer; a body without them (LinkedIn's or a proxy's error page with 200) is malformed. */
export function analyticsElements(body: unknown, label: string): Record<string, unknown>[] {
  const record = objectBody(body, label);
  if (!Array.isArray(record.elements))
    throw malformed(label, 'an analytics answer without an elements array');
  return record.elements.map((element) => {
    if (typeof element !== 'object' || element === null || Array.isArray(element)) {
      throw malformed(label, 'an analytics element that is not an object');
    }
    return element as Record<string, unknown>;
  });
}

/**
 * Adds the elements of one chunk to `joined`. Each element must name its pivot value and a day inside the window:
 * the destination replaces whole (account, date) partitions, and a row for another day would land in a partition
 * this read does not own.
 */
export function joinElements(
  joined: Map<string, JoinedElement>,
  elements: Record<string, unknown>[],
  window: { from: string; to: string },
  label: string,
): void {
  for (const element of elements) {
    const pivotValues = element.pivotValues;
    const pivotId = Array.isArray(pivotValues) ? idOf(pivotValues[0]) : null;
    if (pivotId === null) throw malformed(label, 'an element without a sponsored URN in pivotValues');
    const range = element.dateRange;
    const date =
      typeof range === 'object' && range !== null ? dayOfRecord((range as { start?: unknown }).start) : null;
    if (date === null) throw malformed(label, 'an element without a dateRange.start day');
    if (date < window.from || date > window.to) {
      throw malformed(label, `an element for ${date}, outside the requested ${window.from}..${window.to}`);
    }
    const key = `${pivotId}|${date}`;
    const entry = joined.get(key) ?? { pivotId, date, values: {} };
    for (const [field, value] of Object.entries(element)) {
      if (field !== 'pivotValues' && field !== 'dateRange') entry.values[field] = value;
    }
    joined.set(key, entry);
  }
}

const DECIMAL = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * A wire metric as the column type says. LinkedIn leaves out rows without delivery, so a metric missing from a
 * joined element (its chunk had no row for that entity and day) is zero.
 */
function toNumber(value: unknown, type: FieldType, field: string, label: string): number {
  if (value === undefined || value === null) return 0;
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && DECIMAL.test(value)
        ? Number(value)
        : NaN;
  if (!Number.isFinite(number)) throw malformed(label, `a non-numeric ${field} (${JSON.stringify(value)})`);
  // An integer column holding a fraction means we mistyped the field; failing beats silently rounding.
  if (type === 'integer' && !Number.isInteger(number)) {
    throw malformed(label, `a fractional value for the integer field ${field} (${JSON.stringify(value)})`);
  }
  return number;
}

/** The entity a dimension is about for one row: the pivot itself, or the pivot's parent (a creative's campaign). */
function entityIdFor(
  kind: EntityKind,
  pivotId: string,
  plan: ReportPlan,
  entities: EntityDirectory,
): string | null {
  const pivotKind = plan.shape.entity;
  if (kind === pivotKind) return pivotId;
  if (pivotKind === null) return null;
  return entities[pivotKind]?.get(pivotId)?.parentId ?? null;
}

/** Converts one joined element into the row of the plan's columns. */
export function convertElement(
  element: JoinedElement,
  plan: ReportPlan,
  entities: EntityDirectory,
  label: string,
): Record<string, CellValue> {
  const cells: Record<string, CellValue> = { date: element.date };
  for (const column of plan.columns) {
    if (column.kind === 'metric') {
      cells[column.name] = toNumber(element.values[column.field!], column.type, column.field!, label);
      continue;
    }
    const source = column.source!;
    const id = entityIdFor(source.kind, element.pivotId, plan, entities);
    if (source.attribute === 'id' || id === null) {
      cells[column.name] = id;
      continue;
    }
    // An entity the finder no longer lists (removed since it delivered) keeps its id and has no name.
    cells[column.name] = entities[source.kind]?.get(id)?.[source.attribute] ?? null;
  }
  return cells;
}

/** The rows of a window in a stable order: by day, then by pivot id. */
export function rowsOfWindow(
  joined: Map<string, JoinedElement>,
  plan: ReportPlan,
  entities: EntityDirectory,
  label: string,
): Record<string, CellValue>[] {
  return [...joined.values()]
    .sort(
      (a, b) => a.date.localeCompare(b.date) || a.pivotId.localeCompare(b.pivotId, 'en', { numeric: true }),
    )
    .map((element) => convertElement(element, plan, entities, label));
}
