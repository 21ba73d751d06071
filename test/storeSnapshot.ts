/**
 * What the access suites compare and search: a fingerprint of every table of the store (to prove a refused
 * request changed nothing), a text dump of the store (to search it for secrets), and people added to a
 * workspace the way an accepted invitation would (a user, a password, a membership).
 */
import crypto from 'node:crypto';
import { hashPassword } from '../src/access/passwords.ts';
import type { Role } from '../src/domain/access.ts';
import { usersRepository } from '../src/store/usersRepository.ts';
import type { TestApp } from './harness.ts';

/**
 * Columns every authenticated request may move without changing anything a user made: when a token or a
 * session was last seen (and the session's sliding expiry).
 */
const touchedOnUse = ['last_used_at', 'last_seen_at', 'expires_at'];

async function storeTables(app: TestApp): Promise<string[]> {
  const rows = await app.runtime.context.db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_type = 'BASE TABLE' AND table_schema = current_schema() ORDER BY table_name`,
  );
  return rows.map((row) => row.name);
}

/**
 * One line per table of the store: its row count and the sum of its rows' hashes (minus {@link touchedOnUse}; a sum
 * needs no sort, so a snapshot stays cheap). Two equal snapshots mean nothing in the store changed in between.
 */
export async function storeSnapshot(app: TestApp): Promise<Record<string, string>> {
  const tables = await storeTables(app);
  const drop = touchedOnUse.map((column) => ` - '${column}'`).join('');
  const sql = tables
    .map(
      (table) =>
        `SELECT '${table}' AS name, count(*)::int AS n,
           coalesce(sum(hashtext((to_jsonb(t)${drop})::text)::bigint), 0)::text AS h
         FROM "${table}" t`,
    )
    .join(' UNION ALL ');
  const rows = await app.runtime.context.db.query<{ name: string; n: number; h: string }>(sql);
  return Object.fromEntries(rows.map((row) => [row.name, `${row.n}:${row.h}`]));
}

/** Every table of the store (and of the job queue) as JSON text, to search for secrets. */
export async function storeDump(app: TestApp): Promise<{ tables: string[]; text: string }> {
  const db = app.runtime.context.db;
  const tables = await db.query<{ schema: string; name: string }>(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
     WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
       AND table_schema IN (current_schema(), current_schema() || '_jobs', 'pgboss')`,
  );
  let text = '';
  for (const table of tables) {
    const rows = await db.query(`SELECT * FROM "${table.schema}"."${table.name}"`);
    text += `\n${table.schema}.${table.name}: ${JSON.stringify(rows)}`;
  }
  return { tables: tables.map((table) => table.name), text };
}

/**
 * Waits until nothing runs in the background (no queued or running run, no discovery of an authorized connection in progress, no webhook
 * delivery pending, no event a webhook has yet to fan out — the delivery loop turns those into deliveries later) and two snapshots
 * 100 ms apart agree; returns that snapshot.
 */
export async function settledSnapshot(app: TestApp, timeoutMs = 120_000): Promise<Record<string, string>> {
  const db = app.runtime.context.db;
  const deadline = Date.now() + timeoutMs;
  let previous = '';
  for (;;) {
    const [busy] = await db.query<{ n: number }>(
      `SELECT ((SELECT count(*) FROM runs WHERE status IN ('queued', 'running'))
             + (SELECT count(*) FROM connections WHERE account_status = 'loading' AND status <> 'pending')
             + (SELECT count(*) FROM webhook_deliveries WHERE status = 'pending')
             + (SELECT count(*) FROM webhooks w WHERE EXISTS (SELECT 1 FROM events e WHERE e.id > w.event_cursor)))::int AS n`,
    );
    const snapshot = await storeSnapshot(app);
    const text = JSON.stringify(snapshot);
    if (busy?.n === 0 && text === previous) return snapshot;
    if (Date.now() > deadline) {
      // Say what kept it busy: a run that never ends is a bug to chase, a slow one is the machine's load.
      const open = await db.query(
        "SELECT id, status, created_at FROM runs WHERE status IN ('queued', 'running') ORDER BY created_at LIMIT 5",
      );
      throw new Error(
        `The store did not settle in ${timeoutMs} ms (busy: ${busy?.n ?? '?'}; open runs: ${JSON.stringify(open)})`,
      );
    }
    previous = busy?.n === 0 ? text : '';
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A user with a password, member of `workspaceId` with `role` (what accepting an invitation leaves). */
export async function addMember(
  app: TestApp,
  workspaceId: string,
  role: Role,
  email = `${role}-${crypto.randomBytes(4).toString('hex')}@example.com`,
  password = `pw-${crypto.randomBytes(12).toString('hex')}`,
): Promise<{ userId: string; email: string; password: string }> {
  const db = app.runtime.context.db;
  const now = new Date();
  const existing = await usersRepository.findByEmail(db, email);
  const userId = existing?.id ?? crypto.randomUUID();
  if (!existing)
    await usersRepository.insert(db, {
      id: userId,
      email,
      name: email.split('@')[0]!,
      passwordHash: await hashPassword(password),
      at: now,
    });
  await usersRepository.addMember(db, workspaceId, userId, role, now);
  return { userId, email, password };
}
