/**
 * The embedded DuckDB destination: one database file, the default warehouse of a single-node
 * install.
 *
 * A DuckDB file has ONE writer process: while this process holds it open, another process can
 * neither write nor read it (it gets `destination_unavailable`, "Could not set lock on file").
 * Inside this process, destinations opened on the same path share one database through DuckDB's
 * instance cache, because two independent instances on one file would each believe they own it.
 * Each destination object has its own connection, and every use of that connection goes through
 * one queue, so concurrent slices never interleave inside each other's transaction.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  type DuckDBAppender,
  type DuckDBConnection,
  type DuckDBDateValue,
  DuckDBInstance,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { CellValue, ColumnSpec } from '../../connectors/kit/types.ts';
import { TributaryError } from '../../domain/errors.ts';
import { destinationError } from '../core/errors.ts';
import { assertIdentifier, loadsTableName, quoteIdentifier as q, quoteLiteral } from '../core/naming.ts';
import { PAID_ADS_TABLE, paidAdsRefreshSql, paidAdsTableDdl } from '../core/paidAdsModel.ts';
import { SerialQueue } from '../core/serial.ts';
import {
  assertLimit,
  assertPartitions,
  assertRange,
  assertTableSpec,
  assertWritable,
  normalizeBatch,
  writeCounts,
} from '../core/specs.ts';
import { fieldTypeOf, sqlTypeFor, systemColumnsDdl, typeComment } from '../core/typeMap.ts';
import type { Destination, LoadRecord, PartitionSet, TableSpec, WriteCounts } from '../core/types.ts';
import { cellFromDuckDb, dataChunks, numberFromDuckDb, stagingType } from './values.ts';

/** Where the DuckDB destination keeps its file. */
export interface DuckDbDestinationOptions {
  /** The database file; its directory is created when missing. `:memory:` keeps everything in memory. */
  path: string;
  /**
   * DuckDB's buffer-manager limit (`SET memory_limit`, e.g. `256MB`); DuckDB's own default is 80% of the
   * machine's RAM, far more than a loader needs. Unset leaves DuckDB's default.
   */
  memoryLimit?: string;
  /** DuckDB's worker threads (`SET threads`); unset leaves DuckDB's default (one per core). */
  threads?: number;
}

interface ExistingColumn {
  name: string;
  type: string;
  comment: string | null;
}

let stagingSequence = 0;

/**
 * Opens (lazily, on first use) a DuckDB destination. See the module comment for the one-writer
 * rule. DuckDB tables get no index on (account_id, date): its min/max zone maps already skip
 * row groups on those columns, and an ART index would slow every DELETE and INSERT.
 */
/**
 * An `IN` list of account ids as quoted literals: the DuckDB client binds no list parameters, and
 * quoting (doubled quotes) keeps any id a plain string.
 */
function accountLiterals(accounts: string | readonly string[]): string {
  const ids = typeof accounts === 'string' ? [accounts] : accounts;
  if (ids.length === 0)
    throw new TributaryError('destination_rejected', 'DuckDB destination: no account to total');
  return ids.map((id) => quoteLiteral('duckdb', id)).join(', ');
}

export function createDuckDbDestination(options: DuckDbDestinationOptions): Destination {
  const queue = new SerialQueue();
  let opening: Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> | null = null;
  let closed = false;
  let loadsTableReady = false;
  let paidAdsTableReady = false;

  const fail = (doing: string, error: unknown): never => {
    throw destinationError('duckdb', doing, error);
  };

  function open() {
    if (closed)
      throw new TributaryError('destination_unavailable', 'DuckDB destination: it has been closed.');
    opening ??= (async () => {
      if (options.path !== ':memory:')
        fs.mkdirSync(path.dirname(path.resolve(options.path)), { recursive: true });
      const instance = await DuckDBInstance.fromCache(options.path);
      const connection = await instance.connect();
      // Set after opening, not as instance options: the instance cache refuses a second open of the same file
      // with other options, and these are global settings, the same for every holder of the file.
      if (options.memoryLimit !== undefined)
        await connection.run(`SET memory_limit = ${quoteLiteral('duckdb', options.memoryLimit)}`);
      if (options.threads !== undefined)
        await connection.run(`SET threads = ${Math.max(1, options.threads)}`);
      return { instance, connection };
    })().catch((error: unknown) => {
      // A lock held by another process may be released later: let the next call try again.
      opening = null;
      return fail(`opening ${options.path}`, error);
    });
    return opening.then((opened) => opened.connection);
  }

  /** Runs `task` on the connection, alone, translating database errors. */
  async function exclusive<T>(
    doing: string,
    task: (connection: DuckDBConnection) => Promise<T> | T,
  ): Promise<T> {
    const connection = await open();
    return queue.run(async () => {
      try {
        return await task(connection);
      } catch (error) {
        return fail(doing, error);
      }
    });
  }

  async function transaction<T>(connection: DuckDBConnection, body: () => Promise<T>): Promise<T> {
    await connection.run('BEGIN TRANSACTION');
    try {
      const result = await body();
      await connection.run('COMMIT');
      return result;
    } catch (error) {
      await connection.run('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  async function existingColumns(connection: DuckDBConnection, table: string): Promise<ExistingColumn[]> {
    const reader = await connection.runAndReadAll(
      `SELECT column_name, data_type, comment FROM duckdb_columns()
       WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $1
       ORDER BY column_index`,
      [table],
    );
    return reader.getRows().map(([name, type, comment]) => ({
      name: String(name),
      type: String(type),
      comment: comment === null ? null : String(comment),
    }));
  }

  async function addColumn(connection: DuckDBConnection, table: string, column: ColumnSpec): Promise<void> {
    await connection.run(
      `ALTER TABLE ${q(table)} ADD COLUMN ${q(column.name)} ${sqlTypeFor('duckdb', column.type)}`,
    );
    await connection.run(`COMMENT ON COLUMN ${q(table)}.${q(column.name)} IS '${typeComment(column.type)}'`);
  }

  return {
    kind: 'duckdb',

    /**
     * Creates the table, or adds the user and system columns it lacks (NULL in existing rows).
     * A column that exists with another type is left as it is and not reported: writes then go
     * through DuckDB's implicit cast into the existing type, and fail as `destination_rejected`
     * only for values that cast refuses.
     */
    async ensureTable(spec: TableSpec) {
      assertTableSpec(spec);
      return exclusive(`creating table ${spec.name}`, (connection) =>
        transaction(connection, async () => {
          const existing = new Set(
            (await existingColumns(connection, spec.name)).map((column) => column.name),
          );
          if (existing.size === 0) {
            const user = spec.columns.map(
              (column) => `${q(column.name)} ${sqlTypeFor('duckdb', column.type)}`,
            );
            const system = systemColumnsDdl('duckdb').map(([name, type]) => `${q(name)} ${type}`);
            await connection.run(`CREATE TABLE ${q(spec.name)} (${[...user, ...system].join(', ')})`);
            for (const column of spec.columns) {
              await connection.run(
                `COMMENT ON COLUMN ${q(spec.name)}.${q(column.name)} IS '${typeComment(column.type)}'`,
              );
            }
            return { created: true, addedColumns: [] };
          }
          const addedColumns: string[] = [];
          for (const column of spec.columns) {
            if (existing.has(column.name)) continue;
            await addColumn(connection, spec.name, column);
            addedColumns.push(column.name);
          }
          for (const [name, type] of systemColumnsDdl('duckdb')) {
            if (existing.has(name)) continue;
            // Existing rows have no value for it, so the NOT NULL of a fresh table cannot apply.
            await connection.run(
              `ALTER TABLE ${q(spec.name)} ADD COLUMN ${q(name)} ${type.replace(' NOT NULL', '')}`,
            );
            addedColumns.push(name);
          }
          return { created: false, addedColumns };
        }),
      );
    },

    /**
     * Streams the rows into a temporary staging table through the appender (one data chunk per
     * batch, flushed once at the end rather than per batch), then in one transaction counts and
     * deletes the old partition rows and inserts the staged ones. The source is read outside any
     * transaction, so a slow provider never holds the write lock; a failure anywhere leaves the
     * previous rows untouched. Statements that need no answer in between go to DuckDB together
     * (values inlined as quoted literals), since each round trip through the driver costs about as
     * much as a small statement itself.
     */
    async replacePartitions(spec: TableSpec, partitions: PartitionSet, rows, meta): Promise<WriteCounts> {
      assertTableSpec(spec);
      const dates = assertPartitions(partitions);
      const dateSet = new Set(dates);
      const stageName = `_tributary_stage_${process.pid}_${++stagingSequence}`;
      const stage = `temp.main.${q(stageName)}`;
      const types = spec.columns.map((column) => stagingType(column.type));
      const columnList = spec.columns.map((column) => q(column.name)).join(', ');
      const newRows = new Map<string, number>();
      const dateCache = new Map<string, DuckDBDateValue>();
      const connection = await open();
      let appender: DuckDBAppender | null = null;
      let staged = false;
      try {
        appender = await exclusive('staging rows', async (connection) => {
          const ddl = spec.columns.map((column, i) => `${q(column.name)} ${types[i]!.toString()}`).join(', ');
          // One round trip: the staging table, and the target's columns to check before reading anything.
          const existing = await connection.runAndReadAll(
            `CREATE TEMP TABLE ${stage} (${ddl});
             SELECT column_name FROM duckdb_columns()
             WHERE database_name = current_database() AND schema_name = 'main'
               AND table_name = ${quoteLiteral('duckdb', spec.name)}`,
          );
          staged = true;
          assertWritable('DuckDB', spec, new Set(existing.getRows().map(([name]) => String(name))));
          return connection.createAppender(stageName, 'main', 'temp');
        });
        let rowCount = 0;
        for await (const batch of rows) {
          const cells = normalizeBatch(spec.columns, batch, dateSet, newRows, rowCount + 1);
          rowCount += batch.length;
          const staging: DuckDBAppender = appender;
          await exclusive('staging rows', () => {
            for (const chunk of dataChunks(spec.columns, types, cells, batch.length, dateCache)) {
              staging.appendDataChunk(chunk);
            }
          });
        }
        const filled: DuckDBAppender = appender;
        return await exclusive(`replacing partitions of ${spec.name}`, async (connection) => {
          filled.closeSync();
          appender = null;
          const target = q(spec.name);
          const account = quoteLiteral('duckdb', partitions.accountId);
          const where = `account_id = ${account} AND "date" IN (${dates.map((date) => `DATE '${date}'`).join(', ')})`;
          const oldRows = new Map<string, number>();
          await connection.run('BEGIN TRANSACTION');
          try {
            if (dates.length > 0) {
              const counted = await connection.runAndReadAll(
                `SELECT CAST("date" AS VARCHAR), count(*) FROM ${target} WHERE ${where} GROUP BY "date"`,
              );
              for (const [date, count] of counted.getRows()) oldRows.set(String(date), Number(count));
            }
            const values = [
              account,
              quoteLiteral('duckdb', partitions.accountName),
              `CAST(${quoteLiteral('duckdb', meta.insertDate.toISOString())} AS TIMESTAMPTZ)`,
              quoteLiteral('duckdb', meta.runId),
            ].join(', ');
            await connection.run(
              `${dates.length > 0 ? `DELETE FROM ${target} WHERE ${where};` : ''}
               INSERT INTO ${target} (${columnList}, account_id, account_name, __insert_date, __run_id)
               SELECT ${columnList}, ${values} FROM ${stage};
               COMMIT;
               DROP TABLE ${stage}`,
            );
            staged = false;
          } catch (error) {
            await connection.run('ROLLBACK').catch(() => undefined);
            throw error;
          }
          return writeCounts(oldRows, newRows);
        });
      } finally {
        const leftover = appender as DuckDBAppender | null;
        await queue.run(async () => {
          try {
            leftover?.closeSync();
          } catch {
            // The appender failed already; its staging table goes away with the DROP below.
          }
          if (staged) await connection.run(`DROP TABLE IF EXISTS ${stage}`).catch(() => undefined);
        });
      }
    },

    async dailyTotals(table, accounts, from, to, metrics) {
      assertIdentifier(table, 'table');
      assertRange(from, to);
      for (const metric of metrics) assertIdentifier(metric, 'column');
      const sums = metrics.map((metric) => `SUM(${q(metric)})`).join(', ');
      return exclusive(`reading totals of ${table}`, async (connection) => {
        const reader = await connection.runAndReadAll(
          `SELECT CAST("date" AS VARCHAR)${sums === '' ? '' : `, ${sums}`} FROM ${q(table)}
           WHERE account_id IN (${accountLiterals(accounts)})
             AND "date" BETWEEN CAST($1 AS DATE) AND CAST($2 AS DATE)
           GROUP BY "date" ORDER BY "date"`,
          [from, to],
        );
        return reader.getRows().map(([date, ...values]) => ({
          date: String(date),
          values: Object.fromEntries(
            metrics.map((metric, i) => [metric, numberFromDuckDb(values[i] ?? null)]),
          ),
        }));
      });
    },

    async dailyRowCounts(table, accountId, from, to) {
      assertIdentifier(table, 'table');
      assertRange(from, to);
      return exclusive(`counting rows of ${table}`, async (connection) => {
        const reader = await connection.runAndReadAll(
          `SELECT CAST("date" AS VARCHAR), count(*) FROM ${q(table)}
           WHERE account_id = $1 AND "date" BETWEEN CAST($2 AS DATE) AND CAST($3 AS DATE)
           GROUP BY "date" ORDER BY "date"`,
          [accountId, from, to],
        );
        return reader.getRows().map(([date, rows]) => ({ date: String(date), rows: Number(rows) }));
      });
    },

    async preview(table, limit) {
      assertIdentifier(table, 'table');
      assertLimit(limit);
      return exclusive(`previewing ${table}`, async (connection) => {
        const existing = await existingColumns(connection, table);
        if (existing.length === 0) {
          throw new TributaryError(
            'destination_rejected',
            `DuckDB destination: table ${table} does not exist.`,
          );
        }
        const reader = await connection.runAndReadAll(
          `SELECT * FROM ${q(table)} ORDER BY "date" DESC, account_id LIMIT ${limit}`,
        );
        const names = reader.columnNames();
        return {
          columns: existing.map((column) => ({
            name: column.name,
            type: fieldTypeOf(column.type, column.comment),
          })),
          rows: reader
            .getRows()
            .map((row) =>
              Object.fromEntries(
                names.map((name, i): [string, CellValue] => [name, cellFromDuckDb(row[i] ?? null)]),
              ),
            ),
        };
      });
    },

    async refreshPaidAds(refresh) {
      assertIdentifier(refresh.sourceTable, 'table');
      assertRange(refresh.from, refresh.to);
      const statements = paidAdsRefreshSql('duckdb', refresh, q);
      await exclusive(`refreshing ${PAID_ADS_TABLE}`, async (connection) => {
        if (!paidAdsTableReady) {
          await connection.run(paidAdsTableDdl('duckdb', q(PAID_ADS_TABLE)));
          paidAdsTableReady = true;
        }
        await transaction(connection, async () => {
          for (const statement of statements) await connection.run(statement);
        });
      });
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
      await exclusive('recording a load', async (connection) => {
        if (!loadsTableReady) {
          await connection.run(`CREATE TABLE IF NOT EXISTS ${q(loadsTableName)} (
            run_id VARCHAR NOT NULL, extraction_id VARCHAR NOT NULL, table_name VARCHAR NOT NULL,
            account_id VARCHAR NOT NULL, date_from DATE NOT NULL, date_to DATE NOT NULL,
            parameters JSON NOT NULL, "rows" BIGINT NOT NULL, loaded_at TIMESTAMPTZ NOT NULL)`);
          loadsTableReady = true;
        }
        const values: DuckDBValue[] = [
          load.runId,
          load.extractionId,
          load.table,
          load.accountId,
          load.from,
          load.to,
          JSON.stringify(load.parameters),
          BigInt(load.rows),
          new Date(load.loadedAt).toISOString(),
        ];
        await connection.run(
          `INSERT INTO ${q(loadsTableName)} VALUES ($1, $2, $3, $4, CAST($5 AS DATE), CAST($6 AS DATE), $7, $8, CAST($9 AS TIMESTAMPTZ))`,
          values,
        );
      });
    },

    /**
     * Opens the file (creating it when missing, taking its lock) and commits a throwaway table,
     * so a read-only file or directory fails here rather than at the first load.
     */
    async check() {
      await exclusive(`checking ${options.path}`, async (connection) => {
        const probe = q(`_tributary_check_${process.pid}_${++stagingSequence}`);
        await connection.run(`CREATE TABLE ${probe} (ok BOOLEAN)`);
        await connection.run(`INSERT INTO ${probe} VALUES (true)`);
        await connection.run(`DROP TABLE ${probe}`);
      });
    },

    async close() {
      if (closed) return;
      closed = true;
      await queue.idle();
      const current = opening;
      opening = null;
      const opened = await current?.catch(() => null);
      opened?.connection.closeSync();
      // Releases this destination's hold only; the file closes when the last holder lets go.
      opened?.instance.closeSync();
    },
  };
}
