/**
 * The one place a connection records a problem — from an OAuth callback, account discovery or an
 * extraction run: the credential status, the account status, the problem details, and the
 * `connection.error` event when the credential newly breaks.
 */
import {
  type AccountStatus,
  accountTransitions,
  assertTransition,
  type Connection,
  credentialTransitions,
} from '../domain/connection.ts';
import type { TributaryError } from '../domain/errors.ts';
import { connectionsRepository } from '../store/connectionsRepository.ts';
import { eventsRepository } from '../store/eventsRepository.ts';
import type { AppContext } from './context.ts';

/** True for failures that mean the credential itself no longer works. */
export function breaksCredential(error: TributaryError): boolean {
  return error.category === 'auth' || error.category === 'permission';
}

/**
 * Records `error` on a connection. `credentialBroken` puts the credential in `error`;
 * `accountStatus` picks the account status from the current connection (default: unchanged).
 * The problem details are written only when something moves to `error`.
 */
export async function recordConnectionProblem(
  context: AppContext,
  connectionId: string,
  error: TributaryError,
  options: { credentialBroken: boolean; accountStatus?: (current: Connection) => AccountStatus },
): Promise<void> {
  const now = context.now();
  await context.db.transaction(async (tx) => {
    const current = await connectionsRepository.get(tx, connectionId, { forUpdate: true });
    if (!current) return;
    const status = options.credentialBroken ? 'error' : current.status;
    const accountStatus = options.accountStatus?.(current) ?? current.accountStatus;
    if (status !== 'error' && accountStatus !== 'error') return;
    assertTransition('credential', credentialTransitions, current.status, status);
    assertTransition('account discovery', accountTransitions, current.accountStatus, accountStatus);
    await connectionsRepository.update(tx, {
      ...current,
      status,
      statusDetails: error.toProblem(now),
      accountStatus,
      updatedAt: now,
    });
    if (status === 'error' && current.status !== 'error') {
      await eventsRepository.append(
        tx,
        'connection.error',
        connectionId,
        { code: error.code, message: error.message },
        now,
      );
    }
  });
}
