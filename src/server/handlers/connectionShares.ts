/**
 * Handlers of connection sharing: an admin of the owning workspace shares a connection with another
 * workspace they also administer; that workspace may read the connection and extract from it, but
 * not change it. Unsharing pauses that workspace's extractions on it.
 */
import type { AppContext } from '../../connections/context.ts';
import type { Connection } from '../../domain/connection.ts';
import { TributaryError } from '../../domain/errors.ts';
import { isUuid } from '../../domain/ids.ts';
import { sharesRepository } from '../../store/sharesRepository.ts';
import { usersRepository } from '../../store/usersRepository.ts';
import { type Handler, workspaceOf } from '../routes.ts';
import type { SharedFrom } from '../views.ts';

/**
 * Resolves `sharedFrom` for connections shown to `workspaceId` (one query for a whole page):
 * returns a lookup by connection.
 */
export async function sharedFromLookup(
  context: Pick<AppContext, 'db'>,
  workspaceId: string,
  connections: readonly Connection[],
): Promise<(connection: Connection) => SharedFrom> {
  const foreign = connections.filter((c) => c.workspaceId !== workspaceId).map((c) => c.id);
  const owners = await sharesRepository.ownersOf(context.db, foreign, workspaceId);
  return (connection) => owners.get(connection.id) ?? null;
}

/** GET /api/v1/connections/:id/shares */
export const listConnectionShares: Handler<'listConnectionShares'> = async ({ params }, context) => ({
  items: (await sharesRepository.list(context.db, params.id)).map((share) => ({
    workspaceId: share.workspaceId,
    workspaceName: share.workspaceName,
    sharedAt: share.sharedAt.toISOString(),
  })),
});

/** POST /api/v1/connections/:id/shares */
export const shareConnection: Handler<'shareConnection'> = async (input, context) => {
  const { workspaceId, caller } = workspaceOf(input);
  const target = input.body.workspaceId;
  if (target === workspaceId)
    throw new TributaryError(
      'validation_failed',
      'Invalid request — body.workspaceId: a connection is already visible in its own workspace',
    );
  // Only into a workspace the caller also administers; any other is reported as missing, like an unknown id.
  const role = isUuid(target) ? await usersRepository.role(context.db, target, caller.userId) : null;
  if (role !== 'admin')
    throw new TributaryError(
      'workspace_not_found',
      `No workspace ${target.slice(0, 64)} that you administer`,
    );
  await sharesRepository.insert(context.db, {
    connectionId: input.params.id,
    workspaceId: target,
    sharedBy: caller.userId,
    at: context.now(),
  });
  const share = (await sharesRepository.list(context.db, input.params.id)).find(
    (s) => s.workspaceId === target,
  );
  return {
    workspaceId: share!.workspaceId,
    workspaceName: share!.workspaceName,
    sharedAt: share!.sharedAt.toISOString(),
  };
};

/** DELETE /api/v1/connections/:id/shares/:workspaceId */
export const unshareConnection: Handler<'unshareConnection'> = async ({ params }, context) => {
  const now = context.now();
  if (!isUuid(params.workspaceId))
    throw new TributaryError('not_found', `Connection ${params.id} is not shared with that workspace`);
  const paused = await context.db.transaction(async (tx) => {
    if (!(await sharesRepository.delete(tx, params.id, params.workspaceId)))
      throw new TributaryError('not_found', `Connection ${params.id} is not shared with that workspace`);
    return sharesRepository.pauseExtractionsOf(
      tx,
      params.id,
      params.workspaceId,
      'The connection is no longer shared with this workspace',
      now,
    );
  });
  context.logger.info(
    { connectionId: params.id, workspaceId: params.workspaceId, paused: paused.length },
    'connection unshared',
  );
  return undefined;
};
