/**
 * Signing in: the owner's first-run setup, password checks throttled per email and per address,
 * one-time sign-in links, and the sessions they open. Shared by the API handlers and the CLI.
 */
import crypto from 'node:crypto';
import type { AppContext } from '../connections/context.ts';
import { DEFAULT_WORKSPACE_ID } from '../domain/access.ts';
import { TributaryError } from '../domain/errors.ts';
import { auditRepository } from '../store/auditRepository.ts';
import type { Db, Queryable } from '../store/db.ts';
import { sessionsRepository } from '../store/sessionsRepository.ts';
import { usersRepository } from '../store/usersRepository.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import { hashSecret, isSecretOf, newSecret } from './secrets.ts';

/** Failed sign-ins allowed per email, and per address, in the window before a lock. */
export const signInThrottle = {
  email: { limit: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
  address: { limit: 30, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
};

/** A new session's secrets (to set as cookies) for a user. */
export interface OpenedSession {
  userId: string;
  session: string;
  csrf: string;
}

/** Opens a session for `userId`, valid for `ttlMs`. */
export async function openSession(db: Db, userId: string, now: Date, ttlMs: number): Promise<OpenedSession> {
  const session = newSecret('session');
  const csrf = newSecret('csrf');
  await sessionsRepository.insertSession(db, {
    idHash: hashSecret(session),
    userId,
    csrfHash: hashSecret(csrf),
    at: now,
    expiresAt: new Date(now.getTime() + ttlMs),
  });
  return { userId, session, csrf };
}

/**
 * Creates the owner: the first user, admin of the Default workspace (which holds everything made
 * before users existed). Refused once any user exists; two concurrent setups cannot both win.
 */
export async function createOwner(
  db: Db,
  owner: { email: string; password: string; name: string },
  now: Date,
): Promise<string> {
  const passwordHash = await hashPassword(owner.password);
  return db.transaction(async (tx) => {
    if (db.kind === 'postgres') await tx.query('LOCK TABLE users IN EXCLUSIVE MODE');
    if ((await usersRepository.count(tx)) > 0)
      throw new TributaryError('setup_not_allowed', 'The owner account already exists: sign in instead');
    const id = crypto.randomUUID();
    await usersRepository.insert(tx, { id, email: owner.email, name: owner.name, passwordHash, at: now });
    await usersRepository.addMember(tx, DEFAULT_WORKSPACE_ID, id, 'admin', now);
    return id;
  });
}

/** The key failed sign-ins of one email are counted (and locked) under, however it was typed. */
function emailThrottleKey(email: string): string {
  return `email:${email.trim().toLowerCase()}`;
}

/**
 * Checks an email and password, throttled: after too many failures for the email (or from the
 * address) every attempt is refused until the lock ends, right password or not.
 */
export async function checkPassword(
  context: Pick<AppContext, 'db' | 'now'>,
  email: string,
  password: string,
  address: string,
): Promise<string> {
  const now = context.now();
  const keys = { email: emailThrottleKey(email), address: `address:${address}` };
  const locked =
    (await sessionsRepository.lockedUntil(context.db, keys.email, now)) ??
    (await sessionsRepository.lockedUntil(context.db, keys.address, now));
  if (locked) throw throttled(locked, now);
  const user = await usersRepository.findByEmail(context.db, email.trim());
  const stored = user ? await usersRepository.passwordHash(context.db, user.id) : null;
  if (user && (await verifyPassword(password, stored))) {
    await sessionsRepository.clearFailures(context.db, keys.email);
    return user.id;
  }
  const lockedNow =
    (await sessionsRepository.recordFailure(context.db, keys.email, now, signInThrottle.email)) ??
    (await sessionsRepository.recordFailure(context.db, keys.address, now, signInThrottle.address));
  if (lockedNow) throw throttled(lockedNow, now);
  throw new TributaryError('sign_in_failed', 'Wrong email or password');
}

function throttled(until: Date, now: Date): TributaryError {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  return new TributaryError('sign_in_throttled', `Too many failed sign-ins; try again in ${seconds} s`, {
    details: { retryAt: until.toISOString(), retryAfterSeconds: seconds },
  });
}

/** Appends one audit entry about `userId` to each workspace the user belongs to. */
async function auditEverywhere(
  db: Queryable,
  userId: string,
  entry: {
    actorUserId: string | null;
    actor: string;
    action: string;
    details: Record<string, unknown>;
    at: Date;
  },
): Promise<void> {
  for (const membership of await usersRepository.memberships(db, userId)) {
    await auditRepository.append(db, {
      workspaceId: membership.workspaceId,
      actorUserId: entry.actorUserId,
      actorTokenId: null,
      actor: entry.actor,
      action: entry.action,
      targetType: 'user',
      targetId: userId,
      details: entry.details,
      at: entry.at,
    });
  }
}

/** Issues a one-time sign-in link secret for `userId` (null: whoever creates the owner with it). */
export async function issueSignInLink(
  db: Queryable,
  userId: string | null,
  now: Date,
  ttlMs: number,
): Promise<string> {
  const token = newSecret('signIn');
  await sessionsRepository.insertSignInLink(db, {
    tokenHash: hashSecret(token),
    userId,
    at: now,
    expiresAt: new Date(now.getTime() + ttlMs),
  });
  return token;
}

/** How long a link from `tributary users sign-in-link` works: by default, and at most. */
export const signInLinkMinutes = { default: 30, max: 24 * 60 };

/**
 * The web page that takes a sign-in link. The secret rides in the fragment (`#trl_…`), which browsers never send
 * to a server: it stays out of access logs, proxies and Referer headers, and a link preview cannot spend it.
 */
export const SIGN_IN_LINK_PATH = '/sign-in/link';

/** A link issued for a user, to hand over (it is the only copy: the store keeps its hash). */
export interface IssuedSignInLink {
  userId: string;
  email: string;
  url: string;
  expiresAt: Date;
}

/**
 * Issues a one-time sign-in link for the user with `email` at `publicUrl` (account recovery: the page lets them
 * choose a new password; or a first sign-in on a server nobody can reach from a browser on its machine).
 */
export async function issueSignInLinkFor(
  db: Db,
  publicUrl: string,
  email: string,
  now: Date,
  ttlMs: number,
): Promise<IssuedSignInLink> {
  const user = await usersRepository.findByEmail(db, email.trim());
  if (!user) throw new TributaryError('not_found', `No user has the email ${email.trim()}`);
  const token = await db.transaction(async (tx) => {
    const issued = await issueSignInLink(tx, user.id, now, ttlMs);
    // Whoever holds the link signs in as this user: every workspace the user can open keeps a trace of it.
    await auditEverywhere(tx, user.id, {
      actorUserId: null,
      actor: 'operator (tributary users sign-in-link)',
      action: 'issueSignInLink',
      details: { email: user.email, expiresAt: new Date(now.getTime() + ttlMs).toISOString() },
      at: now,
    });
    return issued;
  });
  return {
    userId: user.id,
    email: user.email,
    url: `${publicUrl.replace(/\/+$/, '')}${SIGN_IN_LINK_PATH}#${token}`,
    expiresAt: new Date(now.getTime() + ttlMs),
  };
}

/**
 * Spends a sign-in link and returns its user. With `newPassword` the link also sets the password (recovery: the
 * old one is lost, so it cannot be asked for), ends the user's other sessions and lifts a lock on their email.
 * The link is spent only if all of that is done (one transaction).
 */
export async function signInWithLinkToken(
  context: Pick<AppContext, 'db' | 'now'>,
  token: string,
  newPassword?: string,
): Promise<string> {
  const refused = new TributaryError('sign_in_failed', 'This sign-in link is unknown, used or expired');
  if (!isSecretOf('signIn', token)) throw refused;
  const now = context.now();
  // Hashed before the transaction, which would otherwise hold the embedded store for the hash's 60 ms. (The
  // cost per request is the password sign-in's: that one hashes for an unknown email too.)
  const passwordHash = newPassword === undefined ? null : await hashPassword(newPassword);
  return context.db.transaction(async (tx) => {
    const userId = await sessionsRepository.consumeSignInLink(tx, hashSecret(token), now);
    // A link without a user (an owner-setup link) does not sign anyone in here.
    if (!userId) throw refused;
    if (passwordHash !== null) {
      const user = await usersRepository.get(tx, userId);
      if (!user) throw refused;
      await usersRepository.setPassword(tx, userId, passwordHash, now);
      await sessionsRepository.deleteUserSessions(tx, userId, null);
      await sessionsRepository.clearFailures(tx, emailThrottleKey(user.email));
      // The request is anonymous, so the central audit trail has no workspace for it.
      await auditEverywhere(tx, userId, {
        actorUserId: userId,
        actor: user.email,
        action: 'recoverPasswordWithSignInLink',
        details: {},
        at: now,
      });
    }
    return userId;
  });
}
