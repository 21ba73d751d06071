/**
 * The raw bulk paths the end-to-end figures are held against, on the same rows in the same run:
 * the rows an extraction landed are read back from the destination table (untimed) and loaded
 * into a fresh table of the same column types with nothing else around them — DuckDB's appender
 * (whole data chunks, as the destination itself appends), or one PostgreSQL `COPY … FROM STDIN`
 * through pg-copy-streams. The fresh table is dropped afterwards.
 *
 * Between the two sits {@link replayThroughDestination}: the same rows, read back per slice, fed to
 * the destination's own `replacePartitions` in 500-row batches (one provider page each), one slice
 * at a time — the destination path without the provider and without concurrent slices.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DuckDBDataChunk, DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { CellValue } from '../src/connectors/kit/types.ts';
import type { Destination, TableSpec } from '../src/destinations/core/types.ts';
import { cellFromDuckDb } from '../src/destinations/duckdb/values.ts';
import { eachDay } from '../src/domain/dates.ts';

/** One raw load: rows, the timed part, and what it covered. */
export interface RawLoad {
  rows: number;
  columns: number;
  ms: number;
  rowsPerSec: number;
  /** What was timed, for the notes. */
  timed: string;
}

const q = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Reads `table` of the DuckDB file chunk by chunk and appends every chunk's values into a fresh
 * table through one appender. Timed: building each data chunk from the JS values, appending it,
 * and the appender's final flush and close (auto-commit); the read-back is not timed.
 */
export async function rawDuckDbAppend(file: string, table: string): Promise<RawLoad> {
  // The same database instance the destination uses (DuckDB's instance cache), so the same file.
  const instance = await DuckDBInstance.fromCache(file);
  const reader = await instance.connect();
  const writer = await instance.connect();
  const raw = `${table}_raw_bench`;
  try {
    await writer.run(`DROP TABLE IF EXISTS ${q(raw)}`);
    await writer.run(`CREATE TABLE ${q(raw)} AS SELECT * FROM ${q(table)} LIMIT 0`);
    const result = await reader.stream(`SELECT * FROM ${q(table)}`);
    const types = result.columnTypes();
    const appender = await writer.createAppender(raw);
    let rows = 0;
    let ms = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const values = chunk.getColumns();
      const started = performance.now();
      const copy = DuckDBDataChunk.create(types, chunk.rowCount);
      copy.setColumns(values);
      appender.appendDataChunk(copy);
      ms += performance.now() - started;
      rows += chunk.rowCount;
    }
    const closing = performance.now();
    appender.closeSync();
    ms += performance.now() - closing;
    const counted = await writer.runAndReadAll(`SELECT count(*) FROM ${q(raw)}`);
    const landed = Number(counted.getRows()[0]?.[0] ?? 0);
    if (landed !== rows) throw new Error(`raw appender landed ${landed} rows of ${rows}`);
    return {
      rows,
      columns: types.length,
      ms,
      rowsPerSec: rows / (ms / 1000),
      timed: 'data chunk build + appendDataChunk + final flush/close',
    };
  } finally {
    await writer.run(`DROP TABLE IF EXISTS ${q(raw)}`).catch(() => undefined);
    reader.closeSync();
    writer.closeSync();
    // Releases this hold on the cached instance only; the destination keeps its own.
    instance.closeSync();
  }
}

/** Joins small buffers into pieces of about `size` bytes. */
function coalesce(parts: Buffer[], size: number): Buffer[] {
  const out: Buffer[] = [];
  let pending: Buffer[] = [];
  let length = 0;
  for (const part of parts) {
    pending.push(part);
    length += part.length;
    if (length >= size) {
      out.push(Buffer.concat(pending, length));
      pending = [];
      length = 0;
    }
  }
  if (length > 0) out.push(Buffer.concat(pending, length));
  return out;
}

/**
 * Exports `schema.table` as COPY text (untimed, held in memory), then times one `COPY … FROM STDIN`
 * of that text into a fresh `LIKE` table (same column types, no index) on its own connection.
 */
export async function rawPostgresCopy(url: string, schema: string, table: string): Promise<RawLoad> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const source = `${q(schema)}.${q(table)}`;
  const raw = `${q(schema)}.${q(`${table}_raw_bench`)}`;
  try {
    const parts: Buffer[] = [];
    const exported = client.query(copyTo(`COPY (SELECT * FROM ${source}) TO STDOUT`));
    for await (const part of exported) parts.push(part as Buffer);
    const text = coalesce(parts, 256 * 1024);
    const columns = await client.query(
      `SELECT count(*)::int AS n FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`,
      [source],
    );
    await client.query(`DROP TABLE IF EXISTS ${raw}`);
    await client.query(`CREATE TABLE ${raw} (LIKE ${source})`);
    const started = performance.now();
    const copy = client.query(copyFrom(`COPY ${raw} FROM STDIN`));
    await pipeline(Readable.from(text), copy);
    const ms = performance.now() - started;
    const rows = Number(copy.rowCount);
    return {
      rows,
      columns: columns.rows[0]?.n as number,
      ms,
      rowsPerSec: rows / (ms / 1000),
      timed: 'COPY FROM STDIN of the exported text, autocommitted',
    };
  } finally {
    await client.query(`DROP TABLE IF EXISTS ${raw}`).catch(() => undefined);
    await client.end();
  }
}

/** One slice's partitions: an account and an inclusive date window. */
export interface Pair {
  accountId: string;
  accountName: string;
  from: string;
  to: string;
}

/** Reads one slice's rows back as the cells a connector hands over (dates as text, numbers as numbers). */
export interface PairReader {
  read(pair: Pair): Promise<Record<string, CellValue>[]>;
  close(): Promise<void>;
}

const columnList = (spec: TableSpec) => spec.columns.map((column) => q(column.name)).join(', ');

/** Reads slices back from a DuckDB table through the destination's own value conversion. */
export async function duckDbPairReader(file: string, table: string, spec: TableSpec): Promise<PairReader> {
  const instance = await DuckDBInstance.fromCache(file);
  const connection = await instance.connect();
  const names = spec.columns.map((column) => column.name);
  return {
    async read(pair) {
      const reader = await connection.runAndReadAll(
        `SELECT ${columnList(spec)} FROM ${q(table)}
         WHERE account_id = $1 AND "date" BETWEEN CAST($2 AS DATE) AND CAST($3 AS DATE)`,
        [pair.accountId, pair.from, pair.to],
      );
      return reader
        .getRows()
        .map((row) => Object.fromEntries(names.map((name, i) => [name, cellFromDuckDb(row[i] ?? null)])));
    },
    async close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Reads slices back from a PostgreSQL table: dates as text, bigint and numeric as numbers. */
export async function postgresPairReader(
  url: string,
  schema: string,
  table: string,
  spec: TableSpec,
): Promise<PairReader> {
  const parsers: Record<number, (text: string) => unknown> = {
    1082: (text) => text,
    20: Number,
    1700: Number,
  };
  const client = new pg.Client({
    connectionString: url,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        parsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  await client.connect();
  return {
    async read(pair) {
      const result = await client.query(
        `SELECT ${columnList(spec)} FROM ${q(schema)}.${q(table)}
         WHERE account_id = $1 AND "date" BETWEEN $2::date AND $3::date`,
        [pair.accountId, pair.from, pair.to],
      );
      return result.rows as Record<string, CellValue>[];
    },
    async close() {
      await client.end();
    },
  };
}

async function* batchesOf<T>(rows: T[], size: number): AsyncGenerator<T[]> {
  for (let offset = 0; offset < rows.length; offset += size) yield rows.slice(offset, offset + size);
}

/**
 * Replaces every pair's partitions of `spec.name` (a fresh table) with the rows `reader` returns,
 * one slice after the other, through `destination.replacePartitions` in batches of `batchSize`.
 * Timed: the replacements only (the read-back and `ensureTable` are not).
 */
export async function replayThroughDestination(
  destination: Destination,
  spec: TableSpec,
  pairs: readonly Pair[],
  reader: PairReader,
  batchSize = 500,
): Promise<RawLoad> {
  await destination.ensureTable(spec);
  let rows = 0;
  let ms = 0;
  try {
    for (const pair of pairs) {
      const cells = await reader.read(pair);
      const started = performance.now();
      await destination.replacePartitions(
        spec,
        { accountId: pair.accountId, accountName: pair.accountName, dates: eachDay(pair.from, pair.to) },
        batchesOf(cells, batchSize),
        { runId: 'bench-replay', insertDate: new Date() },
      );
      ms += performance.now() - started;
      rows += cells.length;
    }
  } finally {
    await reader.close();
  }
  return {
    rows,
    columns: spec.columns.length,
    ms,
    rowsPerSec: rows / (ms / 1000),
    timed: `replacePartitions per slice (${pairs.length}), ${batchSize}-row batches, one at a time`,
  };
}
