/**
 * SQL for discovered accounts: apply one discovery result (added, kept, lost, regained) and list them.
 */

import type { ProviderAccount } from '../connectors/kit/types.ts';
import type { Account } from '../domain/connection.ts';
import type { Queryable, Row } from './db.ts';

function rowToAccount(row: Row): Account {
  return {
    connectionId: String(row.connection_id),
    providerAccountId: String(row.provider_account_id),
    name: String(row.name),
    currency: row.currency === null ? null : String(row.currency),
    timezone: row.timezone === null ? null : String(row.timezone),
    providerStatus: String(row.provider_status),
    addedAt: row.added_at as Date,
    lostAt: (row.lost_at as Date | null) ?? null,
  };
}

/** What one discovery changed. */
export interface DiscoveryOutcome {
  added: number;
  lost: number;
  /** Accounts the credential reaches now. */
  active: number;
}

export const accountsRepository = {
  /**
   * Records a complete discovery: new accounts are added with `now`, known ones updated (and
   * regained if they had been lost), and accounts no longer seen are marked lost at `now`.
   */
  async applyDiscovery(
    db: Queryable,
    connectionId: string,
    accounts: ProviderAccount[],
    now: Date,
  ): Promise<DiscoveryOutcome> {
    let added = 0;
    // Chunks keep each statement's parameter arrays bounded on very large businesses.
    for (let start = 0; start < accounts.length; start += 5000) {
      const chunk = accounts.slice(start, start + 5000);
      const rows = await db.query(
        `INSERT INTO accounts (connection_id, provider_account_id, name, currency, timezone, provider_status,
           added_at, lost_at, updated_at)
         SELECT $1::uuid, t.id, t.name, t.currency, t.timezone, t.status, $7::timestamptz, NULL, $7::timestamptz
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS t(id, name, currency, timezone, status)
         ON CONFLICT (connection_id, provider_account_id) DO UPDATE SET
           name = EXCLUDED.name, currency = EXCLUDED.currency, timezone = EXCLUDED.timezone,
           provider_status = EXCLUDED.provider_status, lost_at = NULL, updated_at = EXCLUDED.updated_at
         RETURNING (xmax = 0) AS inserted`,
        [
          connectionId,
          chunk.map((account) => account.id),
          chunk.map((account) => account.name),
          chunk.map((account) => account.currency),
          chunk.map((account) => account.timezone),
          chunk.map((account) => account.status),
          now,
        ],
      );
      added += rows.filter((row) => row.inserted === true).length;
    }
    const lostRows = await db.query(
      `UPDATE accounts SET lost_at = $3, updated_at = $3
       WHERE connection_id = $1 AND lost_at IS NULL AND NOT (provider_account_id = ANY($2::text[]))
       RETURNING provider_account_id`,
      [connectionId, accounts.map((account) => account.id), now],
    );
    const [count] = await db.query<{ active: number }>(
      'SELECT count(*)::int AS active FROM accounts WHERE connection_id = $1 AND lost_at IS NULL',
      [connectionId],
    );
    return { added, lost: lostRows.length, active: Number(count?.active ?? 0) };
  },

  /** Every account of a connection, reachable ones first, by name. */
  async list(db: Queryable, connectionId: string): Promise<Account[]> {
    const rows = await db.query(
      `SELECT * FROM accounts WHERE connection_id = $1
       ORDER BY (lost_at IS NOT NULL), lower(name) COLLATE "C", provider_account_id COLLATE "C"`,
      [connectionId],
    );
    return rows.map(rowToAccount);
  },
};
