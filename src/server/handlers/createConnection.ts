import crypto from 'node:crypto';
import { requireOAuthConnector, startAuthorization } from '../../connections/authorization.ts';
import { createWithCredentials, type FormConnector } from '../../connections/credentialForm.ts';
import { newPendingConnection } from '../../domain/connection.ts';
import { TributaryError } from '../../domain/errors.ts';
import { connectionsRepository } from '../../store/connectionsRepository.ts';
import { type Handler, workspaceOf } from '../routes.ts';
import { connectionView } from '../views.ts';

/** POST /api/v1/connections — a pending connection and the URL to authorize it at. */
export const createConnection: Handler<'createConnection'> = async (input, context) => {
  const { body } = input;
  const { workspaceId, caller } = workspaceOf(input);
  const connector = context.connectors.get(body.dataSource);
  if (!connector) {
    const known = context.connectors
      .all()
      .map((candidate) => candidate.id)
      .join(', ');
    throw new TributaryError(
      'unknown_data_source',
      `Unknown data source "${body.dataSource}"; known: ${known}`,
    );
  }
  // A source may take both (GA4: Google sign-in or a service-account key): credentials choose the form.
  if (connector.credentialForm && (body.credentials || !connector.oauth)) {
    const connection = await createWithCredentials(
      context,
      connector as FormConnector,
      body.credentials,
      workspaceId,
    );
    context.logger.info({ connectionId: connection.id, dataSource: connector.id }, 'connection created');
    return { connection: connectionView(connection), authorizationUrl: null };
  }
  if (body.credentials) {
    throw new TributaryError(
      'wrong_auth_type',
      `${connector.name} authorizes with OAuth: send only {"dataSource"} and open the authorizationUrl`,
    );
  }
  requireOAuthConnector(context, connector.id);
  const connection = newPendingConnection(crypto.randomUUID(), workspaceId, connector, context.now());
  // The connection and its authorization state land together or not at all (a provider not ready to authorize
  // refuses while the URL is built).
  const authorizationUrl = await context.db.transaction(async (tx) => {
    await connectionsRepository.insert(tx, connection);
    return startAuthorization(
      context,
      connection,
      { purpose: 'authorize', returnTo: body.returnTo ?? null, sessionHash: caller.sessionHash },
      tx,
    );
  });
  context.logger.info({ connectionId: connection.id, dataSource: connector.id }, 'connection created');
  return { connection: connectionView(connection), authorizationUrl };
};
