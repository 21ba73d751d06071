/**
 * SQL for destinations (the PostgreSQL URL is sealed; the rest is plain config).
 */
import type { Queryable, Row } from './db.ts';
import { dateOrNull, json } from './rows.ts';

/** A destination as stored. */
export interface DestinationRecord {
  id: string;
  workspaceId: string;
  name: string;
  kind: 'duckdb' | 'postgres';
  /** DuckDB: `{path}`; PostgreSQL: `{schema, host, database}` (the URL itself is sealed). */
  config: Record<string, string>;
  sealedSecret: string | null;
  isDefault: boolean;
  createdAt: Date;
}

function rowToDestination(row: Row): DestinationRecord {
  return {
    id: String(row.id),
    workspaceId: String(row.workspace_id),
    name: String(row.name),
    kind: row.kind as DestinationRecord['kind'],
    config: json<Record<string, string>>(row.config),
    sealedSecret: row.sealed_secret === null ? null : String(row.sealed_secret),
    isDefault: Boolean(row.is_default),
    createdAt: dateOrNull(row.created_at)!,
  };
}

export const destinationsRepository = {
  async insert(db: Queryable, record: DestinationRecord): Promise<void> {
    await db.query(
      `INSERT INTO destinations (id, name, kind, config, sealed_secret, is_default, created_at, workspace_id)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8)`,
      [
        record.id,
        record.name,
        record.kind,
        JSON.stringify(record.config),
        record.sealedSecret,
        record.isDefault,
        record.createdAt,
        record.workspaceId,
      ],
    );
  },

  async get(db: Queryable, id: string): Promise<DestinationRecord | null> {
    const rows = await db.query('SELECT * FROM destinations WHERE id = $1', [id]);
    return rows[0] ? rowToDestination(rows[0]) : null;
  },

  async getDefault(db: Queryable, workspaceId: string): Promise<DestinationRecord | null> {
    const rows = await db.query('SELECT * FROM destinations WHERE is_default AND workspace_id = $1', [
      workspaceId,
    ]);
    return rows[0] ? rowToDestination(rows[0]) : null;
  },

  async list(db: Queryable, workspaceId: string): Promise<DestinationRecord[]> {
    return (
      await db.query('SELECT * FROM destinations WHERE workspace_id = $1 ORDER BY created_at, id', [
        workspaceId,
      ])
    ).map(rowToDestination);
  },

  /** True when a destination of another workspace writes to the same DuckDB file or PostgreSQL schema. */
  async usedByAnotherWorkspace(
    db: Queryable,
    place: { path: string } | { host: string; database: string; schema: string },
    workspaceId: string,
  ): Promise<boolean> {
    const rows = await db.query(
      'SELECT 1 FROM destinations WHERE workspace_id <> $1 AND config @> $2::jsonb LIMIT 1',
      [workspaceId, JSON.stringify(place)],
    );
    return rows.length > 0;
  },

  /** Deletes a destination no extraction uses; returns `in_use` otherwise. */
  async delete(db: Queryable, id: string): Promise<'deleted' | 'missing' | 'in_use'> {
    const users = await db.query('SELECT 1 FROM extractions WHERE destination_id = $1 LIMIT 1', [id]);
    if (users.length) return 'in_use';
    return (await db.query('DELETE FROM destinations WHERE id = $1 RETURNING id', [id])).length
      ? 'deleted'
      : 'missing';
  },
};
