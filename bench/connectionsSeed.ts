/**
 * Seeds the connections benchmark: 100,000 connections with about 1,000,000 discovered accounts,
 * written set-based (`INSERT … SELECT … FROM generate_series`) in batches, with deterministic,
 * varied data derived from md5 of the row number.
 */
import type { Db } from '../src/store/db.ts';

/** The data sources of the seeded connections and their share, in percent of all connections. */
export const seededSources = [
  { id: 'meta-ads', name: 'Meta Ads', percent: 70 },
  { id: 'google-ads', name: 'Google Ads', percent: 10 },
  { id: 'ga4', name: 'GA4', percent: 8 },
  { id: 'linkedin-ads', name: 'LinkedIn Ads', percent: 6 },
  { id: 'tiktok-ads', name: 'TikTok Ads', percent: 6 },
] as const;

/** How the store was seeded: sizes, timings and how many rows each search term matches. */
export interface SeedReport {
  connections: number;
  accounts: number;
  insertConnectionsMs: number;
  insertAccountsMs: number;
  vacuumAnalyzeMs: number;
  totalMs: number;
  /** Connections each benchmark search term matches (the list's ILIKE on name or business account). */
  searchMatches: Record<string, number>;
}

/** A CASE over the hash bucket `h % 100` picking each source by its share. */
function sourceCase(column: 'id' | 'name'): string {
  let upTo = 0;
  const branches = seededSources.map((source) => {
    upTo += source.percent;
    return `WHEN h1 % 100 < ${upTo} THEN '${source[column]}'`;
  });
  return `CASE ${branches.join(' ')} END`;
}

/**
 * A deterministic RFC 9562 version-4 UUID for row `n` (md5-derived): the product's ids are
 * `crypto.randomUUID()`s and its list cursors only accept RFC UUIDs.
 */
const uuidOf = (n: string) =>
  `(substr(md5('bench-connection-' || ${n}), 1, 12) || '4' || substr(md5('bench-connection-' || ${n}), 14, 3)` +
  ` || '8' || substr(md5('bench-connection-' || ${n}), 18, 15))::uuid`;

/** 28-bit unsigned integers from 7 hex digits of an md5. */
const hash = (md5: string, start: number) => `('x' || substr(${md5}, ${start}, 7))::bit(28)::int`;

/**
 * One batch of connections, rows `$1`..`$2`. Per row n (all choices are md5(n)-derived):
 * source by share; 3% pending (no business account, no accounts, never authorized), 6% error
 * (credential and discovery failed), the rest active; accounts 0–20 (+0–10 for every tenth),
 * 10.5 on average; discovery 3% error, 2% loading, else ready/none by the count; created over
 * two years; last authorized between creation and the end of those years (null for pending and
 * one in fifty others).
 */
const insertConnections = `
INSERT INTO connections (id, data_source, data_source_name, auth_type, business_account, business_account_id,
  status, status_details, account_status, accounts_count, scopes, token_expires_at, created_at, updated_at,
  last_authorized_at, accounts_synced_at, workspace_id)
SELECT id, data_source, data_source_name, 'oauth2', business_account, business_account_id, status,
  CASE WHEN account_status = 'error' THEN jsonb_build_object(
    'code', CASE WHEN status = 'error' THEN 'auth_token_revoked' ELSE 'rate_limited' END,
    'category', CASE WHEN status = 'error' THEN 'auth' ELSE 'quota' END,
    'message', CASE WHEN status = 'error' THEN 'The access token was revoked' ELSE 'The provider throttled us' END,
    'remedy', 'Reconnect the connection.',
    'at', to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')) END,
  account_status, accounts_count,
  CASE WHEN status = 'pending' THEN '{}'::text[] ELSE ARRAY['ads_read', 'business_management'] END,
  last_authorized_at + interval '60 days', created_at, updated_at, last_authorized_at,
  CASE WHEN status = 'pending' THEN NULL ELSE updated_at END,
  '00000000-0000-4000-8000-000000000001'::uuid
FROM (
  SELECT *, COALESCE(last_authorized_at, created_at) + interval '5 minutes' AS updated_at
  FROM (
    SELECT n, ${uuidOf('n')} AS id, status, created_at,
      ${sourceCase('id')} AS data_source,
      ${sourceCase('name')} AS data_source_name,
      CASE WHEN status = 'pending' THEN '' ELSE 'user' || n || '@client' || (h3 / 32) % 1000 || '.example' END
        AS business_account,
      CASE WHEN status = 'pending' THEN ''
        ELSE (100000000000000 + (h5::bigint * 268435456 + h6) % 900000000000000)::text END AS business_account_id,
      CASE WHEN status = 'pending' THEN 0 ELSE found END AS accounts_count,
      CASE WHEN status = 'pending' THEN 'none' WHEN status = 'error' OR r < 3 THEN 'error'
        WHEN r < 5 THEN 'loading' WHEN found > 0 THEN 'ready' ELSE 'none' END AS account_status,
      CASE WHEN status = 'pending' OR h7 % 50 = 0 THEN NULL
        ELSE created_at + (timestamptz '2026-01-01T00:00:00Z' - created_at) * ((h8 % 1000) / 1000.0) END
        AS last_authorized_at
    FROM (
      SELECT *,
        CASE WHEN h2 % 100 < 3 THEN 'pending' WHEN h2 % 100 < 9 THEN 'error' ELSE 'active' END AS status,
        (h3 % 21) + CASE WHEN h4 % 10 = 0 THEN (h4 / 10) % 11 ELSE 0 END AS found,
        (h2 / 100) % 100 AS r,
        timestamptz '2024-01-01T00:00:00Z' + ((h7::bigint * 268435456 + h8) % 63072000) * interval '1 second'
          AS created_at
      FROM (
        SELECT n, ${hash('a', 1)} AS h1, ${hash('a', 8)} AS h2, ${hash('a', 15)} AS h3, ${hash('a', 22)} AS h4,
          ${hash('b', 1)} AS h5, ${hash('b', 8)} AS h6, ${hash('b', 15)} AS h7, ${hash('b', 22)} AS h8
        FROM generate_series($1::int, $2::int) AS n,
          LATERAL (SELECT md5('bench-a-' || n) AS a, md5('bench-b-' || n) AS b) AS digests
      ) AS hashed
    ) AS decided
  ) AS shaped
) AS complete`;

/** The accounts of connections `$1`..`$2`: exactly `accounts_count` reachable accounts each. */
const insertAccounts = `
INSERT INTO accounts (connection_id, provider_account_id, name, currency, timezone, provider_status,
  added_at, lost_at, updated_at)
SELECT c.id, 'act_' || (n::bigint * 100 + k), 'Client account ' || n || '-' || k,
  (ARRAY['USD', 'EUR', 'GBP', 'JPY'])[1 + (n + k) % 4],
  (ARRAY['America/New_York', 'Europe/Berlin', 'Europe/London', 'Asia/Tokyo'])[1 + (n + k) % 4],
  CASE WHEN (n + k) % 17 = 0 THEN 'DISABLED' ELSE 'ACTIVE' END,
  COALESCE(c.accounts_synced_at, c.created_at) - k * interval '1 day', NULL,
  COALESCE(c.accounts_synced_at, c.created_at)
FROM generate_series($1::int, $2::int) AS n
JOIN connections AS c ON c.id = ${uuidOf('n')}
CROSS JOIN LATERAL generate_series(1, c.accounts_count) AS k`;

/** Inserts `connections` connections and their accounts into a migrated store, then VACUUM ANALYZE. */
export async function seedConnections(
  db: Db,
  options: { connections: number; batch: number; searches: readonly string[]; log: (line: string) => void },
): Promise<SeedReport> {
  const started = performance.now();
  for (let from = 1; from <= options.connections; from += options.batch) {
    await db.query(insertConnections, [from, Math.min(from + options.batch - 1, options.connections)]);
  }
  const connectionsDone = performance.now();
  options.log(`  connections inserted in ${((connectionsDone - started) / 1000).toFixed(1)} s`);
  for (let from = 1; from <= options.connections; from += options.batch) {
    await db.query(insertAccounts, [from, Math.min(from + options.batch - 1, options.connections)]);
  }
  const accountsDone = performance.now();
  options.log(`  accounts inserted in ${((accountsDone - connectionsDone) / 1000).toFixed(1)} s`);
  // VACUUM as well as ANALYZE: the list then runs on a settled table (hint bits set, no autovacuum
  // starting mid-measurement), as a long-lived store's would be.
  await db.exec('VACUUM ANALYZE connections');
  await db.exec('VACUUM ANALYZE accounts');
  const analyzed = performance.now();
  const [counts] = await db.query<{ connections: number; accounts: number }>(
    'SELECT (SELECT count(*)::int FROM connections) AS connections, (SELECT count(*)::int FROM accounts) AS accounts',
  );
  const searchMatches: Record<string, number> = {};
  for (const search of options.searches) {
    const [row] = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM connections WHERE data_source_name ILIKE $1 OR business_account ILIKE $1',
      [`%${search}%`],
    );
    searchMatches[search] = Number(row?.n ?? 0);
  }
  return {
    connections: Number(counts?.connections ?? 0),
    accounts: Number(counts?.accounts ?? 0),
    insertConnectionsMs: connectionsDone - started,
    insertAccountsMs: accountsDone - connectionsDone,
    vacuumAnalyzeMs: analyzed - accountsDone,
    totalMs: analyzed - started,
    searchMatches,
  };
}
