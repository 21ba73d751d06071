/**
 * Handlers of workspaces (list yours, create one) and API tokens (list, create once-shown, revoke).
 */
import crypto from 'node:crypto';
import { hashSecret, newSecret } from '../../access/secrets.ts';
import { roleWithin } from '../../domain/access.ts';
import { TributaryError } from '../../domain/errors.ts';
import type { TokenRecord } from '../../store/sessionsRepository.ts';
import { sessionsRepository } from '../../store/sessionsRepository.ts';
import { usersRepository } from '../../store/usersRepository.ts';
import { type Handler, workspaceOf } from '../routes.ts';

const iso = (value: Date | null) => (value ? value.toISOString() : null);

function tokenView(token: TokenRecord) {
  return {
    id: token.id,
    name: token.name,
    role: token.role,
    prefix: token.prefix,
    userEmail: token.userEmail,
    createdAt: token.createdAt.toISOString(),
    lastUsedAt: iso(token.lastUsedAt),
    expiresAt: iso(token.expiresAt),
    revokedAt: iso(token.revokedAt),
  };
}

/** GET /api/v1/workspaces */
export const listWorkspaces: Handler<'listWorkspaces'> = async ({ caller }, context) => ({
  items: (await usersRepository.memberships(context.db, caller!.userId)).map((m) => ({
    id: m.workspaceId,
    name: m.workspaceName,
    role: m.role,
  })),
});

/** POST /api/v1/workspaces */
export const createWorkspace: Handler<'createWorkspace'> = async ({ body, caller }, context) => {
  // The role is checked centrally (admin); a token acts inside its one workspace and cannot make others.
  if (caller!.via === 'token')
    throw new TributaryError(
      'authentication_required',
      'Creating a workspace needs a signed-in session: an API token acts only in its own workspace',
    );
  const id = crypto.randomUUID();
  const now = context.now();
  await context.db.transaction(async (tx) => {
    await usersRepository.insertWorkspace(tx, { id, name: body.name, at: now });
    await usersRepository.addMember(tx, id, caller!.userId, 'admin', now);
  });
  await context.destinations.ensureDefault(now, id);
  return { id, name: body.name, role: 'admin' as const };
};

/** GET /api/v1/tokens */
export const listTokens: Handler<'listTokens'> = async (input, context) => {
  const { workspaceId, caller } = workspaceOf(input);
  const tokens = await sessionsRepository.listTokens(
    context.db,
    workspaceId,
    caller.role === 'admin' ? null : caller.userId,
  );
  return { items: tokens.map(tokenView) };
};

/** POST /api/v1/tokens */
export const createToken: Handler<'createToken'> = async (input, context) => {
  const { workspaceId, caller } = workspaceOf(input);
  const role = input.body.role ?? caller.role!;
  if (!roleWithin(role, caller.role!))
    throw new TributaryError('role_forbidden', `A ${caller.role} cannot create a ${role} token`);
  const secret = newSecret('token');
  const now = context.now();
  const id = crypto.randomUUID();
  await sessionsRepository.insertToken(context.db, {
    id,
    userId: caller.userId,
    workspaceId,
    name: input.body.name,
    role,
    tokenHash: hashSecret(secret),
    prefix: secret.slice(0, 10),
    at: now,
    expiresAt: input.body.expiresInDays
      ? new Date(now.getTime() + input.body.expiresInDays * 86_400_000)
      : null,
  });
  const stored = await sessionsRepository.getToken(context.db, id);
  return { token: secret, item: tokenView(stored!) };
};

/** DELETE /api/v1/tokens/:id */
export const revokeToken: Handler<'revokeToken'> = async (input, context) => {
  const { caller } = workspaceOf(input);
  const token = await sessionsRepository.getToken(context.db, input.params.id);
  // Someone else's token is invisible to a non-admin, exactly like a missing one.
  if (!token || (caller.role !== 'admin' && token.userId !== caller.userId))
    throw new TributaryError('not_found', `No token ${input.params.id}`);
  await sessionsRepository.revokeToken(context.db, token.id, context.now());
  return undefined;
};
