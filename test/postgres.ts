/**
 * Whether the machine's PostgreSQL can be used by a test run. With REQUIRE_POSTGRES=1 (CI) its
 * absence fails the run instead of skipping the PostgreSQL half of the suites.
 */
import pg from 'pg';
import { testRequirements } from '../src/config.ts';

const requirements = testRequirements();

/** True when the PostgreSQL at TEST_DATABASE_URL answers; throws when it is required and does not. */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: requirements.postgresUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    if (requirements.requirePostgres) {
      throw new Error(
        `REQUIRE_POSTGRES=1 but PostgreSQL at ${requirements.postgresUrl} is not available: ${String(error)}`,
      );
    }
    console.warn(`PostgreSQL not available at ${requirements.postgresUrl}: PostgreSQL tests skipped`);
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}
