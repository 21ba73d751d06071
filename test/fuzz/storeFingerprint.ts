/**
 * A fingerprint of the whole store — every table's row count and a hash of its rows — to prove that thousands
 * of refused requests changed nothing. What moves while nothing changes is left out, each with its reason.
 */
import type { Db } from '../../src/store/db.ts';

/** Tables left out of the fingerprint entirely, and why. */
export const unfingerprintedTables: Record<string, string> = {
  sign_in_failures:
    'a refused sign-in (signIn, changePassword, acceptInvitation) is counted per email and address by design: that count is what throttles password guessing',
};

/** Columns left out of their table's hash, and why. */
export const unfingerprintedColumns: Record<string, { columns: string[]; why: string }> = {
  api_tokens: {
    columns: ['last_used_at'],
    why: 'every request with a token records its use (at most once a minute)',
  },
  sessions: {
    columns: ['last_seen_at', 'expires_at'],
    why: 'every request with a session records it was seen and slides its expiry (at most once a minute)',
  },
};

/**
 * Also outside the fingerprint: the job queue (pg-boss), which lives in a schema of its own. Its supervisor and
 * cron bookkeeping write there on their own clock; a job enqueued by a request would show up in the store's
 * tables (runs, connections' account status) anyway.
 */
export const unfingerprintedSchemas = 'the job queue’s own schema (pg-boss)';

/** One `count:md5` per table of the store's schema. Equal fingerprints mean nothing in the store changed. */
export async function storeFingerprint(db: Db): Promise<Record<string, string>> {
  const tables = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_type = 'BASE TABLE' AND table_schema = current_schema() ORDER BY table_name`,
  );
  const selects = tables
    .map((table) => table.name)
    .filter((name) => !(name in unfingerprintedTables))
    .map((name) => {
      const drop = (unfingerprintedColumns[name]?.columns ?? []).map((column) => ` - '${column}'`).join('');
      const row = `(to_jsonb(t)${drop})::text`;
      return `SELECT '${name}' AS name, count(*)::int AS n,
                md5(coalesce(string_agg(${row}, '|' ORDER BY ${row}), '')) AS h
              FROM "${name}" t`;
    });
  const rows = await db.query<{ name: string; n: number; h: string }>(selects.join(' UNION ALL '));
  return Object.fromEntries(rows.map((row) => [row.name, `${row.n}:${row.h}`]));
}

/** The tables whose fingerprint differs, with both values (empty when nothing changed). */
export function changedTables(before: Record<string, string>, after: Record<string, string>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names]
    .filter((name) => before[name] !== after[name])
    .map((name) => `${name}: ${before[name] ?? '(absent)'} → ${after[name] ?? '(absent)'}`);
}
