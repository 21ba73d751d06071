/**
 * SQL for the audit log: who created, reconnected, deleted, shared or changed what in a workspace,
 * and when. Entries hold ids, field names and outcomes, never values that could carry a secret.
 */
import type { Queryable } from './db.ts';
import { dateOrNull, json } from './rows.ts';

/** One audit entry. */
export interface AuditEntry {
  id: number;
  workspaceId: string;
  actorUserId: string | null;
  actorTokenId: string | null;
  /** The actor as shown: an email, with the token's name when a token acted. */
  actor: string;
  action: string;
  targetType: string;
  targetId: string | null;
  details: Record<string, unknown>;
  at: Date;
}

export const auditRepository = {
  async append(db: Queryable, entry: Omit<AuditEntry, 'id'>): Promise<void> {
    await db.query(
      `INSERT INTO audit_log (workspace_id, actor_user_id, actor_token_id, actor, action, target_type, target_id, details, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        entry.workspaceId,
        entry.actorUserId,
        entry.actorTokenId,
        entry.actor,
        entry.action,
        entry.targetType,
        entry.targetId,
        JSON.stringify(entry.details),
        entry.at,
      ],
    );
  },

  /** The UTC days on which a workspace has entries (`YYYY-MM-DD`), oldest first. */
  async days(db: Queryable, workspaceId: string): Promise<string[]> {
    const rows = await db.query<{ day: string }>(
      `SELECT DISTINCT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day FROM audit_log
        WHERE workspace_id = $1 ORDER BY day`,
      [workspaceId],
    );
    return rows.map((row) => String(row.day));
  },

  /** A workspace's entries, newest first, before entry `before` when given. */
  async list(
    db: Queryable,
    workspaceId: string,
    query: { before?: number | undefined; limit: number },
  ): Promise<AuditEntry[]> {
    const rows = await db.query(
      `SELECT * FROM audit_log WHERE workspace_id = $1 AND ($2::bigint IS NULL OR id < $2)
       ORDER BY id DESC LIMIT $3`,
      [workspaceId, query.before ?? null, query.limit],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      workspaceId: String(row.workspace_id),
      actorUserId: row.actor_user_id === null ? null : String(row.actor_user_id),
      actorTokenId: row.actor_token_id === null ? null : String(row.actor_token_id),
      actor: String(row.actor),
      action: String(row.action),
      targetType: String(row.target_type),
      targetId: row.target_id === null ? null : String(row.target_id),
      details: json<Record<string, unknown>>(row.details),
      at: dateOrNull(row.at)!,
    }));
  },
};
