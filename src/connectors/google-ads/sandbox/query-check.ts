/**
 * Checks a parsed query against the sandbox's field catalog the way Google does (unknown fields, fields
 * the FROM resource cannot select, bad enum constants and dates, metrics of a manager account, a date
 * segment without a finite date range) and works out the date range its conditions allow.
 */
import { addMonths, type LocalClock, monthStart, parseDay } from '../../../sandbox/calendar.ts';
import { FIELDS, type FieldSpec, fieldProblem, RESOURCES, type ResourceSpec } from './gaql-fields.ts';
import { type Condition, GaqlError, type GaqlQuery, type Literal } from './gaql-parser.ts';
import type { SeedCustomer } from './seed.ts';

/** A query whose fields all exist and fit its FROM resource. */
export interface CheckedQuery {
  query: GaqlQuery;
  resource: ResourceSpec;
  select: FieldSpec[];
  where: { field: FieldSpec; condition: Condition }[];
  orderBy: { field: FieldSpec; descending: boolean }[];
  /** Metrics appear in SELECT or WHERE. */
  needsMetrics: boolean;
  /** Inclusive day numbers the date conditions allow (open ends undefined). */
  from?: number | undefined;
  to?: number | undefined;
}

function lookup(name: string, resource: ResourceSpec, prohibited: string | undefined): FieldSpec {
  const field = FIELDS.get(name);
  if (!field) throw new GaqlError('UNRECOGNIZED_FIELD', `Unrecognized field in the query: '${name}'.`, name);
  const problem = fieldProblem(field, resource);
  if (problem) {
    throw new GaqlError(
      prohibited ?? problem,
      `Field '${name}' cannot be used with the resource in the FROM clause.`,
      name,
    );
  }
  return field;
}

function checkLiteral(field: FieldSpec, literal: Literal): void {
  if (field.type === 'enum' && !field.enumValues!.includes(literal.text)) {
    throw new GaqlError(
      'BAD_ENUM_CONSTANT',
      `Invalid enum constant '${literal.text}' for ${field.name}.`,
      literal.text,
    );
  }
  if (field.type === 'date' && (literal.kind !== 'string' || parseDay(literal.text) === undefined)) {
    throw new GaqlError(
      'INVALID_DATE_FORMAT',
      `Invalid date '${literal.text}'; use 'YYYY-MM-DD'.`,
      literal.text,
    );
  }
  if (
    (field.type === 'int64' || field.type === 'double') &&
    literal.kind === 'string' &&
    Number.isNaN(Number(literal.text))
  ) {
    throw new GaqlError('BAD_NUMBER', `Invalid number '${literal.text}' for ${field.name}.`, literal.text);
  }
  if (field.type === 'bool' && !/^(TRUE|FALSE)$/i.test(literal.text)) {
    throw new GaqlError('BAD_VALUE', `Invalid boolean '${literal.text}' for ${field.name}.`, literal.text);
  }
}

/** The inclusive day range of a `DURING` constant, relative to the account's today. */
function duringRange(range: string, clock: LocalClock): [number, number] {
  const today = clock.today;
  const ranges: Record<string, [number, number]> = {
    TODAY: [today, today],
    YESTERDAY: [today - 1, today - 1],
    LAST_7_DAYS: [today - 7, today - 1],
    LAST_14_DAYS: [today - 14, today - 1],
    LAST_30_DAYS: [today - 30, today - 1],
    THIS_MONTH: [monthStart(today), today],
    LAST_MONTH: [monthStart(addMonths(today, -1)), monthStart(today) - 1],
  };
  const found = ranges[range];
  if (!found)
    throw new GaqlError('INVALID_VALUE_WITH_DURING_OPERATOR', `Invalid value with DURING: ${range}.`, range);
  return found;
}

/** The [low, high] day bounds one date condition sets (undefined: unbounded on that side). */
function bounds(condition: Condition, clock: LocalClock): [number | undefined, number | undefined] {
  const day = (literal: Literal) => parseDay(literal.text)!;
  switch (condition.op) {
    case 'BETWEEN': {
      const [low, high] = [day(condition.low), day(condition.high)];
      if (low > high) {
        throw new GaqlError(
          'INVALID_VALUE_WITH_BETWEEN_OPERATOR',
          'The first BETWEEN date is after the second.',
        );
      }
      return [low, high];
    }
    case 'DURING':
      return duringRange(condition.range, clock);
    case 'IN': {
      const days = condition.values.map(day);
      return [Math.min(...days), Math.max(...days)];
    }
    case 'NOT IN':
    case '!=':
      return [undefined, undefined];
    case '=':
      return [day(condition.value), day(condition.value)];
    case '>=':
      return [day(condition.value), undefined];
    case '>':
      return [day(condition.value) + 1, undefined];
    case '<=':
      return [undefined, day(condition.value)];
    case '<':
      return [undefined, day(condition.value) - 1];
  }
}

/** The literals a condition compares with. */
function literalsOf(condition: Condition): Literal[] {
  switch (condition.op) {
    case 'IN':
    case 'NOT IN':
      return condition.values;
    case 'BETWEEN':
      return [condition.low, condition.high];
    case 'DURING':
      return [];
    default:
      return [condition.value];
  }
}

/** Checks a parsed query for `customer` as of `clock`; throws {@link GaqlError} as Google would. */
export function checkQuery(query: GaqlQuery, customer: SeedCustomer, clock: LocalClock): CheckedQuery {
  const resource = RESOURCES.get(query.from);
  if (!resource) {
    throw new GaqlError(
      'BAD_RESOURCE_TYPE_IN_FROM_CLAUSE',
      `Invalid resource in the FROM clause: '${query.from}'.`,
      query.from,
    );
  }
  const select = query.select.map((name) => lookup(name, resource, undefined));
  const where = query.where.map((condition) => {
    const field = lookup(condition.field, resource, undefined);
    if (condition.op === 'DURING' && field.type !== 'date') {
      throw new GaqlError(
        'OPERATOR_FIELD_MISMATCH',
        `DURING applies to dates only, not ${field.name}.`,
        field.name,
      );
    }
    for (const literal of literalsOf(condition)) checkLiteral(field, literal);
    return { field, condition };
  });
  const orderBy = query.orderBy.map((entry) => ({
    field: lookup(entry.field, resource, 'PROHIBITED_FIELD_IN_ORDER_BY_CLAUSE'),
    descending: entry.descending,
  }));
  const needsMetrics = [...select, ...where.map((entry) => entry.field)].some(
    (field) => field.kind === 'metric',
  );
  if (needsMetrics && customer.manager) {
    throw new GaqlError(
      'REQUESTED_METRICS_FOR_MANAGER',
      'Metrics cannot be requested for a manager account. To retrieve metrics, issue separate requests against each client account under the manager account.',
    );
  }
  const checked: CheckedQuery = { query, resource, select, where, orderBy, needsMetrics };
  for (const entry of where) {
    if (entry.field.name !== 'segments.date') continue;
    const [low, high] = bounds(entry.condition, clock);
    if (low !== undefined) checked.from = checked.from === undefined ? low : Math.max(checked.from, low);
    if (high !== undefined) checked.to = checked.to === undefined ? high : Math.min(checked.to, high);
  }
  const datesSelected = select.some((field) => field.name === 'segments.date');
  if (datesSelected && (checked.from === undefined || checked.to === undefined)) {
    throw new GaqlError(
      'EXPECTED_FILTERS_ON_DATE_RANGE',
      'A finite date range must be specified in the WHERE clause when segments.date is selected.',
    );
  }
  return checked;
}
