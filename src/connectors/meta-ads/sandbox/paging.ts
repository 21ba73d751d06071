/**
 * Graph cursor paging for edges: opaque `before`/`after` cursors, `limit` with a silent clamp, and
 * absolute `next`/`previous` links (left out on the last/first page).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from './constants.ts';

/**
 * Signs cursors so a forged or edited one is recognised. The key is fixed on purpose: cursors stay
 * valid across restarts, which keeps demo URLs and recorded test traffic stable. It guards nothing secret.
 */
const CURSOR_KEY = 'tributary/meta-ads/sandbox/cursor/v1';

function signature(scope: string, position: string): Buffer {
  return createHmac('sha256', CURSOR_KEY).update(`${scope}:${position}`).digest().subarray(0, 12);
}

/**
 * A cursor naming one item of one listing. `scope` is the listing owner (so a cursor cannot be replayed
 * against another user's edge) and `position` the item's id. Meta's cursors are base64 too.
 */
export function encodeCursor(scope: string, position: string): string {
  return Buffer.from(`${scope}:${position}:${signature(scope, position).toString('base64url')}`).toString(
    'base64url',
  );
}

/** The item id a cursor names, or undefined when the cursor was not issued for this listing. */
export function decodeCursor(scope: string, cursor: string): string | undefined {
  const decoded = Buffer.from(cursor, 'base64url').toString('utf8');
  const [cursorScope, position, mac, ...rest] = decoded.split(':');
  if (rest.length > 0 || cursorScope !== scope || !position || !mac) return undefined;
  const expected = signature(scope, position);
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return position;
}

/**
 * The page size for a `limit` parameter: the default when absent or not a positive integer, at most
 * {@link MAX_PAGE_LIMIT} (Graph clamps large limits instead of failing).
 */
export function effectiveLimit(raw: string | undefined): number {
  const parsed = raw !== undefined && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  if (!Number.isSafeInteger(parsed) || parsed < 1) return DEFAULT_PAGE_LIMIT;
  return Math.min(parsed, MAX_PAGE_LIMIT);
}

/** Input of {@link paginate}. */
export interface PageRequest<T> {
  items: readonly T[];
  /** The id a cursor stores for an item. */
  idOf(item: T): string;
  scope: string;
  limit: number;
  after?: string | undefined;
  before?: string | undefined;
  /** Builds an absolute link to this edge with the given cursor parameter. */
  link(cursor: { after: string } | { before: string }): string;
}

/** A page: the slice, plus Graph's `paging` object (absent when the page is empty). */
export type PageResult<T> =
  | {
      ok: true;
      items: T[];
      paging?: {
        cursors: { before: string; after: string };
        previous?: string;
        next?: string;
      };
    }
  | { ok: false };

/** Cuts one page out of `items`, Graph style. `ok: false` means a cursor was not valid here. */
export function paginate<T>(request: PageRequest<T>): PageResult<T> {
  const indexOf = (cursor: string): number | undefined => {
    const id = decodeCursor(request.scope, cursor);
    if (id === undefined) return undefined;
    const index = request.items.findIndex((item) => request.idOf(item) === id);
    return index < 0 ? undefined : index;
  };
  let start = 0;
  let end = Math.min(request.items.length, request.limit);
  if (request.after !== undefined) {
    const index = indexOf(request.after);
    if (index === undefined) return { ok: false };
    start = index + 1;
    end = Math.min(request.items.length, start + request.limit);
  } else if (request.before !== undefined) {
    const index = indexOf(request.before);
    if (index === undefined) return { ok: false };
    // The page that ends just before the cursor's item.
    start = Math.max(0, index - request.limit);
    end = index;
  }
  const items = request.items.slice(start, end);
  const first = items[0];
  const last = items.at(-1);
  if (first === undefined || last === undefined) return { ok: true, items: [] };
  const before = encodeCursor(request.scope, request.idOf(first));
  const after = encodeCursor(request.scope, request.idOf(last));
  return {
    ok: true,
    items,
    paging: {
      cursors: { before, after },
      // Graph's documented contract: no `previous` on the first page, no `next` on the last.
      ...(start > 0 ? { previous: request.link({ before }) } : {}),
      ...(end < request.items.length ? { next: request.link({ after }) } : {}),
    },
  };
}
