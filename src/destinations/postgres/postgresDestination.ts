/**
 * The PostgreSQL destination: tables in one schema of a team's database, written over a pool.
 * Every statement schema-qualifies its tables, so the pool works whatever the role's search_path.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { CellValue } from '../../connectors/kit/types.ts';
import { TributaryError } from '../../domain/errors.ts';
import { destinationError, redactUrl, secretsOf } from '../core/errors.ts';
import { assertIdentifier, loadsTableName, quoteIdentifier as q, qualifiedName } from '../core/naming.ts';
import { PAID_ADS_TABLE, paidAdsRefreshSql, paidAdsTableDdl } from '../core/paidAdsModel.ts';
import {
  assertLimit,
  assertPartitions,
  assertRange,
  assertTableSpec,
  assertWritable,
  normalizeBatch,
  SourceReader,
  writeCounts,
} from '../core/specs.ts';
import { fieldTypeOf, sqlTypeFor, systemColumnsDdl, typeComment } from '../core/typeMap.ts';
import type { Destination, LoadRecord, TableSpec, WriteCounts } from '../core/types.ts';
import { cellTypes as types } from './cellTypes.ts';
import { encodeCopyBatch } from './copyText.ts';
import { assertPostgresTarget } from './networkTarget.ts';

/** Where the PostgreSQL destination writes. */
export interface PostgresDestinationOptions {
  /** A `postgres://` URL; its password never appears in errors. */
  url: string;
  /** The schema holding the tables; created by `ensureTable` when missing. */
  schema: string;
  /** Pool size (default 5): one connection per concurrent slice, plus reads. */
  maxConnections?: number;
}

interface ExistingColumn {
  name: string;
  type: string;
  comment: string | null;
}

/** The index every table gets on its partition key, named within PostgreSQL's 63-byte limit. */
function indexName(table: string): string {
  if (table.length <= 53) return `${table}_acct_date`;
  let hash = 0;
  for (const character of table) hash = (hash * 31 + character.charCodeAt(0)) >>> 0;
  return `${table.slice(0, 44)}_${hash.toString(36)}_ad`;
}

/**
 * The two text parts of the advisory lock (hashed by PostgreSQL) that serializes replacements of one account's days
 * in one table. The schema is in it: advisory locks are database-wide.
 */
export function partitionLockKey(schema: string, table: string, accountId: string): [string, string] {
  return [`tributary:partitions:${schema}.${table}`, accountId];
}

/**
 * Opens a PostgreSQL destination over a lazily connecting pool. Concurrent replacements of the
 * same (table, account) are serialized by a transaction-scoped advisory lock taken just before
 * the DELETE; without it, two slices could each delete before the other inserts and leave both
 * copies of a day.
 */
export function createPostgresDestination(options: PostgresDestinationOptions): Destination {
  const schema = assertIdentifier(options.schema, 'schema');
  const secrets = secretsOf(options.url);
  const where = redactUrl(options.url);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 5,
    connectionTimeoutMillis: 10_000,
    types,
  });
  // An idle client losing its server (a restart) must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  let closed = false;
  // Checked once per destination before its first connection (a refused URL stays refused).
  let target: Promise<void> | null = null;
  const checkTarget = () => {
    target ??= assertPostgresTarget(options.url);
    return target;
  };
  let loadsTableReady = false;
  let paidAdsTableReady = false;
  const table = (name: string) => qualifiedName('postgres', name, schema);
  const fail = (doing: string, error: unknown): never => {
    throw destinationError('postgres', doing, error, secrets);
  };

  async function connect(): Promise<pg.PoolClient> {
    if (closed)
      throw new TributaryError('destination_unavailable', 'PostgreSQL destination: it has been closed.');
    await checkTarget();
    try {
      return await pool.connect();
    } catch (error) {
      return fail(`connecting to ${where}`, error);
    }
  }

  /** Runs `body` in a transaction on one client; rolls back and translates errors. */
  async function inTransaction<T>(doing: string, body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await body(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        // A client that cannot roll back is in an unknown state: the pool must discard it.
        broken = rollbackError;
      });
      if (error instanceof TributaryError) throw error;
      return fail(doing, error);
    } finally {
      client.release(broken);
    }
  }

  async function readOnly<T>(
    doing: string,
    sql: string,
    params: unknown[],
    map: (rows: pg.QueryResultRow[]) => T,
  ) {
    if (closed)
      throw new TributaryError('destination_unavailable', 'PostgreSQL destination: it has been closed.');
    await checkTarget();
    try {
      return map((await pool.query(sql, params)).rows);
    } catch (error) {
      return fail(doing, error);
    }
  }

  async function existingColumns(client: pg.PoolClient | pg.Pool, name: string): Promise<ExistingColumn[]> {
    const result = await client.query(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
              col_description(a.attrelid, a.attnum) AS comment
       FROM pg_attribute a
       WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
       ORDER BY a.attnum`,
      [table(name)],
    );
    return result.rows as ExistingColumn[];
  }

  /** Serializes DDL in the schema (CREATE … IF NOT EXISTS still races in PostgreSQL), and bounds lock waits. */
  async function lockDdl(client: pg.PoolClient): Promise<void> {
    await client.query(`SET LOCAL lock_timeout = '10s'`);
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`tributary:ddl:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${q(schema)}`);
  }

  return {
    kind: 'postgres',

    /**
     * Creates the schema and table (with an index on `(account_id, date)`), or adds the user and
     * system columns the table lacks (NULL in existing rows). A column that exists with another
     * type is left as it is and not reported: COPY then parses values into the existing type and
     * fails as `destination_rejected` only for values that type refuses.
     */
    async ensureTable(spec: TableSpec) {
      assertTableSpec(spec);
      return inTransaction(`creating table ${schema}.${spec.name}`, async (client) => {
        await lockDdl(client);
        const existing = new Set((await existingColumns(client, spec.name)).map((column) => column.name));
        const addedColumns: string[] = [];
        if (existing.size === 0) {
          const user = spec.columns.map(
            (column) => `${q(column.name)} ${sqlTypeFor('postgres', column.type)}`,
          );
          const system = systemColumnsDdl('postgres').map(([name, type]) => `${q(name)} ${type}`);
          await client.query(`CREATE TABLE ${table(spec.name)} (${[...user, ...system].join(', ')})`);
        } else {
          for (const column of spec.columns) {
            if (existing.has(column.name)) continue;
            await client.query(
              `ALTER TABLE ${table(spec.name)} ADD COLUMN ${q(column.name)} ${sqlTypeFor('postgres', column.type)}`,
            );
            addedColumns.push(column.name);
          }
          for (const [name, type] of systemColumnsDdl('postgres')) {
            if (existing.has(name)) continue;
            // Existing rows have no value for it, so the NOT NULL of a fresh table cannot apply.
            await client.query(
              `ALTER TABLE ${table(spec.name)} ADD COLUMN ${q(name)} ${type.replace(' NOT NULL', '')}`,
            );
            addedColumns.push(name);
          }
        }
        for (const column of spec.columns) {
          if (existing.has(column.name)) continue;
          await client.query(
            `COMMENT ON COLUMN ${table(spec.name)}.${q(column.name)} IS '${typeComment(column.type)}'`,
          );
        }
        await client.query(
          `CREATE INDEX IF NOT EXISTS ${q(indexName(spec.name))} ON ${table(spec.name)} (account_id, "date")`,
        );
        return { created: existing.size === 0, addedColumns };
      });
    },

    /**
     * In one transaction: a temporary staging table typed like the target's columns, COPY of the
     * rows into it (streamed batch by batch with back-pressure), then the DELETE of the old
     * partition rows and an INSERT … SELECT from staging. The staging table takes its types from
     * the catalog instead of `LIKE`, which would hold a lock on the target for the whole stream
     * and queue every reader behind a concurrent ALTER TABLE.
     */
    async replacePartitions(spec, partitions, rows, meta): Promise<WriteCounts> {
      assertTableSpec(spec);
      const dates = assertPartitions(partitions);
      const dateSet = new Set(dates);
      const newRows = new Map<string, number>();
      const reader = new SourceReader(rows);
      const columnList = spec.columns.map((column) => q(column.name)).join(', ');
      try {
        return await inTransaction(`replacing partitions of ${schema}.${spec.name}`, async (client) => {
          const existing = new Map(
            (await existingColumns(client, spec.name)).map((column) => [column.name, column]),
          );
          assertWritable('PostgreSQL', spec, new Set(existing.keys()));
          const ddl = spec.columns.map((column) => `${q(column.name)} ${existing.get(column.name)!.type}`);
          await client.query(`CREATE TEMP TABLE "_tributary_stage" (${ddl.join(', ')}) ON COMMIT DROP`);
          let rowCount = 0;
          async function* encoded() {
            for await (const batch of reader.batches()) {
              const cells = normalizeBatch(spec.columns, batch, dateSet, newRows, rowCount + 1);
              rowCount += batch.length;
              yield encodeCopyBatch(spec.columns, cells, batch.length);
            }
          }
          await pipeline(
            Readable.from(encoded()),
            client.query(copyFrom(`COPY "_tributary_stage" (${columnList}) FROM STDIN`)),
          );
          await client.query(
            'SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))',
            partitionLockKey(schema, spec.name, partitions.accountId),
          );
          const deleted = await client.query(
            `WITH gone AS (
               DELETE FROM ${table(spec.name)} WHERE account_id = $1 AND "date" = ANY($2::date[]) RETURNING "date")
             SELECT "date"::text AS date, count(*) AS rows FROM gone GROUP BY "date"`,
            [partitions.accountId, dates],
          );
          await client.query(
            `INSERT INTO ${table(spec.name)} (${columnList}, account_id, account_name, __insert_date, __run_id)
             SELECT ${columnList}, $1, $2, $3, $4 FROM "_tributary_stage"`,
            [partitions.accountId, partitions.accountName, meta.insertDate.toISOString(), meta.runId],
          );
          const oldRows = new Map(deleted.rows.map((row) => [row.date as string, row.rows as number]));
          return writeCounts(oldRows, newRows);
        });
      } catch (error) {
        // A provider failure mid-read surfaces as itself, not as a database error.
        if (reader.failure) throw reader.failure.error;
        throw error;
      }
    },

    async dailyTotals(name, accounts, from, to, metrics) {
      assertIdentifier(name, 'table');
      assertRange(from, to);
      for (const metric of metrics) assertIdentifier(metric, 'column');
      const sums = metrics.map((metric, i) => `, SUM(${q(metric)}) AS m${i}`).join('');
      return readOnly(
        `reading totals of ${schema}.${name}`,
        `SELECT "date"::text AS date${sums} FROM ${table(name)}
         WHERE account_id = ANY($1::text[]) AND "date" BETWEEN $2::date AND $3::date
         GROUP BY "date" ORDER BY "date"`,
        [typeof accounts === 'string' ? [accounts] : [...accounts], from, to],
        (rows) =>
          rows.map((row) => ({
            date: row.date as string,
            values: Object.fromEntries(metrics.map((metric, i) => [metric, Number(row[`m${i}`] ?? 0)])),
          })),
      );
    },

    async dailyRowCounts(name, accountId, from, to) {
      assertIdentifier(name, 'table');
      assertRange(from, to);
      return readOnly(
        `counting rows of ${schema}.${name}`,
        `SELECT "date"::text AS date, count(*) AS rows FROM ${table(name)}
         WHERE account_id = $1 AND "date" BETWEEN $2::date AND $3::date GROUP BY "date" ORDER BY "date"`,
        [accountId, from, to],
        (rows) => rows.map((row) => ({ date: row.date as string, rows: row.rows as number })),
      );
    },

    async preview(name, limit) {
      assertIdentifier(name, 'table');
      assertLimit(limit);
      if (closed)
        throw new TributaryError('destination_unavailable', 'PostgreSQL destination: it has been closed.');
      await checkTarget();
      try {
        const existing = await existingColumns(pool, name);
        if (existing.length === 0) {
          throw new TributaryError(
            'destination_rejected',
            `PostgreSQL destination: table ${schema}.${name} does not exist.`,
          );
        }
        const result = await pool.query(
          `SELECT * FROM ${table(name)} ORDER BY "date" DESC, account_id LIMIT ${limit}`,
        );
        return {
          columns: existing.map((column) => ({
            name: column.name,
            type: fieldTypeOf(column.type, column.comment),
          })),
          rows: result.rows as Record<string, CellValue>[],
        };
      } catch (error) {
        return fail(`previewing ${schema}.${name}`, error);
      }
    },

    async refreshPaidAds(refresh) {
      assertIdentifier(refresh.sourceTable, 'table');
      assertRange(refresh.from, refresh.to);
      const statements = paidAdsRefreshSql('postgres', refresh, table);
      await inTransaction(`refreshing ${PAID_ADS_TABLE}`, async (client) => {
        if (!paidAdsTableReady) {
          await lockDdl(client);
          await client.query(paidAdsTableDdl('postgres', table(PAID_ADS_TABLE)));
        }
        // Two extractions of one account landing the same days at once would each delete before the other's
        // insert is visible: one refresh per (source, account) at a time keeps the model free of doubles. The
        // schema is in the key: advisory locks are database-wide, and another schema's model is another table.
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
          `${schema}.${PAID_ADS_TABLE}:${refresh.dataSource}:${refresh.accountId}`,
        ]);
        for (const statement of statements) await client.query(statement);
      });
      paidAdsTableReady = true;
    },

    async recordLoad(load: LoadRecord) {
      assertIdentifier(load.table, 'table');
      assertRange(load.from, load.to);
      if (!Number.isSafeInteger(load.rows) || load.rows < 0 || Number.isNaN(Date.parse(load.loadedAt))) {
        throw new TributaryError(
          'validation_failed',
          'A load record needs a non-negative row count and a loadedAt time.',
        );
      }
      await inTransaction('recording a load', async (client) => {
        if (!loadsTableReady) {
          await lockDdl(client);
          await client.query(`CREATE TABLE IF NOT EXISTS ${table(loadsTableName)} (
            run_id text NOT NULL, extraction_id text NOT NULL, table_name text NOT NULL,
            account_id text NOT NULL, date_from date NOT NULL, date_to date NOT NULL,
            parameters jsonb NOT NULL, "rows" bigint NOT NULL, loaded_at timestamptz NOT NULL)`);
        }
        await client.query(
          `INSERT INTO ${table(loadsTableName)} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            load.runId,
            load.extractionId,
            load.table,
            load.accountId,
            load.from,
            load.to,
            JSON.stringify(load.parameters),
            load.rows,
            new Date(load.loadedAt).toISOString(),
          ],
        );
      });
      loadsTableReady = true;
    },

    /**
     * Connects, creates the schema when missing and writes a probe table in a transaction that is
     * rolled back: it proves the URL, the credentials and the CREATE and INSERT rights, and leaves
     * nothing behind (PostgreSQL DDL is transactional).
     */
    async check() {
      const client = await connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${q(schema)}`);
        await client.query(`CREATE TABLE ${table('_tributary_check')} (ok boolean)`);
        await client.query(`INSERT INTO ${table('_tributary_check')} VALUES (true)`);
      } catch (error) {
        return fail(`checking ${where} schema ${schema}`, error);
      } finally {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError;
        });
        client.release(broken);
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
