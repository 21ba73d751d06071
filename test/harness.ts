/**
 * Boots a real Tributary (store, job queue, HTTP server, sandbox) on a random loopback port for a
 * test, on PGlite or on the machine's PostgreSQL (a fresh schema per app, dropped afterwards).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { type Config, loadConfig, testRequirements } from '../src/config.ts';
import { connectorEnvVars } from '../src/connectors/registry.ts';
import { createApiClient } from '../src/contract/client.ts';
import { type Runtime, type RuntimeOptions, startRuntime } from '../src/runtime.ts';
import { postgresAvailable } from './postgres.ts';

export type Backend = 'pglite' | 'postgres';

const requirements = testRequirements();

/** The backends to run a suite on: PGlite always, PostgreSQL when available (or required). */
export async function backends(): Promise<Backend[]> {
  return (await postgresAvailable()) ? ['pglite', 'postgres'] : ['pglite'];
}

export interface TestApp {
  runtime: Runtime;
  url: string;
  api: ReturnType<typeof createApiClient>;
  /** Every log line the app wrote. */
  logs: string[];
  config: Config;
  close(): Promise<void>;
}

/** Starts an app; `env` adds or overrides environment variables. */
export async function startTestApp(
  backend: Backend,
  env: Record<string, string> = {},
  options: Pick<RuntimeOptions, 'connectors' | 'engine' | 'webhooks'> = {},
): Promise<TestApp> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-test-'));
  const schema = `t_${crypto.randomBytes(6).toString('hex')}`;
  const config = loadConfig(connectorEnvVars, {
    HOST: '127.0.0.1',
    PORT: '0',
    TRIBUTARY_HOME: home,
    TRIBUTARY_MASTER_KEY: crypto.randomBytes(32).toString('hex'),
    LOG_LEVEL: 'info',
    ...(backend === 'postgres'
      ? { DATABASE_URL: requirements.postgresUrl, TRIBUTARY_DB_SCHEMA: schema }
      : { TRIBUTARY_STORE: 'memory' }),
    ...env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(String(chunk));
      callback();
    },
  });
  const runtime = await startRuntime({
    config,
    role: 'serve',
    http: { timeoutMs: 5_000, maxRetries: 2, retryBaseMs: 5, maxQuotaWaitMs: 0 },
    logDestination: sink,
    engine: { heartbeatMs: 200, stallAfterMs: 5_000, retryBaseMs: 50, ...options.engine },
    connectors: options.connectors,
    webhooks: { pollMs: 200, retryBaseMs: 100, timeoutMs: 2_000, ...options.webhooks },
  });
  return {
    runtime,
    url: runtime.url,
    api: createApiClient({ baseUrl: runtime.url }),
    logs,
    config,
    async close() {
      await runtime.close();
      if (backend === 'postgres') await dropSchemas([schema, `${schema}_jobs`]);
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

async function dropSchemas(schemas: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: requirements.postgresUrl });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Polls `probe` until it returns a value that `done` accepts, or fails after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await probe();
  }
  return last;
}

/**
 * Completes a sandbox OAuth authorization like a browser would: opens the authorization URL with
 * `sandbox_approve`, follows the redirect to our callback, and returns the callback response.
 */
export async function approveInSandbox(authorizationUrl: string, email: string): Promise<Response> {
  const url = new URL(authorizationUrl);
  url.searchParams.set('sandbox_approve', email);
  const consent = await fetch(url, { redirect: 'manual' });
  const location = consent.headers.get('location');
  if (!location)
    throw new Error(`The sandbox did not redirect (HTTP ${consent.status}): ${await consent.text()}`);
  return fetch(location, { redirect: 'manual' });
}

/** Makes the Meta sandbox fail its next `count` calls with `fault` (the control API's own check is a 201). */
export async function injectFault(app: TestApp, fault: string, count = 1): Promise<void> {
  const response = await fetch(`${app.url}/sandbox/_control/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ provider: 'meta-ads', fault, count }),
  });
  if (response.status !== 201)
    throw new Error(`Fault ${fault} refused: HTTP ${response.status} ${await response.text()}`);
}

/** Makes a Meta Ads connection authorized as a seeded sandbox user and waits for its accounts. */
export async function connectSandboxUser(app: TestApp, email: string) {
  const created = await app.api.call('createConnection', { body: { dataSource: 'meta-ads' } });
  const callback = await approveInSandbox(created.authorizationUrl!, email);
  if (callback.status !== 200) throw new Error(`Authorizing ${email} failed: HTTP ${callback.status}`);
  return waitFor(
    () => app.api.call('getConnection', { params: { id: created.connection.id } }),
    (connection) => connection.accountStatus !== 'loading',
  );
}

/** Waits until a run has ended (succeeded, partial, failed or cancelled) and returns it. */
export async function runEnded(app: TestApp, runId: string, timeoutMs = 120_000) {
  return waitFor(
    () => app.api.call('getRun', { params: { id: runId } }),
    (run) => ['succeeded', 'partial', 'failed', 'cancelled'].includes(run.status),
    timeoutMs,
  );
}
