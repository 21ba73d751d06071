/**
 * SQL that answers "does this object belong to this workspace?" for every kind of object a request
 * can name. The server asks it before any handler runs, so no handler can reach across workspaces.
 */
import type { OwnedKind } from '../domain/access.ts';
import { isUuid } from '../domain/ids.ts';
import type { Queryable } from './db.ts';

/** One probe per kind; `$1` is the id, `$2` the workspace. */
const probes: Record<OwnedKind, string> = {
  connection: 'SELECT 1 FROM connections WHERE id = $1 AND workspace_id = $2',
  sharedConnection: `SELECT 1 FROM connections WHERE id = $1 AND workspace_id = $2
                     UNION ALL SELECT 1 FROM connection_shares WHERE connection_id = $1 AND workspace_id = $2`,
  extraction: 'SELECT 1 FROM extractions WHERE id = $1 AND workspace_id = $2',
  run: `SELECT 1 FROM runs r JOIN extractions e ON e.id = r.extraction_id
        WHERE r.id = $1 AND e.workspace_id = $2`,
  destination: 'SELECT 1 FROM destinations WHERE id = $1 AND workspace_id = $2',
  template: 'SELECT 1 FROM custom_templates WHERE id = $1 AND workspace_id = $2',
  webhook: 'SELECT 1 FROM webhooks WHERE id = $1 AND workspace_id = $2',
  token: 'SELECT 1 FROM api_tokens WHERE id = $1 AND workspace_id = $2',
  member: 'SELECT 1 FROM memberships WHERE user_id = $1 AND workspace_id = $2',
  invitation: 'SELECT 1 FROM invitations WHERE id = $1 AND workspace_id = $2',
};

export const ownershipRepository = {
  /**
   * True when object `id` of `kind` belongs to `workspaceId`. Templates named by a global id (not
   * a uuid, e.g. `meta-ads.campaign_daily`) belong to every workspace; other non-uuid ids to none.
   */
  async belongs(db: Queryable, kind: OwnedKind, id: string, workspaceId: string): Promise<boolean> {
    if (!isUuid(id)) return kind === 'template';
    const rows = await db.query(`${probes[kind]} LIMIT 1`, [id, workspaceId]);
    return rows.length > 0;
  },
};
