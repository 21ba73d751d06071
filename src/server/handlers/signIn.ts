/**
 * Handlers of first-run setup, sign-in (password or one-time link), sign-out, the session and
 * password changes. Sessions travel in an httpOnly cookie; the CSRF token in a readable one.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hashPassword } from '../../access/passwords.ts';
import {
  checkPassword,
  createOwner,
  type OpenedSession,
  openSession,
  signInWithLinkToken,
} from '../../access/signIn.ts';
import type { AppContext } from '../../connections/context.ts';
import type { EndpointResult } from '../../contract/endpoints.ts';
import { TributaryError } from '../../domain/errors.ts';
import { isLoopbackHost } from '../../domain/loopback.ts';
import { sessionsRepository } from '../../store/sessionsRepository.ts';
import { usersRepository } from '../../store/usersRepository.ts';
import { clearSessionCookies, SESSION_TTL_MS, setSessionCookies } from '../authentication.ts';
import type { Handler } from '../routes.ts';

/** True for a request from this machine (setup is offered only there). */
export function fromLoopback(request: FastifyRequest): boolean {
  return isLoopbackHost(request.socket.remoteAddress ?? '');
}

/** The session body: the user, their workspaces, and the one requests act in. */
export async function sessionView(
  context: AppContext,
  userId: string,
  via: 'session' | 'token',
  workspaceId: string | null,
): Promise<EndpointResult<'getSession'>> {
  const user = await usersRepository.get(context.db, userId);
  if (!user) throw new TributaryError('authentication_required', 'The user no longer exists');
  const memberships = await usersRepository.memberships(context.db, userId);
  const workspaces = memberships.map((m) => ({ id: m.workspaceId, name: m.workspaceName, role: m.role }));
  const current =
    workspaces.find((w) => w.id === workspaceId) ?? (workspaceId ? null : (workspaces[0] ?? null));
  return { user: { id: user.id, email: user.email, name: user.name }, via, workspaces, workspace: current };
}

async function signedIn(context: AppContext, reply: FastifyReply, opened: OpenedSession) {
  setSessionCookies(reply, opened.session, opened.csrf, context.publicUrl().startsWith('https:'));
  return sessionView(context, opened.userId, 'session', null);
}

/** GET /api/v1/auth/setup */
export const getSetupStatus: Handler<'getSetupStatus'> = async (_input, context, reply) => {
  const setupRequired = (await usersRepository.count(context.db)) === 0;
  return { setupRequired, setupAllowed: setupRequired && fromLoopback(reply.request) };
};

/** POST /api/v1/auth/setup */
export const setupOwner: Handler<'setupOwner'> = async ({ body }, context, reply) => {
  if (!fromLoopback(reply.request))
    throw new TributaryError('setup_not_allowed', 'The owner account can only be created from this machine');
  // Refused before the password is hashed: once set up, this public endpoint must not cost a slow hash per call.
  // (createOwner checks again inside its transaction, for two setups racing.)
  if ((await usersRepository.count(context.db)) > 0)
    throw new TributaryError('setup_not_allowed', 'The owner account already exists: sign in instead');
  const userId = await createOwner(context.db, body, context.now());
  return signedIn(context, reply, await openSession(context.db, userId, context.now(), SESSION_TTL_MS));
};

/** POST /api/v1/auth/sign-in */
export const signIn: Handler<'signIn'> = async ({ body }, context, reply) => {
  const userId = await checkPassword(context, body.email, body.password, reply.request.ip);
  return signedIn(context, reply, await openSession(context.db, userId, context.now(), SESSION_TTL_MS));
};

/** POST /api/v1/auth/sign-in-link */
export const signInWithLink: Handler<'signInWithLink'> = async ({ body }, context, reply) => {
  const userId = await signInWithLinkToken(context, body.token, body.newPassword);
  return signedIn(context, reply, await openSession(context.db, userId, context.now(), SESSION_TTL_MS));
};

/** POST /api/v1/auth/sign-out */
export const signOut: Handler<'signOut'> = async ({ caller }, context, reply) => {
  if (caller?.sessionHash) await sessionsRepository.deleteSession(context.db, caller.sessionHash);
  clearSessionCookies(reply);
  return undefined;
};

/** GET /api/v1/auth/session */
export const getSession: Handler<'getSession'> = async ({ caller }, context) =>
  sessionView(context, caller!.userId, caller!.via, caller!.workspaceId);

/** POST /api/v1/auth/password */
export const changePassword: Handler<'changePassword'> = async ({ body, caller }, context, reply) => {
  await checkPassword(context, caller!.email, body.currentPassword, reply.request.ip);
  await usersRepository.setPassword(
    context.db,
    caller!.userId,
    await hashPassword(body.newPassword),
    context.now(),
  );
  await sessionsRepository.deleteUserSessions(context.db, caller!.userId, caller!.sessionHash);
  return undefined;
};
