/**
 * SQL for proofs of identity: browser sessions, API tokens, one-time sign-in links, and the
 * failed sign-in counters that throttle guessing. Only hashes of secrets are stored.
 */
import type { Role } from '../domain/access.ts';
import type { Queryable, Row } from './db.ts';
import { dateOrNull } from './rows.ts';

/** A live session's owner and CSRF token hash. */
export interface SessionRecord {
  userId: string;
  email: string;
  csrfHash: string;
  expiresAt: Date;
  lastSeenAt: Date;
}

/** An API token as listed (never its secret). */
export interface TokenRecord {
  id: string;
  userId: string;
  userEmail: string;
  workspaceId: string;
  name: string;
  role: Role;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

function rowToToken(row: Row): TokenRecord {
  return {
    id: String(row.id),
    userId: String(row.user_id),
    userEmail: String(row.email),
    workspaceId: String(row.workspace_id),
    name: String(row.name),
    role: row.role as Role,
    prefix: String(row.prefix),
    createdAt: dateOrNull(row.created_at)!,
    lastUsedAt: dateOrNull(row.last_used_at),
    expiresAt: dateOrNull(row.expires_at),
    revokedAt: dateOrNull(row.revoked_at),
  };
}

export const sessionsRepository = {
  async insertSession(
    db: Queryable,
    session: { idHash: string; userId: string; csrfHash: string; at: Date; expiresAt: Date },
  ): Promise<void> {
    await db.query(
      `INSERT INTO sessions (id_hash, user_id, csrf_hash, created_at, expires_at, last_seen_at)
       VALUES ($1, $2, $3, $4, $5, $4)`,
      [session.idHash, session.userId, session.csrfHash, session.at, session.expiresAt],
    );
  },

  /** The session with this hash, unless it expired. */
  async findSession(db: Queryable, idHash: string, now: Date): Promise<SessionRecord | null> {
    const rows = await db.query(
      `SELECT s.user_id, u.email, s.csrf_hash, s.expires_at, s.last_seen_at
         FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id_hash = $1 AND s.expires_at > $2`,
      [idHash, now],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      userId: String(row.user_id),
      email: String(row.email),
      csrfHash: String(row.csrf_hash),
      expiresAt: dateOrNull(row.expires_at)!,
      lastSeenAt: dateOrNull(row.last_seen_at)!,
    };
  },

  /** Slides a session's expiry forward (called at most once a minute per session). */
  async touchSession(db: Queryable, idHash: string, at: Date, expiresAt: Date): Promise<void> {
    await db.query('UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE id_hash = $1', [
      idHash,
      at,
      expiresAt,
    ]);
  },

  async deleteSession(db: Queryable, idHash: string): Promise<void> {
    await db.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
  },

  /** Ends every session of a user except `keepHash` (after a password change). */
  async deleteUserSessions(db: Queryable, userId: string, keepHash: string | null): Promise<void> {
    await db.query('DELETE FROM sessions WHERE user_id = $1 AND id_hash IS DISTINCT FROM $2', [
      userId,
      keepHash,
    ]);
  },

  async insertToken(
    db: Queryable,
    token: {
      id: string;
      userId: string;
      workspaceId: string;
      name: string;
      role: Role;
      tokenHash: string;
      prefix: string;
      at: Date;
      expiresAt: Date | null;
    },
  ): Promise<void> {
    await db.query(
      `INSERT INTO api_tokens (id, user_id, workspace_id, name, role, token_hash, prefix, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        token.id,
        token.userId,
        token.workspaceId,
        token.name,
        token.role,
        token.tokenHash,
        token.prefix,
        token.at,
        token.expiresAt,
      ],
    );
  },

  /** A usable token by its hash: not revoked, not expired, its user still a member of its workspace. */
  async findToken(
    db: Queryable,
    tokenHash: string,
    now: Date,
  ): Promise<(TokenRecord & { memberRole: Role }) | null> {
    const rows = await db.query(
      `SELECT t.*, u.email, m.role AS member_role
         FROM api_tokens t
         JOIN users u ON u.id = t.user_id
         JOIN memberships m ON m.workspace_id = t.workspace_id AND m.user_id = t.user_id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2)`,
      [tokenHash, now],
    );
    const row = rows[0];
    return row ? { ...rowToToken(row), memberRole: row.member_role as Role } : null;
  },

  /** Records a token's use, at most once a minute (a list shows "last used" to the minute). */
  async touchToken(db: Queryable, id: string, at: Date): Promise<void> {
    await db.query(
      `UPDATE api_tokens SET last_used_at = $2
        WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute')`,
      [id, at],
    );
  },

  /** Tokens of a workspace: every user's when `userId` is null (admins), else one user's. */
  async listTokens(db: Queryable, workspaceId: string, userId: string | null): Promise<TokenRecord[]> {
    const rows = await db.query(
      `SELECT t.*, u.email FROM api_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.workspace_id = $1 AND ($2::uuid IS NULL OR t.user_id = $2)
        ORDER BY t.created_at DESC, t.id`,
      [workspaceId, userId],
    );
    return rows.map(rowToToken);
  },

  async getToken(db: Queryable, id: string): Promise<TokenRecord | null> {
    const rows = await db.query(
      'SELECT t.*, u.email FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = $1',
      [id],
    );
    return rows[0] ? rowToToken(rows[0]) : null;
  },

  async revokeToken(db: Queryable, id: string, at: Date): Promise<void> {
    await db.query('UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1', [id, at]);
  },

  async insertSignInLink(
    db: Queryable,
    link: { tokenHash: string; userId: string | null; at: Date; expiresAt: Date },
  ): Promise<void> {
    await db.query(
      'INSERT INTO sign_in_links (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)',
      [link.tokenHash, link.userId, link.at, link.expiresAt],
    );
  },

  /** Uses a sign-in link once: returns its user id, or undefined when unknown, used or expired. */
  async consumeSignInLink(db: Queryable, tokenHash: string, now: Date): Promise<string | null | undefined> {
    const rows = await db.query<{ user_id: string | null }>(
      `UPDATE sign_in_links SET used_at = $2
        WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id`,
      [tokenHash, now],
    );
    return rows[0] ? rows[0].user_id : undefined;
  },

  /** When `key` may try again (null: now). */
  async lockedUntil(db: Queryable, key: string, now: Date): Promise<Date | null> {
    const rows = await db.query<{ locked_until: Date | null }>(
      'SELECT locked_until FROM sign_in_failures WHERE key = $1 AND locked_until > $2',
      [key, now],
    );
    return rows[0] ? dateOrNull(rows[0].locked_until) : null;
  },

  /**
   * Counts a failed sign-in for `key` within a window; at `limit` failures the key is locked until
   * `lockMs` from now. Returns the lock's end, if this failure set one.
   */
  async recordFailure(
    db: Queryable,
    key: string,
    now: Date,
    rule: { limit: number; windowMs: number; lockMs: number },
  ): Promise<Date | null> {
    const windowStart = new Date(now.getTime() - rule.windowMs);
    const lockUntil = new Date(now.getTime() + rule.lockMs);
    const rows = await db.query<{ locked_until: Date | null }>(
      `INSERT INTO sign_in_failures (key, failures, window_started_at) VALUES ($1, 1, $2)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN sign_in_failures.window_started_at < $3 THEN 1 ELSE sign_in_failures.failures + 1 END,
         window_started_at = CASE WHEN sign_in_failures.window_started_at < $3 THEN $2 ELSE sign_in_failures.window_started_at END,
         locked_until = CASE
           WHEN (CASE WHEN sign_in_failures.window_started_at < $3 THEN 1 ELSE sign_in_failures.failures + 1 END) >= $4
           THEN $5::timestamptz ELSE sign_in_failures.locked_until END
       RETURNING locked_until`,
      [key, now, windowStart, rule.limit, lockUntil],
    );
    const locked = dateOrNull(rows[0]?.locked_until);
    return locked && locked > now ? locked : null;
  },

  async clearFailures(db: Queryable, key: string): Promise<void> {
    await db.query('DELETE FROM sign_in_failures WHERE key = $1', [key]);
  },
};
