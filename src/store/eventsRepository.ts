/**
 * SQL for events: what a user must hear about, newest first.
 */
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
    await db.query('INSERT INTO events (type, subject_id, data, at) VALUES ($1, $2, $3, $4)', [
      type,
      subjectId,
      JSON.stringify(data),
      at,
    ]);
  },

  async list(
    db: Queryable,
    query: { type?: string | undefined; before?: number | undefined; limit: number },
  ): Promise<EventRecord[]> {
    const rows = await db.query(
      `SELECT * FROM events WHERE ($1::text IS NULL OR type = $1) AND ($2::bigint IS NULL OR id < $2)
       ORDER BY id DESC LIMIT $3`,
      [query.type ?? null, query.before ?? null, query.limit],
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
