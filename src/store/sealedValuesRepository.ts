/**
 * SQL for every vault envelope in the store, as one list: the master key rotation reads and rewrites them all in
 * one transaction. A new sealed column must be added to {@link sealedColumns}, or a rotation would leave it under
 * the old key (the rotation test seals one value per column listed here and reads each back).
 */
import type { Queryable } from './db.ts';

/** A column holding envelopes; `key` is the row's key, which is also the envelope's authenticated context. */
export interface SealedColumn {
  table: string;
  key: string;
  column: string;
}

/** Every sealed column, with the key its envelopes are bound to (the context passed to `Vault.seal`). */
export const sealedColumns: readonly SealedColumn[] = [
  { table: 'credentials', key: 'connection_id', column: 'sealed' },
  { table: 'oauth_states', key: 'state_hash', column: 'sealed_verifier' },
  { table: 'destinations', key: 'id', column: 'sealed_secret' },
  { table: 'webhooks', key: 'id', column: 'sealed_secret' },
];

/** One envelope and where it lives. */
export interface SealedValue {
  column: SealedColumn;
  /** The row key as text: the envelope's context. */
  key: string;
  sealed: string;
}

export const sealedValuesRepository = {
  /** Every envelope in `column`, locked until the transaction ends so no writer slips in between read and write. */
  async lockAll(db: Queryable, column: SealedColumn): Promise<SealedValue[]> {
    const rows = await db.query(
      `SELECT ${column.key}::text AS key, ${column.column} AS sealed FROM ${column.table}
       WHERE ${column.column} IS NOT NULL ORDER BY 1 FOR UPDATE`,
    );
    return rows.map((row) => ({ column, key: String(row.key), sealed: String(row.sealed) }));
  },

  /** Replaces one envelope, only if it is still the one read (a changed row means a writer did not stop). */
  async replace(db: Queryable, value: SealedValue, sealed: string): Promise<boolean> {
    const { table, key, column } = value.column;
    const rows = await db.query(
      `UPDATE ${table} SET ${column} = $2 WHERE ${key}::text = $1 AND ${column} = $3 RETURNING 1 AS ok`,
      [value.key, sealed, value.sealed],
    );
    return rows.length === 1;
  },
};
