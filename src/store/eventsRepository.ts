/**
 * SQL for events: what a user must hear about, newest first.
 */
import { isUuid } from '../domain/ids.ts';
import type { Queryable } from './db.ts';
import { dateOrNull, json } from './rows.ts';

/** One recorded event. */
export interface EventRecord {
  id: number;
  type: string;
  subjectId: string;
  data: Record<string, unknown>;
  at: Date;
}

export const eventsRepository = {
  async append(
    db: Queryable,
    type: string,
    subjectId: string,
    data: Record<string, unknown>,
    at: Date,
  ): Promise<void> {
    // An event belongs to the workspace of what it is about (a connection, an extraction or a run);
    // about something deleted meanwhile, there is no one left to tell, and nothing is written.
    await db.query(
      `INSERT INTO events (type, subject_id, data, at, workspace_id)
       SELECT $1, $2, $3, $4, owner.workspace_id FROM (
         SELECT workspace_id FROM connections WHERE id = $5::uuid
         UNION ALL SELECT workspace_id FROM extractions WHERE id = $5::uuid
         UNION ALL SELECT e.workspace_id FROM runs r JOIN extractions e ON e.id = r.extraction_id WHERE r.id = $5::uuid
         LIMIT 1) AS owner`,
      [type, subjectId, JSON.stringify(data), at, isUuid(subjectId) ? subjectId : null],
    );
  },

  /**
   * Display names of event subjects: a connection as "source · business account", an extraction by
   * its name, a run by its extraction's name. Deleted subjects are simply absent.
   */
  async subjectNames(db: Queryable, ids: string[]): Promise<Map<string, string>> {
    // Subjects are uuids: compared as uuids, each lookup is a primary-key probe, not a scan of the table.
    const subjects = [...new Set(ids.filter(isUuid))];
    if (subjects.length === 0) return new Map();
    const rows = await db.query<{ id: string; name: string }>(
      `SELECT id::text AS id, data_source_name || ' · ' || coalesce(nullif(business_account, ''), 'not authorized') AS name
         FROM connections WHERE id = ANY($1::uuid[])
       UNION ALL
       SELECT id::text, name FROM extractions WHERE id = ANY($1::uuid[])
       UNION ALL
       SELECT r.id::text, e.name FROM runs r JOIN extractions e ON e.id = r.extraction_id
         WHERE r.id = ANY($1::uuid[])`,
      [subjects],
    );
    return new Map(rows.map((row) => [String(row.id), String(row.name)]));
  },

  async list(
    db: Queryable,
    query: { workspaceId: string; type?: string | undefined; before?: number | undefined; limit: number },
  ): Promise<EventRecord[]> {
    const rows = await db.query(
      `SELECT * FROM events WHERE workspace_id = $4 AND ($1::text IS NULL OR type = $1) AND ($2::bigint IS NULL OR id < $2)
       ORDER BY id DESC LIMIT $3`,
      [query.type ?? null, query.before ?? null, query.limit, query.workspaceId],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      type: String(row.type),
      subjectId: String(row.subject_id),
      data: json<Record<string, unknown>>(row.data),
      at: dateOrNull(row.at)!,
    }));
  },
};
