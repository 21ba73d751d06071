/**
 * SQL for connection shares: a connection of one workspace whose accounts another workspace may
 * read and extract from (never change, reconnect or delete).
 */
import type { Queryable } from './db.ts';
import { dateOrNull } from './rows.ts';

/** A workspace a connection is shared with. */
export interface ShareRecord {
  connectionId: string;
  workspaceId: string;
  workspaceName: string;
  sharedAt: Date;
}

/** The workspace that owns a connection, as shown to the workspaces it is shared with. */
export interface OwnerRecord {
  workspaceId: string;
  workspaceName: string;
}

export const sharesRepository = {
  async list(db: Queryable, connectionId: string): Promise<ShareRecord[]> {
    const rows = await db.query(
      `SELECT s.connection_id, s.workspace_id, w.name, s.created_at
         FROM connection_shares s JOIN workspaces w ON w.id = s.workspace_id
        WHERE s.connection_id = $1 ORDER BY w.name, s.workspace_id`,
      [connectionId],
    );
    return rows.map((row) => ({
      connectionId: String(row.connection_id),
      workspaceId: String(row.workspace_id),
      workspaceName: String(row.name),
      sharedAt: dateOrNull(row.created_at)!,
    }));
  },

  /** Shares a connection with a workspace; sharing again keeps the first share (and its date). */
  async insert(
    db: Queryable,
    share: { connectionId: string; workspaceId: string; sharedBy: string; at: Date },
  ): Promise<void> {
    await db.query(
      `INSERT INTO connection_shares (connection_id, workspace_id, shared_by, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (connection_id, workspace_id) DO NOTHING`,
      [share.connectionId, share.workspaceId, share.sharedBy, share.at],
    );
  },

  async delete(db: Queryable, connectionId: string, workspaceId: string): Promise<boolean> {
    const rows = await db.query(
      'DELETE FROM connection_shares WHERE connection_id = $1 AND workspace_id = $2 RETURNING connection_id',
      [connectionId, workspaceId],
    );
    return rows.length > 0;
  },

  /**
   * Pauses one workspace's extractions on a connection (the share ended), with the reason; the
   * owner's own extractions, and other workspaces', keep running. Returns the paused ids.
   */
  async pauseExtractionsOf(
    db: Queryable,
    connectionId: string,
    workspaceId: string,
    reason: string,
    at: Date,
  ): Promise<string[]> {
    const rows = await db.query(
      `UPDATE extractions SET status = 'paused', status_details = $3, updated_at = $4
        WHERE connection_id = $1 AND workspace_id = $2 AND status <> 'paused' RETURNING id`,
      [connectionId, workspaceId, JSON.stringify({ kind: 'automatic', reason, at: at.toISOString() }), at],
    );
    return rows.map((row) => String(row.id));
  },

  /** The owning workspaces of the given connections that are not `viewerWorkspaceId` (shared with it). */
  async ownersOf(
    db: Queryable,
    connectionIds: readonly string[],
    viewerWorkspaceId: string,
  ): Promise<Map<string, OwnerRecord>> {
    if (connectionIds.length === 0) return new Map();
    const rows = await db.query(
      `SELECT c.id, c.workspace_id, w.name FROM connections c JOIN workspaces w ON w.id = c.workspace_id
        WHERE c.id = ANY($1::uuid[]) AND c.workspace_id <> $2`,
      [connectionIds, viewerWorkspaceId],
    );
    return new Map(
      rows.map((row) => [
        String(row.id),
        { workspaceId: String(row.workspace_id), workspaceName: String(row.name) },
      ]),
    );
  },
};
