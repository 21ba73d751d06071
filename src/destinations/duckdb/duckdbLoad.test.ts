/**
 * A 300,000-row replacement on DuckDB, streamed in batches of 5,000, against a bare appender
 * load of the same rows. Prints rows/s and RSS; asserts only correctness and a memory ceiling.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type DuckDBDateValue, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, expect, it } from 'vitest';
import { normalizeBatch } from '../core/specs.ts';
import { benchDates, measureLoad } from '../testing/loadBench.ts';
import { createDuckDbDestination } from './duckdbDestination.ts';
import { dataChunks, stagingType } from './values.ts';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-duckdb-load-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

it('replaces 300,000 rows streamed in batches of 5,000 with modest memory', async () => {
  const file = path.join(home, 'load.duckdb');
  const destination = createDuckDbDestination({ path: file });
  const figures = await measureLoad(
    destination,
    async (table, rows) => {
      // The bare path: the same conversion and appender, straight into a plain table.
      const instance = await DuckDBInstance.fromCache(file);
      const connection = await instance.connect();
      const types = table.columns.map((column) => stagingType(column.type));
      const ddl = table.columns.map((column, i) => `"${column.name}" ${types[i]!.toString()}`);
      await connection.run(`CREATE TABLE "${table.name}" (${ddl.join(', ')})`);
      const appender = await connection.createAppender(table.name);
      const dates = new Set(benchDates);
      const cache = new Map<string, DuckDBDateValue>();
      for await (const batch of rows) {
        const cells = normalizeBatch(table.columns, batch, dates, new Map(), 1);
        for (const chunk of dataChunks(table.columns, types, cells, batch.length, cache)) {
          appender.appendDataChunk(chunk);
        }
      }
      appender.closeSync();
      connection.closeSync();
      instance.closeSync();
    },
    300_000,
    5_000,
  );
  console.log(`DuckDB load figures: ${JSON.stringify(figures)}`);
  expect(figures.firstCounts).toEqual({ inserted: 300_000, updated: 0, deleted: 0 });
  expect(figures.secondCounts).toEqual({ inserted: 0, updated: 300_000, deleted: 0 });
  const counts = await destination.dailyRowCounts('bench_replace', 'act_1', '2026-01-01', '2026-01-31');
  expect(counts.reduce((sum, day) => sum + day.rows, 0)).toBe(300_000);
  expect(figures.rssPeakMb - figures.rssStartMb).toBeLessThan(400);
  await destination.close();
});
