/**
 * Run as a script in a fresh process by the crash loop, after the last Tributary process has stopped: opens the
 * embedded store (PGlite under `<home>/store`) and the DuckDB warehouse (`<home>/warehouse.duckdb`) as a new
 * process would, queries both, and prints one JSON line: the runs by status, and per (account, date) of `<table>`
 * the row count, distinct ads, impressions and clicks.
 *
 * Usage: `node --import tsx test/faults/openStores.ts <home> <table>`
 */
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { openPglite } from '../../src/store/db.ts';

/** What the script prints. */
export interface OpenedStores {
  runs: Record<string, number>;
  days: { account: string; date: string; rows: number; ads: number; impressions: number; clicks: number }[];
}

async function main(home: string, table: string): Promise<void> {
  const store = await openPglite(path.join(home, 'store'));
  const runs: Record<string, number> = {};
  try {
    for (const row of await store.query<{ status: string; count: number }>(
      'SELECT status, count(*)::int AS count FROM runs GROUP BY status',
    ))
      runs[row.status] = row.count;
  } finally {
    await store.close();
  }
  const instance = await DuckDBInstance.create(path.join(home, 'warehouse.duckdb'));
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll(
    `SELECT account_id AS account, strftime(date, '%Y-%m-%d') AS date, count(*)::INTEGER AS rows,
            count(DISTINCT ad_id)::INTEGER AS ads, sum(impressions)::DOUBLE AS impressions,
            sum(clicks)::DOUBLE AS clicks
       FROM "${table.replaceAll('"', '')}" GROUP BY ALL ORDER BY ALL`,
  );
  const days = reader.getRowObjectsJson() as unknown as OpenedStores['days'];
  connection.closeSync();
  instance.closeSync();
  process.stdout.write(`${JSON.stringify({ runs, days } satisfies OpenedStores)}\n`);
}

const [home, table] = process.argv.slice(2);
if (home && table) {
  main(home, table).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}
