/**
 * Opaque list cursors: the keyset position plus the search and sort they belong to, so a cursor
 * reused with another sort or search is refused instead of returning a wrong page.
 */
import { z } from 'zod';
import { connectionSortKeys } from '../../domain/connection.ts';
import { TributaryError } from '../../domain/errors.ts';
import type { KeysetPosition } from '../../store/connectionsRepository.ts';

const cursorSchema = z.strictObject({
  s: z.enum(connectionSortKeys),
  o: z.enum(['asc', 'desc']),
  q: z.string().max(200),
  v: z.union([z.string().max(400), z.number().int()]),
  i: z.uuid(),
});
type CursorData = z.infer<typeof cursorSchema>;

export function encodeCursor(data: CursorData): string {
  return Buffer.from(JSON.stringify(data), 'utf8').toString('base64url');
}

/** Decodes a cursor made for this sort, order and search, or raises `invalid_cursor`. */
export function decodeCursor(cursor: string, expected: Omit<CursorData, 'v' | 'i'>): KeysetPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new TributaryError('invalid_cursor', 'cursor is not a cursor this API issued');
  }
  const parsed = cursorSchema.safeParse(decoded);
  if (!parsed.success) throw new TributaryError('invalid_cursor', 'cursor is not a cursor this API issued');
  const data = parsed.data;
  if (data.s !== expected.s || data.o !== expected.o || data.q !== expected.q) {
    throw new TributaryError('invalid_cursor', 'cursor belongs to a different search, sort or order');
  }
  const numeric = data.s === 'accountStatus';
  if (numeric !== (typeof data.v === 'number')) {
    throw new TributaryError('invalid_cursor', 'cursor is not a cursor this API issued');
  }
  if ((data.s === 'createdAt' || data.s === 'lastAuthorizedAt') && Number.isNaN(Date.parse(String(data.v)))) {
    throw new TributaryError('invalid_cursor', 'cursor is not a cursor this API issued');
  }
  return { value: data.v, id: data.i };
}

const listCursorSchema = z.strictObject({ c: z.iso.datetime(), i: z.uuid() });

/** A newest-first list cursor: the creation time and id of the last item. */
export function encodeListCursor(position: { createdAt: string; id: string }): string {
  return Buffer.from(JSON.stringify({ c: position.createdAt, i: position.id }), 'utf8').toString('base64url');
}

export function decodeListCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const parsed = listCursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
    return { createdAt: parsed.c, id: parsed.i };
  } catch {
    throw new TributaryError('invalid_cursor', 'cursor is not a cursor this API issued');
  }
}
