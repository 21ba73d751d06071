/**
 * What LinkedIn's entity finders share: strict query parameters (an unknown one is 400
 * `QUERY_PARAM_NOT_ALLOWED`), Rest.li values, cursor paging (`pageSize` ≤ 1000, `pageToken`, the next
 * cursor in `metadata.nextPageToken`, absent on the last page), the older offset paging (`start`/`count`,
 * with `paging.total`) where a finder still has it, and `fields` projections.
 */
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './constants.ts';
import { hash32 } from './hash.ts';
import { isRecord, parseRestli, RestliSyntaxError, type RestliValue } from './restli.ts';
import { type ApiResponse, errors, ok } from './wire.ts';

/** A query check's outcome: the value, or the 400 to answer. */
export type Checked<T> = { ok: true; value: T } | { ok: false; response: ApiResponse };

const fail = (response: ApiResponse): { ok: false; response: ApiResponse } => ({ ok: false, response });

/** 400 for any parameter not in `allowed`, or given twice. */
export function checkParams(
  query: Map<string, string[]>,
  allowed: readonly string[],
): ApiResponse | undefined {
  for (const [name, values] of query) {
    if (!allowed.includes(name)) {
      return errors.badRequest(
        'QUERY_PARAM_NOT_ALLOWED',
        `Query parameter ${name} is not allowed for this request`,
      );
    }
    if (values.length > 1)
      return errors.badRequest('ILLEGAL_ARGUMENT', `Query parameter ${name} is repeated`);
  }
  return undefined;
}

/** The raw value of a parameter, if present. */
export function param(query: Map<string, string[]>, name: string): string | undefined {
  return query.get(name)?.[0];
}

/** A parameter parsed as a Rest.li value; a syntax error is 400 naming the parameter. */
export function restliParam(query: Map<string, string[]>, name: string): Checked<RestliValue | undefined> {
  const raw = param(query, name);
  if (raw === undefined) return { ok: true, value: undefined };
  try {
    return { ok: true, value: parseRestli(raw) };
  } catch (error) {
    const why = error instanceof RestliSyntaxError ? error.message : 'syntax error';
    return fail(errors.badRequest('ILLEGAL_ARGUMENT', `Invalid value for query parameter ${name}: ${why}`));
  }
}

/** A `List(...)` of leaves; a non-list is 400 (an encoded `List%28…%29` arrives here as a plain string). */
export function leafList(value: RestliValue | undefined, name: string): Checked<string[] | undefined> {
  if (value === undefined) return { ok: true, value: undefined };
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    return fail(
      errors.badRequest('ILLEGAL_ARGUMENT', `Invalid value for ${name}: expected List(...) of values`),
    );
  }
  return { ok: true, value: value as string[] };
}

/** The numeric id of a URN of the given type (`urn:li:sponsoredCampaign:123` → 123), or undefined. */
export function urnId(urn: string, type: string): number | undefined {
  const match = new RegExp(`^urn:li:${type}:(\\d{1,18})$`).exec(urn);
  return match ? Number(match[1]) : undefined;
}

/** A list of URNs of one type, as numeric ids; a wrong URN is 400. */
export function urnListParam(
  query: Map<string, string[]>,
  name: string,
  type: string,
): Checked<number[] | undefined> {
  const parsed = restliParam(query, name);
  if (!parsed.ok) return parsed;
  const list = leafList(parsed.value, name);
  if (!list.ok || list.value === undefined) return list as Checked<undefined>;
  const ids: number[] = [];
  for (const urn of list.value) {
    const id = urnId(urn, type);
    if (id === undefined) {
      return fail(
        errors.badRequest('ILLEGAL_ARGUMENT', `Invalid value for ${name}: "${urn}" is not a urn:li:${type}`),
      );
    }
    ids.push(id);
  }
  return { ok: true, value: ids };
}

/** `search=(field:(values:List(...)),test:false)`: the criteria by field, checked against `allowed`. */
export function searchCriteria(
  query: Map<string, string[]>,
  allowed: readonly string[],
): Checked<{ values: Map<string, string[]>; test: boolean | undefined }> {
  const parsed = restliParam(query, 'search');
  if (!parsed.ok) return parsed;
  const values = new Map<string, string[]>();
  let test: boolean | undefined;
  if (parsed.value === undefined) return { ok: true, value: { values, test } };
  if (!isRecord(parsed.value)) {
    return fail(
      errors.badRequest(
        'ILLEGAL_ARGUMENT',
        'Invalid value for search: expected a record (field:(values:List(...)))',
      ),
    );
  }
  for (const [field, criterion] of Object.entries(parsed.value)) {
    if (field === 'test') {
      if (criterion !== 'true' && criterion !== 'false') {
        return fail(
          errors.badRequest('ILLEGAL_ARGUMENT', 'Invalid value for search.test: expected true or false'),
        );
      }
      test = criterion === 'true';
      continue;
    }
    if (!allowed.includes(field)) {
      return fail(errors.badRequest('ILLEGAL_ARGUMENT', `Invalid search field ${field}`));
    }
    const list = isRecord(criterion) ? leafList(criterion.values, `search.${field}.values`) : undefined;
    if (!list?.ok || list.value === undefined) {
      return fail(
        errors.badRequest(
          'ILLEGAL_ARGUMENT',
          `Invalid value for search.${field}: expected (values:List(...))`,
        ),
      );
    }
    values.set(field, list.value);
  }
  return { ok: true, value: { values, test } };
}

/** Keeps only the projected top-level fields (Rest.li ignores names an element does not have). */
export function project(
  element: Record<string, unknown>,
  fields: string | undefined,
): Record<string, unknown> {
  if (fields === undefined || fields === '') return element;
  const wanted = new Set(
    decodeURIComponent(fields)
      .split(',')
      .map((field) => field.split(':')[0]!.trim()),
  );
  return Object.fromEntries(Object.entries(element).filter(([key]) => wanted.has(key)));
}

function integerParam(
  raw: string | undefined,
  name: string,
  min: number,
  max: number,
): Checked<number | undefined> {
  if (raw === undefined) return { ok: true, value: undefined };
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    return fail(
      errors.badRequest(
        'ILLEGAL_ARGUMENT',
        `Invalid value for ${name}: expected an integer from ${min} to ${max}`,
      ),
    );
  }
  return { ok: true, value };
}

/**
 * One page of `elements` (already filtered and in their stable order) for the request's paging. `queryKey`
 * identifies the finder and its criteria: a cursor is only good for the query that issued it.
 */
export function pageOf(
  elements: Record<string, unknown>[],
  query: Map<string, string[]>,
  queryKey: string,
  options: { offsetPaging: boolean; maxPageSize?: number },
): ApiResponse {
  const fields = param(query, 'fields');
  const usesOffset = query.has('start') || query.has('count');
  if (usesOffset && (query.has('pageSize') || query.has('pageToken'))) {
    return errors.badRequest('ILLEGAL_ARGUMENT', 'start/count cannot be combined with pageSize/pageToken');
  }
  if (usesOffset && options.offsetPaging) {
    const start = integerParam(param(query, 'start'), 'start', 0, Number.MAX_SAFE_INTEGER);
    if (!start.ok) return start.response;
    const count = integerParam(param(query, 'count'), 'count', 1, MAX_PAGE_SIZE);
    if (!count.ok) return count.response;
    const from = start.value ?? 0;
    const size = count.value ?? 10;
    return ok({
      paging: { start: from, count: size, links: [], total: elements.length },
      elements: elements.slice(from, from + size).map((element) => project(element, fields)),
    });
  }
  if (usesOffset) {
    return errors.badRequest(
      'QUERY_PARAM_NOT_ALLOWED',
      'This finder pages with pageSize and pageToken, not start/count',
    );
  }
  const pageSize = integerParam(
    param(query, 'pageSize'),
    'pageSize',
    1,
    options.maxPageSize ?? MAX_PAGE_SIZE,
  );
  if (!pageSize.ok) return pageSize.response;
  const size = pageSize.value ?? DEFAULT_PAGE_SIZE;
  const fingerprint = hash32(queryKey).toString(36);
  let from = 0;
  const token = param(query, 'pageToken');
  if (token !== undefined) {
    const cursor = Buffer.from(token.replaceAll('%3D', '='), 'base64url').toString('utf8');
    const match = /^cursor:(\d+):([0-9a-z]+)$/.exec(cursor);
    if (!match || match[2] !== fingerprint || Number(match[1]) > elements.length) {
      return errors.badRequest('ILLEGAL_ARGUMENT', 'Invalid value for pageToken');
    }
    from = Number(match[1]);
  }
  const next = from + size;
  const metadata: Record<string, string> = {};
  if (next < elements.length) {
    metadata.nextPageToken = Buffer.from(`cursor:${next}:${fingerprint}`).toString('base64url');
  }
  return ok({
    paging: { start: 0, count: size, links: [] },
    elements: elements.slice(from, next).map((element) => project(element, fields)),
    metadata,
  });
}
