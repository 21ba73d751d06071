/**
 * Opens the store the configuration asks for — PGlite under TRIBUTARY_HOME, or PostgreSQL at
 * DATABASE_URL — and applies migrations.
 */
import path from 'node:path';
import type { Config } from '../config.ts';
import { type Db, migrate, openPglite, openPostgres } from './db.ts';
import { lockStoreDirectory } from './lock.ts';

/** An open store: the handle and how to close it (releasing the lock). */
export interface Store {
  db: Db;
  /** Connection string for pg-boss in server mode; null in embedded mode. */
  databaseUrl: string | null;
  schema: string;
  close(): Promise<void>;
}

export async function openStore(
  config: Pick<Config, 'databaseUrl' | 'databaseSchema' | 'home' | 'storeInMemory'> &
    Partial<Pick<Config, 'pgliteSharedBuffers'>>,
): Promise<Store> {
  const pglite = config.pgliteSharedBuffers ? { sharedBuffers: config.pgliteSharedBuffers } : {};
  if (config.databaseUrl) {
    const db = await openPostgres(config.databaseUrl, config.databaseSchema);
    await migrate(db);
    return { db, databaseUrl: config.databaseUrl, schema: config.databaseSchema, close: () => db.close() };
  }
  if (config.storeInMemory) {
    const db = await openPglite(null, pglite);
    await migrate(db);
    return { db, databaseUrl: null, schema: 'public', close: () => db.close() };
  }
  const release = lockStoreDirectory(config.home);
  try {
    const db = await openPglite(path.join(config.home, 'store'), pglite);
    await migrate(db);
    return {
      db,
      databaseUrl: null,
      schema: 'public',
      async close() {
        await db.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}
