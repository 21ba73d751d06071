import type { AppContext } from '../../connections/context.ts';
import type { Connection } from '../../domain/connection.ts';
import { TributaryError } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import { accountsRepository } from '../../store/accountsRepository.ts';
import { connectionsRepository } from '../../store/connectionsRepository.ts';
import { type Handler, workspaceOf } from '../routes.ts';
import { accountView, connectionDetailView } from '../views.ts';
import { sharedFromLookup } from './connectionShares.ts';

/** Loads a connection by id or raises `not_found` (a malformed id is simply not found). */
export async function requireConnection(context: AppContext, id: string): Promise<Connection> {
  const connection = isUuid(id) ? await connectionsRepository.get(context.db, id) : null;
  if (!connection) throw new TributaryError('not_found', `Connection ${id} does not exist`);
  return connection;
}

/** GET /api/v1/connections/:id */
export const getConnection: Handler<'getConnection'> = async (input, context) => {
  const connection = await requireConnection(context, input.params.id);
  const sharedFrom = await sharedFromLookup(context, workspaceOf(input).workspaceId, [connection]);
  return connectionDetailView(
    connection,
    await accountsRepository.list(context.db, connection.id),
    sharedFrom(connection),
  );
};

/** GET /api/v1/connections/:id/accounts */
export const listConnectionAccounts: Handler<'listConnectionAccounts'> = async ({ params }, context) => {
  const connection = await requireConnection(context, params.id);
  return { items: (await accountsRepository.list(context.db, connection.id)).map(accountView) };
};
