/**
 * Reading a `googleAds:searchStream` answer: a JSON array of batches `{results[], fieldMask, requestId,
 * queryResourceConsumption}` (one HTTP response, no paging; each batch up to 10,000 rows). Rows are `GoogleAdsRow`
 * objects in proto3 JSON: lowerCamelCase, int64 as strings, doubles as numbers, money in micros, zero values
 * omitted. Each row becomes typed cells keyed by column name, holding the selected columns and `date`.
 */
import type { CellValue } from '../kit/types.ts';
import { malformed } from './ads-api.ts';
import { DATE_FIELD, type GoogleAdsField } from './schema.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The rows of each batch of a stream body; anything but an array of batch objects is malformed. */
export function parseStreamBatches(body: unknown, label: string): Record<string, unknown>[][] {
  if (!Array.isArray(body)) throw malformed(label, 'a body that is not an array of batches');
  return body.map((batch) => {
    if (!isRecord(batch)) throw malformed(label, 'a batch that is not an object');
    // An empty batch has no `results` at all (proto3 omits empty lists).
    const results = batch.results ?? [];
    if (!Array.isArray(results)) throw malformed(label, 'a batch whose results are not a list');
    return results.map((row) => {
      if (!isRecord(row)) throw malformed(label, 'a row that is not an object');
      return row;
    });
  });
}

/** The value at a JSON path of a row (`['metrics', 'costMicros']`), or undefined. */
function valueAt(row: Record<string, unknown>, path: readonly string[]): unknown {
  let value: unknown = row;
  for (const key of path) {
    if (!isRecord(value)) return undefined;
    value = value[key];
  }
  return value;
}

/** Removes binary noise of a scaled double (0.0423 × 100 = 4.2299999999999995 → 4.23). */
function tidy(value: number): number {
  return Number(value.toPrecision(15));
}

function int64(value: unknown, column: string, label: string): number {
  // Proto3 omits zero: an absent metric is 0, not unknown.
  if (value === undefined || value === null) return 0;
  const number = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number)) {
    throw malformed(label, `a non-integer ${column} (${JSON.stringify(value)})`);
  }
  if (!Number.isSafeInteger(number)) throw malformed(label, `a ${column} too large to read exactly`);
  return number;
}

function double(value: unknown, column: string, label: string): number {
  if (value === undefined || value === null) return 0;
  // Doubles are JSON numbers; "NaN"/"Infinity" strings are valid proto3 JSON but no usable figure.
  const number =
    typeof value === 'string' && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number)) {
    throw malformed(label, `a non-numeric ${column} (${JSON.stringify(value)})`);
  }
  return number;
}

function text(value: unknown, column: string, label: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'boolean') return String(value);
  throw malformed(label, `a ${column} that is not text (${JSON.stringify(value)})`);
}

/** One wire value as its column's cell. */
export function cellOf(field: GoogleAdsField, row: Record<string, unknown>, label: string): CellValue {
  const value = valueAt(row, field.path);
  const column = field.gaql;
  switch (field.wire) {
    case 'text':
      return text(value, column, label);
    case 'int64':
      return int64(value, column, label);
    case 'micros':
      return int64(value, column, label) / 1_000_000;
    case 'double':
      return double(value, column, label);
    case 'double_micros':
      return tidy(double(value, column, label) / 1_000_000);
    case 'ratio_percent':
      return tidy(double(value, column, label) * 100);
  }
}

/**
 * Converts one row. The day must lie inside the requested window: the destination replaces whole
 * (account, date) partitions, and a row for another day would land in a partition this read does not own.
 */
export function convertRow(
  row: Record<string, unknown>,
  fields: readonly GoogleAdsField[],
  window: { from: string; to: string },
  label: string,
): Record<string, CellValue> {
  const date = valueAt(row, DATE_FIELD.path);
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    throw malformed(label, `a row without a valid segments.date (${JSON.stringify(date)})`);
  }
  if (date < window.from || date > window.to) {
    throw malformed(label, `a row for ${date}, outside the requested ${window.from}..${window.to}`);
  }
  const cells: Record<string, CellValue> = { date };
  for (const field of fields) cells[field.spec.name] = cellOf(field, row, label);
  return cells;
}
