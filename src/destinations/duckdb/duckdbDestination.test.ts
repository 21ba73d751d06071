/**
 * The DuckDB destination on a real database file: the shared contract, plus the one-writer rule.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { createDestination } from '../index.ts';
import { batches, type ContractBackend } from '../testing/fixtures.ts';
import { readContract } from '../testing/readContract.ts';
import { writeContract } from '../testing/writeContract.ts';
import { createDuckDbDestination } from './duckdbDestination.ts';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-duckdb-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

const contractFile = path.join(home, 'nested', 'warehouse.duckdb');
const backend: ContractBackend = {
  name: 'DuckDB',
  // The contract holds under a tight buffer limit and one thread, as a small install would set them; through
  // createDestination, as the engine opens it (the DuckDB module then loads on first use).
  open: () => createDestination({ kind: 'duckdb', path: contractFile, memoryLimit: '64MB', threads: 1 }),
  async query(sql) {
    // Its own instance handle and connection: sees only what the destination committed.
    const instance = await DuckDBInstance.fromCache(contractFile);
    const connection = await instance.connect();
    try {
      return (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  },
  qualified: (table) => `"${table}"`,
  cleanup: async () => undefined,
};
writeContract(backend);
readContract(backend);

/** Starts another process that opens `file` and holds it until killed. */
async function holdFileInAnotherProcess(file: string): Promise<ChildProcess> {
  const script = `const { DuckDBInstance } = require('@duckdb/node-api');
    DuckDBInstance.create(${JSON.stringify(file)}).then((i) => i.connect()).then(() => console.log('ready'));
    setInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ['-e', script], {
    cwd: process.cwd(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (data: Buffer) => {
      if (String(data).includes('ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`holder exited with ${code}`)));
  });
  return child;
}

describe('DuckDB destination specifics', () => {
  const spec = {
    name: 'ads_lock',
    columns: [
      { name: 'date', type: 'date' as const },
      { name: 'campaign_id', type: 'string' as const },
    ],
  };

  it('reports a file locked by another process as destination_unavailable, then recovers', async () => {
    const file = path.join(home, 'locked.duckdb');
    const holder = await holdFileInAnotherProcess(file);
    const destination = createDuckDbDestination({ path: file });
    try {
      const error = await destination.ensureTable(spec).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'destination_unavailable', category: 'destination' });
      expect((error as Error).message).toMatch(/lock/i);
    } finally {
      const exited = new Promise((resolve) => holder.once('exit', resolve));
      holder.kill();
      await exited;
    }
    expect(await destination.ensureTable(spec)).toEqual({ created: true, addedColumns: [] });
    await destination.close();
  });

  it('checks it can write the file, and reports a path it cannot create', async () => {
    const file = path.join(home, 'checked', 'new.duckdb');
    const probe = createDuckDbDestination({ path: file });
    await probe.check();
    await probe.close();
    expect(fs.existsSync(file)).toBe(true);
    const instance = await DuckDBInstance.fromCache(file);
    const connection = await instance.connect();
    expect((await connection.runAndReadAll('SELECT table_name FROM duckdb_tables()')).getRows()).toEqual([]);
    connection.closeSync();
    instance.closeSync();
    const blocker = path.join(home, 'a-file');
    fs.writeFileSync(blocker, 'not a directory');
    const impossible = createDuckDbDestination({ path: path.join(blocker, 'x.duckdb') });
    await expect(impossible.check()).rejects.toMatchObject({ category: 'destination' });
    await impossible.close();
  });

  it('shares one database between destinations on the same file in one process', async () => {
    const file = path.join(home, 'shared.duckdb');
    const writer = createDuckDbDestination({ path: file });
    const other = createDuckDbDestination({ path: file });
    await writer.ensureTable(spec);
    const partitions = { accountId: 'a1', accountName: 'A', dates: ['2026-01-01'] };
    await writer.replacePartitions(spec, partitions, batches([{ date: '2026-01-01', campaign_id: 'x' }]), {
      runId: 'r',
      insertDate: new Date(),
    });
    expect(await other.dailyRowCounts('ads_lock', 'a1', '2026-01-01', '2026-01-01')).toEqual([
      { date: '2026-01-01', rows: 1 },
    ]);
    // Closing one leaves the other working: the file closes with its last holder.
    await writer.close();
    expect((await other.preview('ads_lock', 5)).rows).toHaveLength(1);
    await other.close();
    await expect(writer.preview('ads_lock', 5)).rejects.toMatchObject({ code: 'destination_unavailable' });
  });

  it('stages in a temporary table: a failed replacement leaves nothing in the file', async () => {
    const file = path.join(home, 'staging.duckdb');
    const destination = createDuckDbDestination({ path: file });
    await destination.ensureTable(spec);
    async function* failing() {
      yield [
        { date: '2026-01-01', campaign_id: 'a' },
        { date: '2026-01-01', campaign_id: 'b' },
      ];
      throw new Error('boom');
    }
    const partitions = { accountId: 'a1', accountName: 'A', dates: ['2026-01-01'] };
    await expect(
      destination.replacePartitions(spec, partitions, failing(), { runId: 'r', insertDate: new Date() }),
    ).rejects.toThrow('boom');
    const rows = await destination.preview('ads_lock', 5);
    expect(rows.rows).toEqual([]);
    await destination.close();
    const instance = await DuckDBInstance.fromCache(file);
    const connection = await instance.connect();
    const tables = (await connection.runAndReadAll(`SELECT table_name FROM duckdb_tables()`))
      .getRows()
      .flat();
    expect(tables).toEqual(['ads_lock']);
    connection.closeSync();
    instance.closeSync();
  });
  it('refuses every call once closed, also when closed before its first use', async () => {
    for (const used of [false, true]) {
      const destination = createDestination({
        kind: 'duckdb',
        path: path.join(home, `closed-${used}.duckdb`),
      });
      if (used) await destination.check();
      await destination.close();
      await expect(destination.check()).rejects.toMatchObject({ code: 'destination_unavailable' });
      await expect(destination.preview('anything', 1)).rejects.toMatchObject({
        code: 'destination_unavailable',
      });
    }
  });
  it('sets its memory limit and threads on the database it opens (DuckDB defaults to 80% of RAM)', async () => {
    const file = path.join(home, 'settings.duckdb');
    const destination = createDuckDbDestination({ path: file, memoryLimit: '100MB', threads: 1 });
    await destination.check();
    const instance = await DuckDBInstance.fromCache(file);
    const connection = await instance.connect();
    const [settings] = (
      await connection.runAndReadAll(
        `SELECT current_setting('memory_limit') AS memory, current_setting('threads') AS threads`,
      )
    ).getRowObjectsJS();
    expect(settings).toEqual({ memory: '95.3 MiB', threads: 1n });
    connection.closeSync();
    instance.closeSync();
    await destination.close();
  });
});
