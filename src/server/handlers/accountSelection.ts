import { TributaryError } from '../../domain/errors.ts';
import { accountsRepository } from '../../store/accountsRepository.ts';
import { connectionsRepository } from '../../store/connectionsRepository.ts';
import type { Handler } from '../routes.ts';
import { connectionDetailView } from '../views.ts';

/**
 * PATCH /api/v1/connections/:id/accounts — all accounts (including ones discovered later) or
 * exactly the given ones. Unknown ids refuse the whole change, so nothing is half-applied.
 */
export const updateConnectionAccounts: Handler<'updateConnectionAccounts'> = async (
  { params, body },
  context,
) => {
  const updated = await context.db.transaction(async (tx) => {
    const connection = await connectionsRepository.get(tx, params.id, { forUpdate: true });
    if (!connection) throw new TributaryError('not_found', `No connection ${params.id}`);
    const ids = body.sync === 'all' ? null : [...new Set(body.accountIds)];
    const unknown = await accountsRepository.select(tx, connection.id, ids);
    if (unknown.length > 0) {
      throw new TributaryError(
        'validation_failed',
        `Invalid request — accountIds: not accounts of this connection: ${unknown.slice(0, 10).join(', ')}`,
        {
          details: {
            issues: [{ path: ['accountIds'], message: 'not accounts of this connection', unknown }],
          },
        },
      );
    }
    const next = {
      ...connection,
      accountSync: body.sync,
      accountsCount: await accountsRepository.countUsable(tx, connection.id),
      updatedAt: context.now(),
    };
    await connectionsRepository.update(tx, next);
    return next;
  });
  return connectionDetailView(updated, await accountsRepository.list(context.db, updated.id));
};
