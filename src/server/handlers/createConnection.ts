import crypto from 'node:crypto';
import { requireOAuthConnector, startAuthorization } from '../../connections/authorization.ts';
import { createWithCredentials, type FormConnector } from '../../connections/credentialForm.ts';
import { newPendingConnection } from '../../domain/connection.ts';
import { TributaryError } from '../../domain/errors.ts';
import { connectionsRepository } from '../../store/connectionsRepository.ts';
import type { Handler } from '../routes.ts';
import { connectionView } from '../views.ts';

/** POST /api/v1/connections — a pending connection and the URL to authorize it at. */
export const createConnection: Handler<'createConnection'> = async ({ body }, context) => {
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
  if (connector.authType === 'oauth2' && body.credentials) {
    throw new TributaryError(
      'wrong_auth_type',
      `${connector.name} authorizes with OAuth: send only {"dataSource"} and open the authorizationUrl`,
    );
  }
  if (connector.credentialForm) {
    const connection = await createWithCredentials(context, connector as FormConnector, body.credentials);
    context.logger.info({ connectionId: connection.id, dataSource: connector.id }, 'connection created');
    return { connection: connectionView(connection), authorizationUrl: null };
  }
  requireOAuthConnector(context, connector.id);
  const connection = newPendingConnection(crypto.randomUUID(), connector, context.now());
  await connectionsRepository.insert(context.db, connection);
  const authorizationUrl = await startAuthorization(context, connection, 'authorize', body.returnTo ?? null);
  context.logger.info({ connectionId: connection.id, dataSource: connector.id }, 'connection created');
  return { connection: connectionView(connection), authorizationUrl };
};
