/**
 * The account discovery job: reads every account the credential reaches, records additions and
 * losses with dates, and moves the connection's account status (and, on auth failures, its
 * credential status) accordingly.
 */

import type { AppContext } from '../connections/context.ts';
import { usableCredential } from '../connections/credentials.ts';
import { breaksCredential, recordConnectionProblem } from '../connections/health.ts';
import type { Connector, ProviderAccount } from '../connectors/kit/types.ts';
import {
  accountStatusFor,
  accountTransitions,
  assertTransition,
  credentialTransitions,
} from '../domain/connection.ts';
import { asTributaryError, TributaryError } from '../domain/errors.ts';
import { accountsRepository, type DiscoveryOutcome } from '../store/accountsRepository.ts';
import { connectionsRepository } from '../store/connectionsRepository.ts';
import { eventsRepository } from '../store/eventsRepository.ts';

/** Marks a connection as loading accounts; returns false when it is gone. */
export async function markDiscoveryQueued(context: AppContext, connectionId: string): Promise<boolean> {
  return context.db.transaction(async (tx) => {
    const current = await connectionsRepository.get(tx, connectionId, { forUpdate: true });
    if (!current) return false;
    assertTransition('account discovery', accountTransitions, current.accountStatus, 'loading');
    await connectionsRepository.update(tx, {
      ...current,
      accountStatus: 'loading',
      updatedAt: context.now(),
    });
    return true;
  });
}

/** Marks a connection as loading and queues its discovery (Sync accounts, and the daily re-discovery). Returns false when it is gone. */
export async function requestDiscovery(context: AppContext, connectionId: string): Promise<boolean> {
  if (!(await markDiscoveryQueued(context, connectionId))) return false;
  await context.jobs.discoverAccounts(connectionId);
  return true;
}

/** Every account the credential sees; a token refused as expired is refreshed once and discovery run again. */
async function discoverWithFreshToken(
  context: AppContext,
  connectionId: string,
  connector: Connector,
): Promise<ProviderAccount[]> {
  let token = await usableCredential(context, connectionId, connector);
  for (let attempt = 0; ; attempt += 1) {
    try {
      const accounts: ProviderAccount[] = [];
      for await (const page of connector.discoverAccounts(token)) accounts.push(...page);
      return accounts;
    } catch (error) {
      const expired = error instanceof TributaryError && error.code === 'auth_token_expired';
      if (!expired || !connector.refresh || attempt > 0) throw error;
      token = await usableCredential(context, connectionId, connector, { stale: token.accessToken });
    }
  }
}

/** Runs discovery for one connection. Never throws for provider errors: they are recorded on the connection. */
export async function discoverAccounts(
  context: AppContext,
  connectionId: string,
): Promise<DiscoveryOutcome | null> {
  const connection = await connectionsRepository.get(context.db, connectionId);
  if (!connection || connection.status === 'pending') return null;
  const connector = context.connectors.get(connection.dataSource);
  try {
    if (!connector)
      throw new TributaryError('unknown_data_source', `No connector for ${connection.dataSource}`);
    const accounts = await discoverWithFreshToken(context, connectionId, connector);
    const now = context.now();
    return await context.db.transaction(async (tx) => {
      const current = await connectionsRepository.get(tx, connectionId, { forUpdate: true });
      if (!current) return null;
      const outcome = await accountsRepository.applyDiscovery(
        tx,
        connectionId,
        dedupe(accounts),
        now,
        current.accountSync === 'all',
      );
      const accountStatus = accountStatusFor(outcome.active);
      assertTransition('account discovery', accountTransitions, current.accountStatus, accountStatus);
      assertTransition('credential', credentialTransitions, current.status, 'active');
      await connectionsRepository.update(tx, {
        ...current,
        // A successful call proves the credential works again.
        status: 'active',
        statusDetails: null,
        accountStatus,
        accountsCount: outcome.active,
        accountsSyncedAt: now,
        updatedAt: now,
      });
      if (current.status === 'error') {
        await eventsRepository.append(tx, 'connection.recovered', connectionId, {}, now);
      }
      if (outcome.added > 0 && current.accountsSyncedAt) {
        await eventsRepository.append(tx, 'account.added', connectionId, { count: outcome.added }, now);
      }
      if (outcome.lost > 0)
        await eventsRepository.append(tx, 'account.access_lost', connectionId, { count: outcome.lost }, now);
      context.logger.info({ connectionId, ...outcome }, 'accounts discovered');
      return outcome;
    });
  } catch (failure) {
    const error = asTributaryError(failure);
    if (error.category === 'internal')
      context.logger.error({ err: failure, connectionId }, 'account discovery failed');
    else context.logger.warn({ connectionId, code: error.code }, 'account discovery failed');
    await recordDiscoveryFailure(context, connectionId, error);
    return null;
  }
}

async function recordDiscoveryFailure(
  context: AppContext,
  connectionId: string,
  error: TributaryError,
): Promise<void> {
  await recordConnectionProblem(context, connectionId, error, {
    credentialBroken: breaksCredential(error),
    accountStatus: () => 'error',
  });
}

/** Providers may list one account twice across pages; the last sighting wins. */
function dedupe(accounts: ProviderAccount[]): ProviderAccount[] {
  return [...new Map(accounts.map((account) => [account.id, account])).values()];
}

/**
 * Raises `token.expiring` for active connections whose token expires within `days` (once per
 * connection and expiry date), so someone reconnects before extraction stops.
 */
export async function warnExpiringTokens(context: AppContext, days: number): Promise<number> {
  const now = context.now();
  const rows = await context.db.query<{ id: string; token_expires_at: Date }>(
    `SELECT c.id, c.token_expires_at FROM connections c
     WHERE c.status = 'active' AND c.token_expires_at IS NOT NULL AND c.token_expires_at < $1
       AND NOT EXISTS (SELECT 1 FROM events e WHERE e.type = 'token.expiring' AND e.subject_id = c.id::text
                       AND e.data->>'expiresAt' = to_char(c.token_expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'))`,
    [new Date(now.getTime() + days * 86_400_000)],
  );
  for (const row of rows) {
    const expiresAt = new Date(row.token_expires_at).toISOString().slice(0, 19);
    const daysLeft = Math.max(
      0,
      Math.floor((new Date(row.token_expires_at).getTime() - now.getTime()) / 86_400_000),
    );
    await eventsRepository.append(context.db, 'token.expiring', String(row.id), { expiresAt, daysLeft }, now);
  }
  return rows.length;
}
