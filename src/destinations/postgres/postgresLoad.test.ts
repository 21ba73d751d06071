/**
 * A 300,000-row replacement on PostgreSQL, streamed in batches of 5,000, against a bare COPY of
 * the same rows. Prints rows/s and RSS; asserts only correctness and a memory ceiling.
 */
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { afterAll, expect, it } from 'vitest';
import { postgresAvailable } from '../../../test/postgres.ts';
import { testRequirements } from '../../config.ts';
import { normalizeBatch } from '../core/specs.ts';
import { sqlTypeFor } from '../core/typeMap.ts';
import { benchDates, measureLoad } from '../testing/loadBench.ts';
import { encodeCopyBatch } from './copyText.ts';
import { createPostgresDestination } from './postgresDestination.ts';

const { postgresUrl } = testRequirements();
const available = await postgresAvailable();
const schema = `load_${crypto.randomBytes(5).toString('hex')}`;

afterAll(async () => {
  if (!available) return;
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
});

it.skipIf(!available)('replaces 300,000 rows streamed in batches of 5,000 with modest memory', async () => {
  const destination = createPostgresDestination({ url: postgresUrl, schema });
  const figures = await measureLoad(
    destination,
    async (table, rows) => {
      // The bare path: the same encoding, one COPY straight into a plain table.
      const client = new pg.Client({ connectionString: postgresUrl });
      await client.connect();
      try {
        const ddl = table.columns.map((column) => `"${column.name}" ${sqlTypeFor('postgres', column.type)}`);
        await client.query(`CREATE TABLE "${schema}"."${table.name}" (${ddl.join(', ')})`);
        const dates = new Set(benchDates);
        async function* encoded() {
          for await (const batch of rows) {
            yield encodeCopyBatch(
              table.columns,
              normalizeBatch(table.columns, batch, dates, new Map(), 1),
              batch.length,
            );
          }
        }
        await pipeline(
          Readable.from(encoded()),
          client.query(copyFrom(`COPY "${schema}"."${table.name}" FROM STDIN`)),
        );
      } finally {
        await client.end();
      }
    },
    300_000,
    5_000,
  );
  console.log(`PostgreSQL load figures: ${JSON.stringify(figures)}`);
  expect(figures.firstCounts).toEqual({ inserted: 300_000, updated: 0, deleted: 0 });
  expect(figures.secondCounts).toEqual({ inserted: 0, updated: 300_000, deleted: 0 });
  const counts = await destination.dailyRowCounts('bench_replace', 'act_1', '2026-01-01', '2026-01-31');
  expect(counts.reduce((sum, day) => sum + day.rows, 0)).toBe(300_000);
  expect(figures.rssPeakMb - figures.rssStartMb).toBeLessThan(400);
  await destination.close();
});
