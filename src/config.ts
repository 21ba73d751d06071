/**
 * The only module that reads the environment. Everything else receives a typed {@link Config}.
 */
import path from 'node:path';

export interface Config {
  /** Interface to listen on (`HOST`, default 127.0.0.1). */
  host: string;
  /** Port to listen on (`PORT`, default 4400; 0 picks a free port). */
  port: number;
  /** Base URL users and providers reach this server at (`TRIBUTARY_PUBLIC_URL`); derived from host/port when unset. */
  publicUrl: string | null;
  /** Data directory for the embedded store, key file and lock (`TRIBUTARY_HOME`, default ./.tributary). */
  home: string;
  /** `postgres://…` puts the store on PostgreSQL (`DATABASE_URL`); null means the embedded PGlite store. */
  databaseUrl: string | null;
  /** Keep the embedded store in memory only (`TRIBUTARY_STORE=memory`): nothing survives a restart. */
  storeInMemory: boolean;
  /** PostgreSQL schema for the store (`TRIBUTARY_DB_SCHEMA`, default `public`). */
  databaseSchema: string;
  /** Base64 or hex 32-byte master key for the credential vault (`TRIBUTARY_MASTER_KEY`); null means the key file. */
  masterKey: string | null;
  /** Built-in provider sandboxes (`TRIBUTARY_SANDBOX`, on unless `off`). */
  sandbox: boolean;
  /** Log level (`LOG_LEVEL`, default info). */
  logLevel: string;
  /** Run the job workers in this process (`TRIBUTARY_WORKERS`, default on). */
  workers: boolean;
  /** A running slice without a heartbeat for this long is handed to another worker (`TRIBUTARY_STALL_AFTER_SECONDS`, default 120). */
  stallAfterSeconds: number;
  /** Slices one worker process runs at once (`TRIBUTARY_SLICE_CONCURRENCY`, default 2: they mostly wait on providers). */
  sliceConcurrency: number;
  /**
   * DuckDB warehouses: the buffer manager's memory limit (`TRIBUTARY_DUCKDB_MEMORY_LIMIT`, default `256MB`;
   * DuckDB's own default is 80% of RAM) and worker threads (`TRIBUTARY_DUCKDB_THREADS`, default 2).
   */
  duckdb: { memoryLimit: string; threads: number };
  /**
   * The embedded store's `shared_buffers` (`TRIBUTARY_PGLITE_SHARED_BUFFERS`, default `32MB`; PostgreSQL's own is
   * 128MB). The pool sits in PGlite's WASM memory, resident from the start whether used or not. 32MB holds the
   * connections list's working set at 100,000 connections (no page read from outside the pool; 16MB read ~100 a
   * page of results).
   */
  pgliteSharedBuffers: string;
  /** API requests one client (token, session or address) may make per minute (`TRIBUTARY_API_RATE_LIMIT`, default 6000). */
  apiRateLimit: number;
  /**
   * Whether provider base URL overrides may point at loopback addresses (`TRIBUTARY_ALLOW_LOOPBACK_PROVIDERS=1`);
   * they may anyway while the sandbox is on.
   */
  allowLoopbackProviders: boolean;
  /** Provider settings, only the variables connectors declare. */
  providerEnv: Record<string, string | undefined>;
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 4400;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PORT must be an integer between 0 and 65535, got "${value}"`);
  }
  return port;
}

function parsePositive(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value.trim() === '') return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0)
    throw new Error(`${name} must be a positive number, got "${value}"`);
  return number;
}

/** A DuckDB memory size such as `256MB` or `1.5GB` (the value is pasted into a SET statement, so it is strict). */
function parseMemoryLimit(value: string | undefined): string {
  const text = value?.trim() || '256MB';
  if (!/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(text))
    throw new Error(`TRIBUTARY_DUCKDB_MEMORY_LIMIT must be a size such as 256MB or 1GB, got "${text}"`);
  return text;
}

/** A PostgreSQL memory size such as `16MB` (the value goes on PGlite's command line, so it is strict). */
function parsePgMemory(value: string | undefined, fallback: string, name: string): string {
  const text = value?.trim() || fallback;
  if (!/^\d+(kB|MB|GB)$/.test(text))
    throw new Error(`${name} must be a size such as 16MB or 1GB, got "${text}"`);
  return text;
}

/** Reads the configuration from `env` (default `process.env`). Throws with a clear message on bad values. */
export function loadConfig(
  providerVars: readonly string[],
  env: Record<string, string | undefined> = process.env,
): Config {
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('DATABASE_URL must start with postgres:// or postgresql://');
  }
  const schema = env.TRIBUTARY_DB_SCHEMA?.trim() || 'public';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error('TRIBUTARY_DB_SCHEMA must be a lower-case SQL identifier');
  }
  const providerEnv: Record<string, string | undefined> = {};
  for (const name of providerVars) providerEnv[name] = env[name]?.trim() || undefined;
  return {
    host: env.HOST?.trim() || '127.0.0.1',
    port: parsePort(env.PORT),
    publicUrl: env.TRIBUTARY_PUBLIC_URL?.trim().replace(/\/+$/, '') || null,
    home: path.resolve(env.TRIBUTARY_HOME?.trim() || '.tributary'),
    databaseUrl,
    databaseSchema: schema,
    storeInMemory: (env.TRIBUTARY_STORE ?? '').trim().toLowerCase() === 'memory',
    masterKey: env.TRIBUTARY_MASTER_KEY?.trim() || null,
    sandbox: (env.TRIBUTARY_SANDBOX ?? '').trim().toLowerCase() !== 'off',
    logLevel: env.LOG_LEVEL?.trim() || 'info',
    workers: (env.TRIBUTARY_WORKERS ?? '').trim().toLowerCase() !== 'off',
    sliceConcurrency: Math.round(
      parsePositive(env.TRIBUTARY_SLICE_CONCURRENCY, 2, 'TRIBUTARY_SLICE_CONCURRENCY'),
    ),
    stallAfterSeconds: parsePositive(env.TRIBUTARY_STALL_AFTER_SECONDS, 120, 'TRIBUTARY_STALL_AFTER_SECONDS'),
    apiRateLimit: Math.round(parsePositive(env.TRIBUTARY_API_RATE_LIMIT, 6000, 'TRIBUTARY_API_RATE_LIMIT')),
    allowLoopbackProviders: (env.TRIBUTARY_ALLOW_LOOPBACK_PROVIDERS ?? '').trim() === '1',
    duckdb: {
      memoryLimit: parseMemoryLimit(env.TRIBUTARY_DUCKDB_MEMORY_LIMIT),
      threads: Math.round(parsePositive(env.TRIBUTARY_DUCKDB_THREADS, 2, 'TRIBUTARY_DUCKDB_THREADS')),
    },
    pgliteSharedBuffers: parsePgMemory(
      env.TRIBUTARY_PGLITE_SHARED_BUFFERS,
      '32MB',
      'TRIBUTARY_PGLITE_SHARED_BUFFERS',
    ),
    providerEnv,
  };
}

/** The CLI's defaults: the server it talks to (`TRIBUTARY_URL`) and the API token it sends (`TRIBUTARY_TOKEN`). */
export function cliEnvironment(env: Record<string, string | undefined> = process.env) {
  return {
    url: env.TRIBUTARY_URL?.trim() || 'http://127.0.0.1:4400',
    token: env.TRIBUTARY_TOKEN?.trim() || undefined,
  };
}

/** Test-only knobs read in one place too: whether missing PostgreSQL or Chromium must fail instead of skip, the fuzzer's seed and size. */
export function testRequirements(env: Record<string, string | undefined> = process.env) {
  return {
    requirePostgres: env.REQUIRE_POSTGRES === '1',
    requireBrowser: env.REQUIRE_BROWSER === '1',
    postgresUrl: env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test',
    /** The fuzzer's seed (test/bad-input.test.ts prints the one it used), to replay a run. */
    fuzzSeed: env.FUZZ_SEED ? Number(env.FUZZ_SEED) : undefined,
    /** How many requests the fuzzer sends (10,500 unless set). */
    fuzzRequests: env.FUZZ_REQUESTS ? Number(env.FUZZ_REQUESTS) : undefined,
  };
}
