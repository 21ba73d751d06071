/**
 * Rest.li 2.0 query syntax as LinkedIn's versioned API reads it: lists are `List(a,b)`, records
 * `(start:(year:2024,month:1,day:2))`, and the structural characters `( ) , :` travel unencoded while the values
 * inside (URNs above all: `urn%3Ali%3AsponsoredAccount%3A123`) are percent-encoded. `URLSearchParams` would encode
 * the structure too, which LinkedIn refuses, so these queries are assembled by hand.
 */

/** The kinds of sponsored entities whose URNs the connector reads or writes. */
export type UrnKind =
  | 'sponsoredAccount'
  | 'sponsoredCampaignGroup'
  | 'sponsoredCampaign'
  | 'sponsoredCreative';

/** `urn:li:<kind>:<id>`. */
export function urn(kind: UrnKind, id: string): string {
  return `urn:li:${kind}:${id}`;
}

/**
 * The numeric id of a sponsored URN (`urn:li:sponsoredCampaign:1111` → `1111`), or of a bare id (a JSON number
 * or digit string: campaign and group ids are longs, creative ids are URNs). Null for anything else.
 */
export function idOf(value: unknown): string | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? String(value) : null;
  if (typeof value !== 'string') return null;
  const match = /^(?:urn:li:[A-Za-z]+:)?(\d{1,30})$/.exec(value);
  return match ? match[1]! : null;
}

/** Encodes one value for use inside a Rest.li structure (everything but unreserved characters). */
export function restliValue(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `List(urn%3Ali%3A…,…)`. */
export function restliList(values: string[]): string {
  return `List(${values.map(restliValue).join(',')})`;
}

/** `(year:2024,month:1,day:2)` for a `YYYY-MM-DD` day. */
export function restliDate(day: string): string {
  const [year, month, date] = day.split('-').map(Number);
  return `(year:${year},month:${month},day:${date})`;
}

/** `(start:(…),end:(…))`: an inclusive day range. */
export function restliDateRange(from: string, to: string): string {
  return `(start:${restliDate(from)},end:${restliDate(to)})`;
}

/**
 * A query string from parameters whose values are already Rest.li-encoded (`List(…)`, records) or plain tokens;
 * plain values that need it (page tokens) are encoded by the caller with {@link restliValue}.
 */
export function restliQuery(params: [string, string][]): string {
  return params.map(([key, value]) => `${key}=${value}`).join('&');
}

/** A `{year, month, day}` record of a response (`dateRange.start`) as `YYYY-MM-DD`, or null when it is not one. */
export function dayOfRecord(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const { year, month, day } = value as Record<string, unknown>;
  const whole = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n);
  if (!whole(year) || !whole(month) || !whole(day)) return null;
  if (month < 1 || month > 12 || day < 1 || day > 31 || year < 1000 || year > 9999) return null;
  const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  // Rejects 2024-02-31 and the like: a date that does not round-trip is not a date.
  return new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text ? text : null;
}
