/**
 * Small converters from driver values to domain values, shared by the repositories (the two
 * drivers return dates and numbers slightly differently).
 */
import type { Row } from './db.ts';

/** A timestamptz (or null) as a Date. */
export function dateOrNull(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(String(value));
}

/** A `date` column as `YYYY-MM-DD` (both drivers are set to return dates as text; see db.ts). */
export function isoDay(value: unknown): string {
  return String(value).slice(0, 10);
}

export function isoDayOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : isoDay(value);
}

/** A jsonb value as T: both drivers already parse jsonb (a JSON string arrives as a JS string). */
export function json<T>(value: unknown): T {
  return value as T;
}

export function text(row: Row, key: string): string {
  return String(row[key]);
}
