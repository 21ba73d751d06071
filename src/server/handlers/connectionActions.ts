import { startAuthorization } from '../../connections/authorization.ts';
import { type FormConnector, replaceCredentials } from '../../connections/credentialForm.ts';
import { loadCredential } from '../../connections/credentials.ts';
import { TributaryError } from '../../domain/errors.ts';
import { requestDiscovery } from '../../engine/accountDiscovery.ts';
import { connectionsRepository } from '../../store/connectionsRepository.ts';
import { extractionsRepository } from '../../store/extractionsRepository.ts';
import { type Handler, workspaceOf } from '../routes.ts';
import { connectionView } from '../views.ts';
import { requireConnection } from './connectionById.ts';

/** POST /api/v1/connections/:id/sync-accounts — 202; discovery runs as a job. */
export const syncConnectionAccounts: Handler<'syncConnectionAccounts'> = async ({ params }, context) => {
  const connection = await requireConnection(context, params.id);
  if (connection.status === 'pending') {
    throw new TributaryError(
      'connection_not_authorized',
      'The connection is not authorized yet; finish authorizing first',
      {
        details: { status: connection.status },
      },
    );
  }
  if (!(await requestDiscovery(context, connection.id))) {
    throw new TributaryError('not_found', `Connection ${params.id} does not exist`);
  }
  const updated = await requireConnection(context, connection.id);
  return { connection: connectionView(updated) };
};

/** POST /api/v1/connections/:id/reconnect — a new authorization URL for the same connection. */
export const reconnectConnection: Handler<'reconnectConnection'> = async (input, context) => {
  const { params, body } = input;
  const { caller } = workspaceOf(input);
  const connection = await requireConnection(context, params.id);
  const connector = context.connectors.get(connection.dataSource);
  // A connection made through a form reconnects through it; one made by signing in signs in again.
  const throughForm = connection.authType !== 'oauth2' || !connector?.oauth;
  if (connector?.credentialForm && throughForm) {
    const updated = await replaceCredentials(
      context,
      connector as FormConnector,
      connection,
      body?.credentials,
    );
    return { connection: connectionView(updated), authorizationUrl: null };
  }
  if (body?.credentials) {
    throw new TributaryError(
      'wrong_auth_type',
      `${connection.dataSourceName} reconnects through OAuth; send no credentials`,
    );
  }
  const authorizationUrl = await startAuthorization(context, connection, {
    purpose: 'reconnect',
    returnTo: body?.returnTo ?? null,
    sessionHash: caller.sessionHash,
  });
  return { connection: connectionView(connection), authorizationUrl };
};

/** DELETE /api/v1/connections/:id — revokes at the provider where possible, then forgets the credential. */
export const deleteConnection: Handler<'deleteConnection'> = async ({ params }, context) => {
  const connection = await requireConnection(context, params.id);
  const connector = context.connectors.get(connection.dataSource);
  if (connector?.revoke && connection.status !== 'pending') {
    try {
      await connector.revoke(await loadCredential(context.db, context.vault, connection.id));
    } catch (error) {
      // Revocation is a courtesy to the provider; the deletion must not depend on it.
      const code = error instanceof TributaryError ? error.code : 'internal_error';
      context.logger.warn(
        { connectionId: connection.id, code },
        'revoking the credential at the provider failed',
      );
    }
  }
  const deleted = await context.db.transaction(async (tx) => {
    // Extractions stop at once (paused, with the reason); their loaded data stays in the destination.
    await extractionsRepository.pauseForConnection(
      tx,
      connection.id,
      'The connection was deleted',
      context.now(),
    );
    return connectionsRepository.delete(tx, connection.id);
  });
  if (!deleted) throw new TributaryError('not_found', `Connection ${params.id} does not exist`);
  context.logger.info({ connectionId: connection.id }, 'connection deleted');
  return undefined;
};
