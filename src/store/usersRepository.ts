/**
 * SQL for people and workspaces: users, workspaces and memberships (a user's role in a workspace).
 */
import type { Role } from '../domain/access.ts';
import type { Queryable, Row } from './db.ts';
import { dateOrNull } from './rows.ts';

/** A user as stored (the password hash stays in the store; see {@link usersRepository.passwordHash}). */
export interface UserRecord {
  id: string;
  email: string;
  name: string;
  hasPassword: boolean;
  createdAt: Date;
}

/** A workspace with the caller's role in it. */
export interface MembershipRecord {
  workspaceId: string;
  workspaceName: string;
  role: Role;
}

/** A member of a workspace. */
export interface MemberRecord {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: Date;
}

function rowToUser(row: Row): UserRecord {
  return {
    id: String(row.id),
    email: String(row.email),
    name: String(row.name),
    hasPassword: row.password_hash !== null,
    createdAt: dateOrNull(row.created_at)!,
  };
}

export const usersRepository = {
  async count(db: Queryable): Promise<number> {
    const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    return Number(rows[0]?.n ?? 0);
  },

  async insert(
    db: Queryable,
    user: { id: string; email: string; name: string; passwordHash: string | null; at: Date },
  ): Promise<void> {
    await db.query(
      `INSERT INTO users (id, email, name, password_hash, created_at, password_changed_at)
       VALUES ($1, $2, $3, $4, $5, $5)`,
      [user.id, user.email, user.name, user.passwordHash, user.at],
    );
  },

  async get(db: Queryable, id: string): Promise<UserRecord | null> {
    const rows = await db.query('SELECT * FROM users WHERE id = $1', [id]);
    return rows[0] ? rowToUser(rows[0]) : null;
  },

  async findByEmail(db: Queryable, email: string): Promise<UserRecord | null> {
    const rows = await db.query('SELECT * FROM users WHERE lower(email) = lower($1)', [email]);
    return rows[0] ? rowToUser(rows[0]) : null;
  },

  /** The stored password hash of a user (null: no password set). */
  async passwordHash(db: Queryable, id: string): Promise<string | null> {
    const rows = await db.query<{ password_hash: string | null }>(
      'SELECT password_hash FROM users WHERE id = $1',
      [id],
    );
    return rows[0]?.password_hash ?? null;
  },

  async setPassword(db: Queryable, id: string, passwordHash: string, at: Date): Promise<void> {
    await db.query('UPDATE users SET password_hash = $2, password_changed_at = $3 WHERE id = $1', [
      id,
      passwordHash,
      at,
    ]);
  },

  async insertWorkspace(db: Queryable, workspace: { id: string; name: string; at: Date }): Promise<void> {
    await db.query('INSERT INTO workspaces (id, name, created_at) VALUES ($1, $2, $3)', [
      workspace.id,
      workspace.name,
      workspace.at,
    ]);
  },

  async workspaceName(db: Queryable, id: string): Promise<string | null> {
    const rows = await db.query<{ name: string }>('SELECT name FROM workspaces WHERE id = $1', [id]);
    return rows[0]?.name ?? null;
  },

  async addMember(db: Queryable, workspaceId: string, userId: string, role: Role, at: Date): Promise<void> {
    // Joining again (a second invitation) keeps the higher of the two roles.
    await db.query(
      `INSERT INTO memberships (workspace_id, user_id, role, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = CASE
         WHEN array_position(ARRAY['viewer','editor','admin'], EXCLUDED.role)
            > array_position(ARRAY['viewer','editor','admin'], memberships.role)
         THEN EXCLUDED.role ELSE memberships.role END`,
      [workspaceId, userId, role, at],
    );
  },

  /** The workspaces a user belongs to, oldest membership first (the first is their default). */
  async memberships(db: Queryable, userId: string): Promise<MembershipRecord[]> {
    const rows = await db.query(
      `SELECT m.workspace_id, w.name, m.role FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
       WHERE m.user_id = $1 ORDER BY m.created_at, w.name, w.id`,
      [userId],
    );
    return rows.map((row) => ({
      workspaceId: String(row.workspace_id),
      workspaceName: String(row.name),
      role: row.role as Role,
    }));
  },

  /** The user's role in a workspace, or null when they are not a member. */
  async role(db: Queryable, workspaceId: string, userId: string): Promise<Role | null> {
    const rows = await db.query<{ role: Role }>(
      'SELECT role FROM memberships WHERE workspace_id = $1 AND user_id = $2',
      [workspaceId, userId],
    );
    return rows[0]?.role ?? null;
  },

  async members(db: Queryable, workspaceId: string): Promise<MemberRecord[]> {
    const rows = await db.query(
      `SELECT u.id, u.email, u.name, m.role, m.created_at FROM memberships m JOIN users u ON u.id = m.user_id
       WHERE m.workspace_id = $1 ORDER BY lower(u.email)`,
      [workspaceId],
    );
    return rows.map((row) => ({
      userId: String(row.id),
      email: String(row.email),
      name: String(row.name),
      role: row.role as Role,
      joinedAt: dateOrNull(row.created_at)!,
    }));
  },

  async setRole(db: Queryable, workspaceId: string, userId: string, role: Role): Promise<boolean> {
    const rows = await db.query(
      'UPDATE memberships SET role = $3 WHERE workspace_id = $1 AND user_id = $2 RETURNING user_id',
      [workspaceId, userId, role],
    );
    return rows.length > 0;
  },

  async removeMember(db: Queryable, workspaceId: string, userId: string): Promise<boolean> {
    const rows = await db.query(
      'DELETE FROM memberships WHERE workspace_id = $1 AND user_id = $2 RETURNING user_id',
      [workspaceId, userId],
    );
    return rows.length > 0;
  },

  /** One member of a workspace, or null when the user is not one. */
  async member(db: Queryable, workspaceId: string, userId: string): Promise<MemberRecord | null> {
    const members = await usersRepository.members(db, workspaceId);
    return members.find((m) => m.userId === userId) ?? null;
  },

  /**
   * The admins of a workspace, their rows locked until the transaction ends: two admins demoting
   * each other at once cannot leave the workspace with none.
   */
  async lockAdmins(db: Queryable, workspaceId: string): Promise<string[]> {
    const rows = await db.query<{ user_id: string }>(
      "SELECT user_id FROM memberships WHERE workspace_id = $1 AND role = 'admin' ORDER BY user_id FOR UPDATE",
      [workspaceId],
    );
    return rows.map((row) => String(row.user_id));
  },

  /** Revokes every API token a user holds for a workspace (they left it). Returns how many. */
  async revokeTokens(db: Queryable, workspaceId: string, userId: string, at: Date): Promise<number> {
    const rows = await db.query(
      `UPDATE api_tokens SET revoked_at = $3
        WHERE workspace_id = $1 AND user_id = $2 AND revoked_at IS NULL RETURNING id`,
      [workspaceId, userId, at],
    );
    return rows.length;
  },

  async adminCount(db: Queryable, workspaceId: string): Promise<number> {
    const rows = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM memberships WHERE workspace_id = $1 AND role = 'admin'",
      [workspaceId],
    );
    return Number(rows[0]?.n ?? 0);
  },
};
