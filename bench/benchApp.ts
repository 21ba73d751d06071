/**
 * A real Tributary for the load, scheduler and scale-out benchmarks: the store (PGlite on disk, or
 * PostgreSQL with a fresh schema per app), the job queue, the HTTP server and the sandbox, on a free
 * loopback port, with the owner set up and an admin API token, as a user would have it. The test
 * harness does the same for tests, but it imports vitest, which refuses to load outside a vitest run.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import type { ApiSession } from '../src/access/apiSignIn.ts';
import { approveInSandbox } from '../src/cli/session.ts';
import { type Config, loadConfig } from '../src/config.ts';
import { connectorEnvVars } from '../src/connectors/registry.ts';
import { type ApiClient, createApiClient } from '../src/contract/client.ts';
import { type Runtime, type RuntimeOptions, startRuntime } from '../src/runtime.ts';
import type { Db } from '../src/store/db.ts';
import { openStore } from '../src/store/open.ts';
import { benchOwnerSession } from './benchOwner.ts';

/** Which store the app runs on: PGlite on disk (embedded), or PostgreSQL (server mode). */
export type BenchBackend = 'pglite' | 'postgres';

/** A running app, signed in as the benchmark's owner. */
export interface BenchApp {
  backend: BenchBackend;
  runtime: Runtime;
  url: string;
  config: Config;
  /** The API as the owner, through an admin API token of the Default workspace. */
  api: ApiClient;
  token: string;
  /** `{authorization: 'Bearer …'}`. */
  authHeaders: Record<string, string>;
  /** The owner's browser session (cookies + CSRF token). */
  session: ApiSession;
  /** Warning and error lines the app logged. */
  warnings: string[];
  close(): Promise<void>;
}

/** Drops schemas on `url` (an app's store, jobs and warehouse schemas). */
export async function dropSchemas(url: string, schemas: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * Starts an app on `backend` (`postgresUrl` is used for PostgreSQL); `env` adds configuration (e.g.
 * `TRIBUTARY_WORKERS: 'off'`, `TRIBUTARY_API_RATE_LIMIT`), `options` the runtime's engine settings.
 */
export async function startBenchApp(
  backend: BenchBackend,
  postgresUrl: string,
  env: Record<string, string> = {},
  options: Pick<RuntimeOptions, 'engine' | 'http'> & {
    /** Writes into the store before the server starts (bulk seeding, as the connections benchmark does). */
    seed?: (db: Db) => Promise<void>;
  } = {},
): Promise<BenchApp> {
  const { seed, ...runtimeOptions } = options;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-bench-'));
  const schema = `bb_${crypto.randomBytes(5).toString('hex')}`;
  const config = loadConfig(connectorEnvVars, {
    HOST: '127.0.0.1',
    PORT: '0',
    TRIBUTARY_HOME: home,
    TRIBUTARY_MASTER_KEY: crypto.randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    ...(backend === 'postgres' ? { DATABASE_URL: postgresUrl, TRIBUTARY_DB_SCHEMA: schema } : {}),
    ...env,
  });
  const warnings: string[] = [];
  const logDestination = new Writable({
    write(chunk, _encoding, callback) {
      if (warnings.length < 1000) warnings.push(String(chunk));
      callback();
    },
  });
  const cleanup = async () => {
    if (backend === 'postgres') await dropSchemas(postgresUrl, [schema, `${schema}_jobs`]);
    fs.rmSync(home, { recursive: true, force: true });
  };
  let runtime: Runtime;
  try {
    if (seed) {
      const store = await openStore(config);
      await seed(store.db).finally(() => store.close());
    }
    runtime = await startRuntime({ config, role: 'serve', logDestination, ...runtimeOptions });
  } catch (error) {
    await cleanup();
    throw error;
  }
  try {
    const owner = await benchOwnerSession(runtime.url);
    return {
      backend,
      runtime,
      url: runtime.url,
      config,
      api: createApiClient({ baseUrl: runtime.url, headers: owner.authHeaders }),
      token: owner.token,
      authHeaders: owner.authHeaders,
      session: owner.session,
      warnings,
      async close() {
        await runtime.close();
        await cleanup();
      },
    };
  } catch (error) {
    await runtime.close();
    await cleanup();
    throw error;
  }
}

/** Probes until `done` holds or `timeoutMs` passes; throws with the last value otherwise. */
export async function waitUntil<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    last = await probe();
  }
  return last;
}

/**
 * Connects a seeded sandbox user of `dataSource` (Meta Ads unless named) through the OAuth flow, as a
 * browser would, and waits for its accounts (discovery runs on whichever process has workers).
 */
export async function connectSandbox(app: BenchApp, email: string, dataSource = 'meta-ads') {
  const created = await app.api.call('createConnection', { body: { dataSource } });
  await approveInSandbox(created.authorizationUrl!, email);
  const connection = await waitUntil(
    () => app.api.call('getConnection', { params: { id: created.connection.id } }),
    (candidate) => candidate.accountStatus !== 'loading',
    120_000,
    250,
  );
  if (connection.accountStatus !== 'ready')
    throw new Error(`Account discovery ended ${connection.accountStatus}`);
  return connection;
}

const terminal = ['succeeded', 'partial', 'failed', 'cancelled'];

/** Waits until a run has ended and returns it (polled every `everyMs`, kept rare so it does not load the store). */
export async function runEnded(app: BenchApp, runId: string, timeoutMs = 600_000, everyMs = 500) {
  return waitUntil(
    () => app.api.call('getRun', { params: { id: runId } }),
    (run) => terminal.includes(run.status),
    timeoutMs,
    everyMs,
  );
}
