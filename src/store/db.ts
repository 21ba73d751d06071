/**
 * One database handle over two drivers: PGlite (embedded, in-process) and PostgreSQL (`pg`).
 * Repositories take a {@link Db} and never know which one they run on.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

/** `date` columns come back as `YYYY-MM-DD` text from both drivers: a calendar day has no time zone. */
const DATE_OID = 1082;
pg.types.setTypeParser(DATE_OID, (value: string) => value);

/** A row as returned by the driver. */
export type Row = Record<string, unknown>;

/** The query surface repositories use. */
export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** A database handle: queries, transactions, and the raw SQL runner pg-boss needs. */
export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `work` in one transaction; concurrent statements never land inside it. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a script of several statements; returns the rows of all of them. */
  exec(sql: string): Promise<Row[]>;
  close(): Promise<void>;
}

/** How the embedded PostgreSQL is sized. */
export interface PgliteOptions {
  /**
   * `shared_buffers`, e.g. `32MB` (see `Config.pgliteSharedBuffers`). The whole pool is resident in PGlite's WASM
   * memory from the start (measured: 128MB → ~160 MB RSS at idle), and that memory never shrinks. Unset leaves
   * PostgreSQL's 128MB.
   */
  sharedBuffers?: string;
}

/**
 * Creates a new embedded store in `dataDir` in a short-lived child process. PGlite's initdb boots a second
 * PostgreSQL and copies its whole WASM memory; in the server process that left a transient peak of several
 * hundred MB and about 100 MB of freed but still resident native heap for the life of the process (measured).
 */
async function initPgliteDirectory(dataDir: string): Promise<void> {
  // The CommonJS entry: the child is plain `node -e`, whatever loader (tsx, vitest) runs this process.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const script = `require(${JSON.stringify(entry)}).PGlite.create({ dataDir: process.argv[1] })
    .then((db) => db.close()).catch((error) => { console.error(error); process.exit(1); });`;
  await promisify(execFile)(process.execPath, ['-e', script, dataDir], { maxBuffer: 1 << 20 });
}

/** Opens the embedded store in `dataDir` (null: in memory). The caller holds the directory lock. */
export async function openPglite(dataDir: string | null, options: PgliteOptions = {}): Promise<Db> {
  // Loaded here, not at the top: a server-mode process (DATABASE_URL) never needs PGlite, and its module graph
  // with source maps costs tens of MB of RSS under tsx.
  const [{ PGlite }, { pg_trgm }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/pg_trgm'),
  ]);
  if (dataDir && !fs.existsSync(path.join(dataDir, 'PG_VERSION'))) await initPgliteDirectory(dataDir);
  // pg_trgm serves the connections search (migration 0002).
  const extensions = { pg_trgm };
  const parsers = { [DATE_OID]: (value: string) => value };
  const startParams = options.sharedBuffers
    ? [...PGlite.defaultStartParams, '-c', `shared_buffers=${options.sharedBuffers}`]
    : undefined;
  const pglite = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    extensions,
    parsers,
    ...(startParams ? { startParams } : {}),
  });
  return {
    kind: 'pglite',
    async query<T extends Row>(sql: string, params: unknown[] = []) {
      const result = await pglite.query<T>(sql, params);
      return result.rows;
    },
    async transaction<T>(work: (tx: Queryable) => Promise<T>) {
      return pglite.transaction(async (tx) =>
        work({
          async query<R extends Row>(sql: string, params: unknown[] = []) {
            return (await tx.query<R>(sql, params)).rows;
          },
        }),
      );
    },
    async exec(sql: string) {
      const results = await pglite.exec(sql);
      return results.flatMap((result) => result.rows as Row[]);
    },
    async close() {
      await pglite.close();
    },
  };
}

/** Opens a pool on PostgreSQL with every connection's `search_path` set to `schema`. */
export async function openPostgres(url: string, schema: string): Promise<Db> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } finally {
    await admin.end();
  }
  const pool = new pg.Pool({ connectionString: url, options: `-c search_path="${schema}"`, max: 10 });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const query = async <T extends Row>(client: pg.Pool | pg.PoolClient, sql: string, params: unknown[] = []) =>
    (await client.query(sql, params)).rows as T[];
  return {
    kind: 'postgres',
    query: (sql, params) => query(pool, sql, params),
    async transaction<T>(work: (tx: Queryable) => Promise<T>) {
      const client = await pool.connect();
      // A checked-out client has no listener of the pool's: a connection the server ends between two statements
      // (pg_terminate_backend, a restart) would emit an unhandled 'error' and end the process. The next statement
      // fails instead, and the broken client is discarded, not returned to the pool.
      let broken: Error | undefined;
      const onError = (error: Error) => {
        broken = error;
      };
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await work({ query: (sql, params) => query(client, sql, params) });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.removeListener('error', onError);
        client.release(broken);
      }
    },
    async exec(sql: string) {
      const results = (await pool.query(sql)) as unknown as pg.QueryResult | pg.QueryResult[];
      return (Array.isArray(results) ? results : [results]).flatMap((result) => result.rows as Row[]);
    },
    async close() {
      await pool.end();
    },
  };
}

/** Reads every migration file in order and applies the ones not yet applied, each in a transaction. */
export async function migrate(db: Db): Promise<string[]> {
  const dir = new URL('./migrations/', import.meta.url);
  const files = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort();
  await db.exec(
    'CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  const applied: string[] = [];
  for (const file of files) {
    const id = path.basename(file, '.sql');
    const sql = fs.readFileSync(new URL(file, dir), 'utf8');
    const done = await db.transaction(async (tx) => {
      // Two server processes starting together must not both apply a migration.
      if (db.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(7261001)');
      const existing = await tx.query('SELECT 1 FROM schema_migrations WHERE id = $1', [id]);
      if (existing.length > 0) return false;
      for (const statement of splitStatements(sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (id) VALUES ($1)', [id]);
      return true;
    });
    if (done) applied.push(id);
  }
  return applied;
}

/** Splits a migration script on `;` at line ends (our migrations hold no procedural bodies). */
function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*$/m)
    .map((statement) => statement.replace(/^\s*--.*$/gm, '').trim())
    .filter((statement) => statement.length > 0);
}
