import { connectionsRepository, sortValueOf } from '../../store/connectionsRepository.ts';
import { type Handler, workspaceOf } from '../routes.ts';
import { connectionView } from '../views.ts';
import { sharedFromLookup } from './connectionShares.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

/** GET /api/v1/connections — search, sort, keyset pagination. */
export const listConnections: Handler<'listConnections'> = async (input, context) => {
  const { query } = input;
  const search = query.search?.trim() ?? '';
  const scope = { s: query.sort, o: query.order, q: search };
  const page = await connectionsRepository.list(context.db, {
    workspaceId: workspaceOf(input).workspaceId,
    search: search || null,
    sort: query.sort,
    order: query.order,
    limit: query.limit,
    after: query.cursor ? decodeCursor(query.cursor, scope) : null,
  });
  const last = page.items.at(-1);
  const sharedFrom = await sharedFromLookup(context, workspaceOf(input).workspaceId, page.items);
  return {
    items: page.items.map((connection) => connectionView(connection, sharedFrom(connection))),
    nextCursor:
      page.hasMore && last ? encodeCursor({ ...scope, v: sortValueOf(last, query.sort), i: last.id }) : null,
  };
};
