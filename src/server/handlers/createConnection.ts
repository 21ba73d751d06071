import crypto from 'node:crypto';
import { requireOAuthConnector, startAuthorization } from '../../connections/authorization.ts';
import type { Connection } from '../../domain/connection.ts';
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
  if (connector.authType !== 'oauth2') {
    // No API-key or login connector exists yet; the first one (GA4's service account) adds the form flow.
    throw new TributaryError('wrong_auth_type', `${connector.name} credentials cannot be added yet`);
  }
  requireOAuthConnector(context, connector.id);
  const now = context.now();
  const connection: Connection = {
    id: crypto.randomUUID(),
    dataSource: connector.id,
    dataSourceName: connector.name,
    authType: connector.authType,
    businessAccount: null,
    businessAccountId: null,
    status: 'pending',
    statusDetails: null,
    accountStatus: 'loading',
    accountsCount: 0,
    scopes: [],
    tokenExpiresAt: null,
    createdAt: now,
    updatedAt: now,
    lastAuthorizedAt: null,
    accountsSyncedAt: null,
  };
  await connectionsRepository.insert(context.db, connection);
  const authorizationUrl = await startAuthorization(context, connection, 'authorize', body.returnTo ?? null);
  context.logger.info({ connectionId: connection.id, dataSource: connector.id }, 'connection created');
  return { connection: connectionView(connection), authorizationUrl };
};
