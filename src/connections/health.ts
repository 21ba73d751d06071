/**
 * Recording what happens to a connection's credential outside account discovery — a run that
 * hits an expired token puts the connection in error just as discovery does.
 */
import { assertTransition, credentialTransitions } from '../domain/connection.ts';
import type { TributaryError } from '../domain/errors.ts';
import { connectionsRepository } from '../store/connectionsRepository.ts';
import { eventsRepository } from '../store/eventsRepository.ts';
import type { AppContext } from './context.ts';

/** Puts a connection in `error` for an auth or permission failure (no-op for other categories). */
export async function markCredentialBroken(
  context: AppContext,
  connectionId: string,
  error: TributaryError,
): Promise<void> {
  if (error.category !== 'auth' && error.category !== 'permission') return;
  const now = context.now();
  await context.db.transaction(async (tx) => {
    const current = await connectionsRepository.get(tx, connectionId, { forUpdate: true });
    if (!current || current.status === 'error') return;
    assertTransition('credential', credentialTransitions, current.status, 'error');
    await connectionsRepository.update(tx, {
      ...current,
      status: 'error',
      statusDetails: error.toProblem(now),
      updatedAt: now,
    });
    await eventsRepository.append(
      tx,
      'connection.error',
      connectionId,
      { code: error.code, message: error.message },
      now,
    );
  });
}
