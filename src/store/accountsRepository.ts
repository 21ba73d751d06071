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
    selected: row.selected !== false,
    manager: row.is_manager === true,
    managerPath: Array.isArray(row.manager_path) ? row.manager_path.map(String) : [],
  };
}

/** Joins a manager path for one statement parameter (a control character no account name contains). */
const PATH_SEPARATOR = '\u001f';

/** What one discovery changed. */
export interface DiscoveryOutcome {
  added: number;
  lost: number;
  /** Accounts the credential reaches now that extractions may use (selected). */
  active: number;
}

export const accountsRepository = {
  /**
   * Records a complete discovery: new accounts are added with `now`, known ones updated (and
   * regained if they had been lost), and accounts no longer seen are marked lost at `now`.
   * New accounts are selected when the connection syncs all accounts, and not otherwise.
   */
  async applyDiscovery(
    db: Queryable,
    connectionId: string,
    accounts: ProviderAccount[],
    now: Date,
    selectNew = true,
  ): Promise<DiscoveryOutcome> {
    let added = 0;
    // Chunks keep each statement's parameter arrays bounded on very large businesses.
    for (let start = 0; start < accounts.length; start += 5000) {
      const chunk = accounts.slice(start, start + 5000);
      const rows = await db.query(
        `INSERT INTO accounts (connection_id, provider_account_id, name, currency, timezone, provider_status,
           added_at, lost_at, updated_at, selected, is_manager, manager_path)
         SELECT $1::uuid, t.id, t.name, t.currency, t.timezone, t.status, $7::timestamptz, NULL, $7::timestamptz, $8,
           t.manager, CASE WHEN t.path = '' THEN '{}'::text[] ELSE string_to_array(t.path, $11) END
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $9::boolean[], $10::text[])
           AS t(id, name, currency, timezone, status, manager, path)
         ON CONFLICT (connection_id, provider_account_id) DO UPDATE SET
           name = EXCLUDED.name, currency = EXCLUDED.currency, timezone = EXCLUDED.timezone,
           provider_status = EXCLUDED.provider_status, lost_at = NULL, updated_at = EXCLUDED.updated_at,
           is_manager = EXCLUDED.is_manager, manager_path = EXCLUDED.manager_path
         RETURNING (xmax = 0) AS inserted`,
        [
          connectionId,
          chunk.map((account) => account.id),
          chunk.map((account) => account.name),
          chunk.map((account) => account.currency),
          chunk.map((account) => account.timezone),
          chunk.map((account) => account.status),
          now,
          selectNew,
          chunk.map((account) => account.manager === true),
          // unnest cannot take a ragged text[][]: each path travels as one string split on a separator no name has.
          chunk.map((account) => (account.managerPath ?? []).join(PATH_SEPARATOR)),
          PATH_SEPARATOR,
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
    return { added, lost: lostRows.length, active: await this.countUsable(db, connectionId) };
  },

  /** Accounts extractions may use: selected, not lost, not a manager (see `isUsableAccount`). */
  async countUsable(db: Queryable, connectionId: string): Promise<number> {
    const [count] = await db.query<{ usable: number }>(
      `SELECT count(*)::int AS usable FROM accounts
       WHERE connection_id = $1 AND lost_at IS NULL AND selected AND NOT is_manager`,
      [connectionId],
    );
    return Number(count?.usable ?? 0);
  },

  /** Selects every account (`null`) or exactly the given ones; returns the ids that are not accounts of the connection. */
  async select(db: Queryable, connectionId: string, accountIds: string[] | null): Promise<string[]> {
    if (accountIds === null) {
      await db.query('UPDATE accounts SET selected = true WHERE connection_id = $1 AND NOT selected', [
        connectionId,
      ]);
      return [];
    }
    const known = await db.query<{ id: string }>(
      `SELECT provider_account_id AS id FROM accounts
       WHERE connection_id = $1 AND provider_account_id = ANY($2::text[])`,
      [connectionId, accountIds],
    );
    const knownIds = new Set(known.map((row) => String(row.id)));
    const unknown = accountIds.filter((id) => !knownIds.has(id));
    if (unknown.length > 0) return unknown;
    await db.query(
      `UPDATE accounts SET selected = (provider_account_id = ANY($2::text[])) WHERE connection_id = $1`,
      [connectionId, accountIds],
    );
    return [];
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
