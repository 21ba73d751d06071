/**
 * SQL for invitations: an admin invites an email with a role; the link's secret is stored only as
 * its hash, and the row is used once (`used_at`) before it expires.
 */
import type { Role } from '../domain/access.ts';
import type { Queryable, Row } from './db.ts';
import { dateOrNull } from './rows.ts';

/** An invitation as stored (without its token hash). */
export interface InvitationRecord {
  id: string;
  workspaceId: string;
  workspaceName: string;
  email: string;
  role: Role;
  /** Email of the inviting admin (null when that user is gone). */
  invitedBy: string | null;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

const SELECT = `SELECT i.id, i.workspace_id, w.name AS workspace_name, i.email, i.role, u.email AS invited_by,
                       i.created_at, i.expires_at, i.used_at
                  FROM invitations i
                  JOIN workspaces w ON w.id = i.workspace_id
                  LEFT JOIN users u ON u.id = i.invited_by`;

function rowToInvitation(row: Row): InvitationRecord {
  return {
    id: String(row.id),
    workspaceId: String(row.workspace_id),
    workspaceName: String(row.workspace_name),
    email: String(row.email),
    role: row.role as Role,
    invitedBy: row.invited_by === null ? null : String(row.invited_by),
    createdAt: dateOrNull(row.created_at)!,
    expiresAt: dateOrNull(row.expires_at)!,
    usedAt: dateOrNull(row.used_at),
  };
}

export const invitationsRepository = {
  async insert(
    db: Queryable,
    invitation: {
      id: string;
      workspaceId: string;
      email: string;
      role: Role;
      tokenHash: string;
      invitedBy: string;
      at: Date;
      expiresAt: Date;
    },
  ): Promise<void> {
    await db.query(
      `INSERT INTO invitations (id, workspace_id, email, role, token_hash, invited_by, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        invitation.id,
        invitation.workspaceId,
        invitation.email,
        invitation.role,
        invitation.tokenHash,
        invitation.invitedBy,
        invitation.at,
        invitation.expiresAt,
      ],
    );
  },

  async get(db: Queryable, id: string): Promise<InvitationRecord | null> {
    const rows = await db.query(`${SELECT} WHERE i.id = $1`, [id]);
    return rows[0] ? rowToInvitation(rows[0]) : null;
  },

  /** A workspace's invitations, newest first. */
  async list(db: Queryable, workspaceId: string): Promise<InvitationRecord[]> {
    const rows = await db.query(`${SELECT} WHERE i.workspace_id = $1 ORDER BY i.created_at DESC, i.id`, [
      workspaceId,
    ]);
    return rows.map(rowToInvitation);
  },

  /** The invitation a link's secret opens, when it is unused and unexpired at `now`; else null. */
  async findUsable(db: Queryable, tokenHash: string, now: Date): Promise<InvitationRecord | null> {
    const rows = await db.query(
      `${SELECT} WHERE i.token_hash = $1 AND i.used_at IS NULL AND i.expires_at > $2`,
      [tokenHash, now],
    );
    return rows[0] ? rowToInvitation(rows[0]) : null;
  },

  /**
   * Marks an invitation used, once: true for the one caller that wins (two concurrent accepts of
   * the same link cannot both join).
   */
  async consume(db: Queryable, id: string, now: Date): Promise<boolean> {
    const rows = await db.query(
      'UPDATE invitations SET used_at = $2 WHERE id = $1 AND used_at IS NULL AND expires_at > $2 RETURNING id',
      [id, now],
    );
    return rows.length > 0;
  },

  async delete(db: Queryable, id: string): Promise<boolean> {
    const rows = await db.query('DELETE FROM invitations WHERE id = $1 RETURNING id', [id]);
    return rows.length > 0;
  },
};
