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
      return { instance, connection: await instance.connect() };
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
     * Streams the rows into a temporary staging table through the appender (data chunks of up
     * to 2048 rows), then in one transaction counts and deletes the old partition rows and
     * inserts the staged ones. The source is read outside any transaction, so a slow provider
     * never holds the write lock; a failure anywhere leaves the previous rows untouched.
     */
    async replacePartitions(spec: TableSpec, partitions: PartitionSet, rows, meta): Promise<WriteCounts> {
      assertTableSpec(spec);
      const dates = assertPartitions(partitions);
      const dateSet = new Set(dates);
      const stage = `_tributary_stage_${process.pid}_${++stagingSequence}`;
      const types = spec.columns.map((column) => stagingType(column.type));
      const columnList = spec.columns.map((column) => q(column.name)).join(', ');
      const newRows = new Map<string, number>();
      const dateCache = new Map<string, DuckDBDateValue>();
      const connection = await open();
      let appender: DuckDBAppender | null = null;
      try {
        appender = await exclusive('staging rows', async (connection) => {
          const existing = await existingColumns(connection, spec.name);
          assertWritable('DuckDB', spec, new Set(existing.map((column) => column.name)));
          const ddl = spec.columns.map((column, i) => `${q(column.name)} ${types[i]!.toString()}`).join(', ');
          await connection.run(`CREATE TEMP TABLE ${q(stage)} (${ddl})`);
          return connection.createAppender(stage, 'main', 'temp');
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
            staging.flushSync();
          });
        }
        const staged: DuckDBAppender = appender;
        return await exclusive(`replacing partitions of ${spec.name}`, (connection) => {
          staged.closeSync();
          appender = null;
          return transaction(connection, async () => {
            const oldRows = new Map<string, number>();
            if (dates.length > 0) {
              const where = `account_id = $1 AND "date" IN (${dates.map((date) => `DATE '${date}'`).join(', ')})`;
              const counted = await connection.runAndReadAll(
                `SELECT CAST("date" AS VARCHAR), count(*) FROM ${q(spec.name)} WHERE ${where} GROUP BY "date"`,
                [partitions.accountId],
              );
              for (const [date, count] of counted.getRows()) oldRows.set(String(date), Number(count));
              await connection.run(`DELETE FROM ${q(spec.name)} WHERE ${where}`, [partitions.accountId]);
            }
            await connection.run(
              `INSERT INTO ${q(spec.name)} (${columnList}, account_id, account_name, __insert_date, __run_id)
               SELECT ${columnList}, $1, $2, CAST($3 AS TIMESTAMPTZ), $4 FROM temp.main.${q(stage)}`,
              [partitions.accountId, partitions.accountName, meta.insertDate.toISOString(), meta.runId],
            );
            return writeCounts(oldRows, newRows);
          });
        });
      } finally {
        const leftover = appender as DuckDBAppender | null;
        await queue.run(async () => {
          try {
            leftover?.closeSync();
          } catch {
            // The appender failed already; its staging table goes away with the DROP below.
          }
          await connection.run(`DROP TABLE IF EXISTS temp.main.${q(stage)}`).catch(() => undefined);
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
