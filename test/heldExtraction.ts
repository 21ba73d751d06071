/**
 * A run whose slices wait inside the destination: a PostgreSQL-warehouse extraction of one sandbox account, started
 * while the test holds the destination's partition lock for that account. The slice that reaches its write waits
 * there until the test lets go — how the shutdown and lock-order suites keep a slice busy for as long as they need.
 */
import pg from 'pg';
import { testRequirements } from '../src/config.ts';
import { partitionLockKey } from '../src/destinations/postgres/postgresDestination.ts';
import { addDays, todayIn } from '../src/domain/dates.ts';
import { connectSandboxUser, type TestApp } from './harness.ts';

/**
 * Takes the partition lock of `warehouse`.`table` for the first account of a sandbox user through `locker` (a
 * session lock: release it with `pg_advisory_unlock_all()`), then starts a run over the last `days` days.
 * Returns the run's id.
 */
export async function startRunHeldAtDestination(
  app: TestApp,
  locker: pg.Client,
  warehouse: string,
  table: string,
  days: number,
): Promise<string> {
  const postgresUrl = testRequirements().postgresUrl;
  const connection = await connectSandboxUser(app, 'alex@example.com');
  const account = connection.accounts[0]!.id;
  const destination = await app.api.call('createDestination', {
    body: { kind: 'postgres', name: 'Warehouse', url: postgresUrl, schema: warehouse },
  });
  const extraction = await app.api.call('createExtraction', {
    body: {
      connectionId: connection.id,
      accounts: [account],
      templateId: 'meta-ads.account_daily',
      metrics: ['impressions', 'spend', 'clicks'],
      destinationId: destination.id,
      table,
    },
  });
  await locker.query(
    'SELECT pg_advisory_lock(hashtext($1), hashtext($2))',
    partitionLockKey(warehouse, table, account),
  );
  const to = addDays(todayIn('UTC', new Date()), -1);
  const queued = await app.api.call('startExtractionRun', {
    params: { id: extraction.id },
    body: { from: addDays(to, -(days - 1)), to },
  });
  return queued.id;
}

/** Drops the warehouse schema a suite wrote to. */
export async function dropWarehouse(warehouse: string): Promise<void> {
  const client = new pg.Client({ connectionString: testRequirements().postgresUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${warehouse}" CASCADE`);
  } finally {
    await client.end();
  }
}
