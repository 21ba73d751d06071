/**
 * Who is calling and whether they may: resolves the caller from an API token (`Authorization:
 * Bearer`) or a session cookie, picks the workspace (the token's, or the `X-Tributary-Workspace`
 * header, or the user's first), checks CSRF on cookie requests that change state, the endpoint's
 * access level against the permission table, and that every id the request names belongs to the
 * workspace. Runs before every handler; no handler repeats it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { hashSecret, isSecretOf, sameSecret } from '../access/secrets.ts';
import type { AppContext } from '../connections/context.ts';
import type { Endpoint } from '../contract/endpoints.ts';
import { type Caller, lowerRole, roleAllows } from '../domain/access.ts';
import { TributaryError } from '../domain/errors.ts';
import { isUuid } from '../domain/ids.ts';
import { ownershipRepository } from '../store/ownershipRepository.ts';
import { sessionsRepository } from '../store/sessionsRepository.ts';
import { usersRepository } from '../store/usersRepository.ts';

/** The cookie holding the session secret (httpOnly). */
export const SESSION_COOKIE = 'tributary_session';
/** The cookie holding the CSRF token, readable by the page so it can echo it in a header. */
export const CSRF_COOKIE = 'tributary_csrf';
/** The header a page echoes the CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';
/** The header that picks a workspace for a session (a token is bound to its own). */
export const WORKSPACE_HEADER = 'x-tributary-workspace';
/** Sessions last this long after their last use. */
export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;

/** When this process last recorded each token's use. */
const recentlyTouched = new Map<string, number>();

/** A caller with what the CSRF check needs. */
export interface ResolvedCaller extends Caller {
  sessionHash: string | null;
  csrfHash: string | null;
}

/** Reads one cookie from the request's Cookie header. */
export function readCookie(request: FastifyRequest, name: string): string | null {
  const header = request.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) {
      try {
        return decodeURIComponent(part.slice(index + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match)
    throw new TributaryError('authentication_required', 'The Authorization header must be "Bearer <token>"');
  return match[1]!;
}

/** Resolves the caller, or null for an anonymous request. An invalid credential is refused, not ignored. */
export async function resolveCaller(
  request: FastifyRequest,
  context: AppContext,
): Promise<ResolvedCaller | null> {
  const now = context.now();
  const token = bearer(request);
  if (token !== null) {
    const found = isSecretOf('token', token)
      ? await sessionsRepository.findToken(context.db, hashSecret(token), now)
      : null;
    if (!found)
      throw new TributaryError('authentication_required', 'The API token is unknown, revoked or expired');
    const asked = headerValue(request, WORKSPACE_HEADER);
    if (asked && asked !== found.workspaceId)
      throw new TributaryError(
        'workspace_not_found',
        'An API token acts only in the workspace it was created for',
      );
    // "Last used" is kept to the minute: a busy token costs one write a minute, not one per request.
    const touched = recentlyTouched.get(found.id) ?? 0;
    if (now.getTime() - touched >= 60_000) {
      recentlyTouched.set(found.id, now.getTime());
      if (recentlyTouched.size > 10_000) recentlyTouched.clear();
      await sessionsRepository.touchToken(context.db, found.id, now);
    }
    return {
      userId: found.userId,
      email: found.userEmail,
      via: 'token',
      tokenId: found.id,
      workspaceId: found.workspaceId,
      role: lowerRole(found.role, found.memberRole),
      sessionHash: null,
      csrfHash: null,
    };
  }
  const cookie = readCookie(request, SESSION_COOKIE);
  if (!cookie || !isSecretOf('session', cookie)) return null;
  const sessionHash = hashSecret(cookie);
  const session = await sessionsRepository.findSession(context.db, sessionHash, now);
  if (!session) return null;
  if (now.getTime() - session.lastSeenAt.getTime() > 60_000)
    await sessionsRepository.touchSession(
      context.db,
      sessionHash,
      now,
      new Date(now.getTime() + SESSION_TTL_MS),
    );
  const memberships = await usersRepository.memberships(context.db, session.userId);
  const asked = headerValue(request, WORKSPACE_HEADER);
  const membership = asked ? memberships.find((m) => m.workspaceId === asked) : memberships[0];
  if (asked && !membership)
    throw new TributaryError('workspace_not_found', `No workspace ${asked.slice(0, 64)} of yours`);
  return {
    userId: session.userId,
    email: session.email,
    via: 'session',
    tokenId: null,
    workspaceId: membership?.workspaceId ?? null,
    role: membership?.role ?? null,
    sessionHash,
    csrfHash: session.csrfHash,
  };
}

function headerValue(request: FastifyRequest, name: string): string | null {
  const value = request.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text?.trim() || null;
}

/**
 * Refuses the request unless the caller may use the endpoint: signed in when it is not public,
 * the CSRF token echoed on a cookie request that changes state, a workspace role the permission
 * table admits.
 */
export function enforceAccess(
  endpoint: Endpoint,
  caller: ResolvedCaller | null,
  request: FastifyRequest,
): void {
  if (endpoint.access === 'public') return;
  if (!caller) throw new TributaryError('authentication_required', 'Sign in first (or send an API token)');
  if (caller.via === 'session' && endpoint.method !== 'GET') {
    const echoed = headerValue(request, CSRF_HEADER);
    if (!echoed || !caller.csrfHash || !sameSecret(hashSecret(echoed), caller.csrfHash))
      throw new TributaryError(
        'csrf_failed',
        `A signed-in browser request that changes something must send the ${CSRF_HEADER} header`,
      );
  }
  if (endpoint.access === 'signedIn') return;
  if (!caller.workspaceId || !caller.role)
    throw new TributaryError('workspace_not_found', 'You are not a member of any workspace yet');
  if (!roleAllows(caller.role, endpoint.access))
    throw new TributaryError(
      'role_forbidden',
      `A ${caller.role} cannot do this (needs ${endpoint.access} access)`,
    );
}

/**
 * Checks that every id the request names (as the endpoint's `owns` declares) belongs to the
 * caller's workspace; anything else is reported exactly like an id that does not exist.
 */
export async function enforceOwnership(
  endpoint: Endpoint,
  input: { params?: unknown; query?: unknown; body?: unknown },
  caller: Caller | null,
  context: AppContext,
): Promise<void> {
  if (!endpoint.owns || !caller?.workspaceId) return;
  for (const location of ['params', 'query', 'body'] as const) {
    const declared = endpoint.owns[location];
    const values = input[location] as Record<string, unknown> | undefined;
    if (!declared || !values) continue;
    for (const [field, kind] of Object.entries(declared)) {
      const id = values[field];
      if (typeof id !== 'string') continue;
      if (await ownershipRepository.belongs(context.db, kind, id, caller.workspaceId)) continue;
      const shown = isUuid(id) ? id : id.slice(0, 64);
      throw new TributaryError(
        'not_found',
        location === 'params'
          ? `No ${kind === 'sharedConnection' ? 'connection' : kind} ${shown}`
          : `${location}.${field}: no ${kind === 'sharedConnection' ? 'connection' : kind} ${shown} in this workspace`,
      );
    }
  }
}

/** Sets the session and CSRF cookies on a reply. */
export function setSessionCookies(reply: FastifyReply, session: string, csrf: string, secure: boolean): void {
  const maxAge = Math.floor(SESSION_TTL_MS / 1000);
  const tail = `Path=/; Max-Age=${maxAge}${secure ? '; Secure' : ''}`;
  reply.header('set-cookie', [
    // Lax: the OAuth callback arrives as a top-level navigation from the provider and must carry it.
    `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Lax; ${tail}`,
    `${CSRF_COOKIE}=${csrf}; SameSite=Strict; ${tail}`,
  ]);
}

/** Clears the session and CSRF cookies. */
export function clearSessionCookies(reply: FastifyReply): void {
  reply.header('set-cookie', [
    `${SESSION_COOKIE}=; HttpOnly; SameSite=Lax; Path=/; Max-Age=0`,
    `${CSRF_COOKIE}=; SameSite=Strict; Path=/; Max-Age=0`,
  ]);
}
