/**
 * The PostgreSQL destination on the machine's PostgreSQL, in a fresh schema dropped afterwards:
 * the shared contract, plus connection failures and COPY encoding.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../../../test/postgres.ts';
import { testRequirements } from '../../config.ts';
import { batches, type ContractBackend } from '../testing/fixtures.ts';
import { readContract } from '../testing/readContract.ts';
import { writeContract } from '../testing/writeContract.ts';
import { createPostgresDestination } from './postgresDestination.ts';

const { postgresUrl } = testRequirements();
const available = await postgresAvailable();
const schema = `dest_${crypto.randomBytes(5).toString('hex')}`;

async function query(sql: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(!available)('PostgreSQL destination contract', () => {
  const backend: ContractBackend = {
    name: 'PostgreSQL',
    open: () => createPostgresDestination({ url: postgresUrl, schema }),
    query: (sql) => query(sql),
    qualified: (table) => `"${schema}"."${table}"`,
    cleanup: async () => {
      await query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    },
  };
  writeContract(backend);
  readContract(backend);
});

describe.skipIf(!available)('PostgreSQL destination specifics', () => {
  const own = `${schema}_x`;
  const destination = available ? createPostgresDestination({ url: postgresUrl, schema: own }) : null;
  afterAll(async () => {
    await destination?.close();
    if (available) await query(`DROP SCHEMA IF EXISTS "${own}" CASCADE`);
  });
  const spec = {
    name: 'ads_pg',
    columns: [
      { name: 'date', type: 'date' as const },
      { name: 'label', type: 'string' as const },
    ],
  };
  const partitions = { accountId: 'a1', accountName: 'A', dates: ['2026-01-01'] };
  const meta = { runId: 'r', insertDate: new Date('2026-01-02T00:00:00Z') };

  it('creates the schema, the table and its (account_id, date) index', async () => {
    expect(await destination!.ensureTable(spec)).toEqual({ created: true, addedColumns: [] });
    const indexes = await query(
      `SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'ads_pg'`,
      [own],
    );
    expect(indexes.map((row) => row.indexdef)).toEqual([expect.stringContaining('(account_id, date)')]);
  });

  it('checks it can write without leaving anything behind', async () => {
    const probe = createPostgresDestination({ url: postgresUrl, schema: `${own}_probe` });
    await probe.check();
    await probe.close();
    const schemas = await query(`SELECT nspname FROM pg_namespace WHERE nspname = $1`, [`${own}_probe`]);
    expect(schemas).toEqual([]);
  });

  it('refuses a NUL character, which PostgreSQL text cannot hold, and keeps the old rows', async () => {
    await destination!.ensureTable(spec);
    await destination!.replacePartitions(
      spec,
      partitions,
      batches([{ date: '2026-01-01', label: 'kept' }]),
      meta,
    );
    const nul = destination!.replacePartitions(
      spec,
      partitions,
      batches([{ date: '2026-01-01', label: 'a\u0000b' }]),
      meta,
    );
    await expect(nul).rejects.toMatchObject({
      code: 'validation_failed',
      message: expect.stringContaining('label'),
    });
    expect((await destination!.preview('ads_pg', 5)).rows.map((row) => row.label)).toEqual(['kept']);
  });

  it('reports a value the server refuses as destination_rejected, leaving the old rows', async () => {
    const json = {
      name: 'ads_json',
      columns: [spec.columns[0]!, { name: 'payload', type: 'json' as const }],
    };
    await destination!.ensureTable(json);
    await destination!.replacePartitions(
      json,
      partitions,
      batches([{ date: '2026-01-01', payload: '{"ok":1}' }]),
      meta,
    );
    const bad = destination!.replacePartitions(
      json,
      partitions,
      batches([{ date: '2026-01-01', payload: '{not json' }]),
      meta,
    );
    await expect(bad).rejects.toMatchObject({ code: 'destination_rejected', details: { sqlState: '22P02' } });
    expect((await destination!.preview('ads_json', 5)).rows.map((row) => row.payload)).toEqual(['{"ok": 1}']);
  });

  it('reports an unreachable server as destination_unavailable without leaking the password', async () => {
    const url = 'postgres://tributary:s3cret-Pa55@127.0.0.1:1/warehouse';
    const unreachable = createPostgresDestination({ url, schema: 'x' });
    const error = await unreachable
      .dailyRowCounts('t', 'a', '2026-01-01', '2026-01-02')
      .catch((caught: unknown) => caught);
    await unreachable.close();
    expect(error).toMatchObject({
      code: 'destination_unavailable',
      category: 'destination',
      httpStatus: 503,
    });
    const text = `${(error as Error).message} ${JSON.stringify(error)} ${String((error as Error).cause)}`;
    expect(text).not.toContain('s3cret-Pa55');
    const again = createPostgresDestination({ url, schema: 'x' });
    const ensure = await again.ensureTable(spec).catch((caught: unknown) => caught);
    await again.close();
    expect((ensure as Error).message).toContain('postgres://tributary:***@127.0.0.1:1/warehouse');
    expect((ensure as Error).message).not.toContain('s3cret');
    const checked = createPostgresDestination({ url, schema: 'x' });
    await expect(checked.check()).rejects.toMatchObject({ code: 'destination_unavailable' });
    await checked.close();
  });
});
