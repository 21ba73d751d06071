/**
 * SQL for destinations (the PostgreSQL URL is sealed; the rest is plain config).
 */
import type { Queryable, Row } from './db.ts';
import { dateOrNull, json } from './rows.ts';

/** A destination as stored. */
export interface DestinationRecord {
  id: string;
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
      `INSERT INTO destinations (id, name, kind, config, sealed_secret, is_default, created_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7)`,
      [
        record.id,
        record.name,
        record.kind,
        JSON.stringify(record.config),
        record.sealedSecret,
        record.isDefault,
        record.createdAt,
      ],
    );
  },

  async get(db: Queryable, id: string): Promise<DestinationRecord | null> {
    const rows = await db.query('SELECT * FROM destinations WHERE id = $1', [id]);
    return rows[0] ? rowToDestination(rows[0]) : null;
  },

  async getDefault(db: Queryable): Promise<DestinationRecord | null> {
    const rows = await db.query('SELECT * FROM destinations WHERE is_default');
    return rows[0] ? rowToDestination(rows[0]) : null;
  },

  async list(db: Queryable): Promise<DestinationRecord[]> {
    return (await db.query('SELECT * FROM destinations ORDER BY created_at, id')).map(rowToDestination);
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
