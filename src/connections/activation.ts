/**
 * Activating a connection with a verified credential — the last step of an OAuth callback and of
 * a credential form alike: same-user check, sealed credential, active status, account discovery.
 */
import type { ProviderIdentity, TokenSet } from '../connectors/kit/types.ts';
import {
  accountTransitions,
  assertTransition,
  type Connection,
  credentialTransitions,
} from '../domain/connection.ts';
import { TributaryError } from '../domain/errors.ts';
import { connectionsRepository } from '../store/connectionsRepository.ts';
import type { AppContext } from './context.ts';
import { reauthorizationDue, storeCredential } from './credentials.ts';

/**
 * Stores `token` for `connection` and marks it active, then queues account discovery. A
 * connection that already belongs to a provider user refuses another user's credential, and
 * nothing changes.
 */
export async function activateConnection(
  context: AppContext,
  connection: Connection,
  token: TokenSet,
  identity: ProviderIdentity,
): Promise<Connection> {
  if (connection.businessAccountId && connection.businessAccountId !== identity.businessAccountId) {
    throw new TributaryError(
      'business_account_mismatch',
      `This connection belongs to ${connection.businessAccount} (id ${connection.businessAccountId}), but ` +
        `${identity.businessAccount} (id ${identity.businessAccountId}) authorized. Nothing was changed.`,
      { details: { expected: connection.businessAccountId, received: identity.businessAccountId } },
    );
  }
  const now = context.now();
  const updated = await context.db.transaction(async (tx) => {
    const current = await connectionsRepository.get(tx, connection.id, { forUpdate: true });
    if (!current) throw new TributaryError('not_found', `Connection ${connection.id} was deleted meanwhile`);
    assertTransition('credential', credentialTransitions, current.status, 'active');
    assertTransition('account discovery', accountTransitions, current.accountStatus, 'loading');
    await storeCredential(tx, context.vault, current.id, token, now);
    const next: Connection = {
      ...current,
      businessAccount: identity.businessAccount,
      businessAccountId: identity.businessAccountId,
      status: 'active',
      statusDetails: null,
      accountStatus: 'loading',
      scopes: token.scopes,
      tokenExpiresAt: reauthorizationDue(token, Boolean(context.connectors.get(current.dataSource)?.refresh)),
      lastAuthorizedAt: now,
      updatedAt: now,
    };
    await connectionsRepository.update(tx, next);
    return next;
  });
  await context.jobs.discoverAccounts(updated.id);
  return updated;
}
