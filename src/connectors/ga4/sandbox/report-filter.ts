/**
 * `FilterExpression` evaluation: `andGroup`, `orGroup`, `notExpression` and `filter` with `stringFilter`,
 * `inListFilter`, `numericFilter`, `betweenFilter` and `emptyFilter`. Dimension filters run on the unaggregated
 * cells (any served dimension may be filtered on); metric filters run on the aggregated rows, like SQL HAVING.
 */

import { BadRequest } from './report-request.ts';
import { dimensionSpec } from './report-schema.ts';

/** Values a filter reads: dimension values (strings) or metric values (numbers) by name. */
export type FieldValues = (name: string) => string | number | undefined;

type Json = Record<string, unknown>;

function asObject(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new BadRequest(`${path} must be an object.`);
  return value as Json;
}

function numberOf(value: unknown, path: string): number {
  const object = asObject(value, path);
  const raw = object.int64Value ?? object.doubleValue;
  const number = typeof raw === 'string' ? Number(raw) : raw;
  if (typeof number !== 'number' || Number.isNaN(number))
    throw new BadRequest(`${path} needs int64Value or doubleValue.`);
  return number;
}

function stringMatch(filter: Json, value: string, path: string): boolean {
  const expected = typeof filter.value === 'string' ? filter.value : '';
  const caseSensitive = filter.caseSensitive === true;
  const [actual, wanted] = caseSensitive ? [value, expected] : [value.toLowerCase(), expected.toLowerCase()];
  switch (filter.matchType ?? 'EXACT') {
    case 'EXACT':
      return actual === wanted;
    case 'BEGINS_WITH':
      return actual.startsWith(wanted);
    case 'ENDS_WITH':
      return actual.endsWith(wanted);
    case 'CONTAINS':
      return actual.includes(wanted);
    case 'FULL_REGEXP':
    case 'PARTIAL_REGEXP': {
      let pattern: RegExp;
      try {
        const source = filter.matchType === 'FULL_REGEXP' ? `^(?:${expected})$` : expected;
        pattern = new RegExp(source, caseSensitive ? '' : 'i');
      } catch {
        throw new BadRequest(`${path}.value is not a valid regular expression.`);
      }
      return pattern.test(value);
    }
    default:
      throw new BadRequest(`${path}.matchType ${String(filter.matchType)} is not valid.`);
  }
}

function numericMatch(filter: Json, value: number, path: string): boolean {
  const wanted = numberOf(filter.value, `${path}.value`);
  switch (filter.operation) {
    case 'EQUAL':
      return value === wanted;
    case 'LESS_THAN':
      return value < wanted;
    case 'LESS_THAN_OR_EQUAL':
      return value <= wanted;
    case 'GREATER_THAN':
      return value > wanted;
    case 'GREATER_THAN_OR_EQUAL':
      return value >= wanted;
    default:
      throw new BadRequest(`${path}.operation ${String(filter.operation)} is not valid.`);
  }
}

function leaf(filter: Json, values: FieldValues, path: string, kind: 'dimension' | 'metric'): boolean {
  const name = filter.fieldName;
  if (typeof name !== 'string' || name === '') throw new BadRequest(`${path}.fieldName is required.`);
  const value = values(name);
  if (value === undefined) {
    const known = kind === 'dimension' ? dimensionSpec(name) !== undefined : false;
    throw new BadRequest(
      known || kind === 'dimension'
        ? `Field ${name} is not a valid dimension for a dimension filter.`
        : `Field ${name} in the metric filter must be one of the request's metrics.`,
    );
  }
  const text = String(value);
  if (filter.stringFilter !== undefined)
    return stringMatch(asObject(filter.stringFilter, `${path}.stringFilter`), text, path);
  if (filter.inListFilter !== undefined) {
    const inList = asObject(filter.inListFilter, `${path}.inListFilter`);
    const options = Array.isArray(inList.values) ? inList.values.map(String) : [];
    return inList.caseSensitive === true
      ? options.includes(text)
      : options.some((option) => option.toLowerCase() === text.toLowerCase());
  }
  if (filter.emptyFilter !== undefined) return text === '' || text === '(not set)';
  if (filter.numericFilter !== undefined) {
    return numericMatch(asObject(filter.numericFilter, `${path}.numericFilter`), Number(value), path);
  }
  if (filter.betweenFilter !== undefined) {
    const between = asObject(filter.betweenFilter, `${path}.betweenFilter`);
    const number = Number(value);
    return (
      number >= numberOf(between.fromValue, `${path}.fromValue`) &&
      number <= numberOf(between.toValue, `${path}.toValue`)
    );
  }
  throw new BadRequest(
    `${path} needs one of stringFilter, inListFilter, numericFilter, betweenFilter, emptyFilter.`,
  );
}

/** True when `values` pass `expression`; throws {@link BadRequest} for an invalid expression. */
export function passes(
  expression: unknown,
  values: FieldValues,
  kind: 'dimension' | 'metric',
  path = kind === 'dimension' ? 'dimensionFilter' : 'metricFilter',
): boolean {
  const node = asObject(expression, path);
  const group = (key: 'andGroup' | 'orGroup') => {
    const expressions = asObject(node[key], `${path}.${key}`).expressions;
    return Array.isArray(expressions) ? expressions : [];
  };
  if (node.andGroup !== undefined) {
    return group('andGroup').every((child, index) =>
      passes(child, values, kind, `${path}.andGroup.expressions[${index}]`),
    );
  }
  if (node.orGroup !== undefined) {
    return group('orGroup').some((child, index) =>
      passes(child, values, kind, `${path}.orGroup.expressions[${index}]`),
    );
  }
  if (node.notExpression !== undefined)
    return !passes(node.notExpression, values, kind, `${path}.notExpression`);
  if (node.filter !== undefined)
    return leaf(asObject(node.filter, `${path}.filter`), values, `${path}.filter`, kind);
  throw new BadRequest(`${path} needs one of andGroup, orGroup, notExpression, filter.`);
}
