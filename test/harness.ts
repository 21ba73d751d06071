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
import { expect } from 'vitest';
import { type ApiSession, createTokenOverHttp, setupOwnerOverHttp } from '../src/access/apiSignIn.ts';
import { type Config, loadConfig, testRequirements } from '../src/config.ts';
import type { SandboxTruthDay } from '../src/connectors/kit/types.ts';
import { connectorEnvVars } from '../src/connectors/registry.ts';
import { ApiError, createApiClient } from '../src/contract/client.ts';
import { type Runtime, type RuntimeOptions, startRuntime } from '../src/runtime.ts';
import { postgresAvailable } from './postgres.ts';

export type Backend = 'pglite' | 'postgres';

const requirements = testRequirements();

/** The backends to run a suite on: PGlite always, PostgreSQL when available (or required). */
export async function backends(): Promise<Backend[]> {
  return (await postgresAvailable()) ? ['pglite', 'postgres'] : ['pglite'];
}

/** The owner every test app is set up with (first-run setup, as a user would). */
export const testOwner = {
  email: 'owner@example.com',
  password: 'correct horse battery staple',
  name: 'Owner',
};

export interface TestApp {
  runtime: Runtime;
  url: string;
  /** The API as the owner, through an admin API token of the Default workspace. */
  api: ReturnType<typeof createApiClient>;
  /** The owner's admin API token (`Authorization: Bearer`). */
  token: string;
  /** `{authorization: 'Bearer …'}`, for tests that call fetch directly. */
  authHeaders: Record<string, string>;
  /** The owner's browser session (cookie + CSRF token), e.g. to sign a browser in. */
  session: ApiSession;
  /** Every log line the app wrote. */
  logs: string[];
  config: Config;
  close(): Promise<void>;
}

/** An app nobody has signed up to yet: first-run owner setup is still to be done (e.g. through the page). */
export type FreshApp = Omit<TestApp, 'api' | 'token' | 'authHeaders' | 'session'>;

/** Starts an app with the owner set up; `env` adds or overrides environment variables. */
export async function startTestApp(
  backend: Backend,
  env: Record<string, string> = {},
  options: Pick<RuntimeOptions, 'connectors' | 'engine' | 'webhooks'> = {},
): Promise<TestApp> {
  const app = await startFreshApp(backend, env, options);
  const session = await setupOwnerOverHttp(app.url, testOwner);
  const token = await createTokenOverHttp(app.url, session, { name: 'test harness' });
  const authHeaders = { authorization: `Bearer ${token}` };
  return {
    ...app,
    api: createApiClient({ baseUrl: app.url, headers: authHeaders }),
    token,
    authHeaders,
    session,
  };
}

/** Starts an app without an owner account, as a fresh install is before its first visit. */
export async function startFreshApp(
  backend: Backend,
  env: Record<string, string> = {},
  options: Pick<RuntimeOptions, 'connectors' | 'engine' | 'webhooks'> = {},
): Promise<FreshApp> {
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

/**
 * Makes a provider's sandbox (Meta unless named) fail its next `count` calls with `fault` (the control API's own
 * check is a 201).
 */
export async function injectFault(
  app: TestApp,
  fault: string,
  count = 1,
  provider = 'meta-ads',
): Promise<void> {
  const response = await fetch(`${app.url}/sandbox/_control/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ provider, fault, count }),
  });
  if (response.status !== 201)
    throw new Error(`Fault ${fault} refused: HTTP ${response.status} ${await response.text()}`);
}

/** The faults still queued in the sandbox host, every provider's (`GET /sandbox/_control/faults`). */
export async function pendingFaults(app: TestApp): Promise<unknown[]> {
  const response = await fetch(`${app.url}/sandbox/_control/faults`);
  return ((await response.json()) as { faults: unknown[] }).faults;
}

/** A provider sandbox's true account-level daily totals over `from`..`to` (`GET /sandbox/_control/truth`). */
export async function sandboxTruth(
  app: TestApp,
  provider: string,
  account: string,
  from: string,
  to: string,
): Promise<SandboxTruthDay[]> {
  const url = `${app.url}/sandbox/_control/truth?provider=${provider}&account=${account}&from=${from}&to=${to}`;
  const response = await fetch(url);
  if (response.status !== 200)
    throw new Error(`Truth of ${provider} ${account}: HTTP ${response.status} ${await response.text()}`);
  return ((await response.json()) as { days: SandboxTruthDay[] }).days;
}

/**
 * Creates a connection to a provider (Meta unless named) and approves it in the sandbox as `email`; `amend` checks
 * or changes the authorization URL the API returned before the consent page opens. Returns the connection id and
 * our callback's response, whatever its status.
 */
export async function authorizeSandboxUser(
  app: TestApp,
  email: string,
  provider = 'meta-ads',
  amend: (authorizationUrl: URL) => void = () => {},
): Promise<{ id: string; callback: Response }> {
  const created = await app.api.call('createConnection', { body: { dataSource: provider } });
  const authorize = new URL(created.authorizationUrl!);
  amend(authorize);
  return { id: created.connection.id, callback: await approveInSandbox(authorize.toString(), email) };
}

/** How {@link connectSandboxUser} connects: the provider (Meta unless named), a check of its authorization URL. */
export interface SandboxConnectOptions {
  provider?: string;
  amend?: (authorizationUrl: URL) => void;
  /** How long discovery may take (20 s unless given). */
  timeoutMs?: number;
}

/** Makes a connection authorized as a seeded sandbox user and waits for its accounts. */
export async function connectSandboxUser(app: TestApp, email: string, options: SandboxConnectOptions = {}) {
  const { id, callback } = await authorizeSandboxUser(app, email, options.provider, options.amend);
  if (callback.status !== 200)
    throw new Error(`Authorizing ${email} failed: HTTP ${callback.status} ${await callback.text()}`);
  return waitFor(
    () => app.api.call('getConnection', { params: { id } }),
    (connection) => connection.accountStatus !== 'loading',
    options.timeoutMs,
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

/** The API error a call was refused with (the test fails when the call succeeds or fails otherwise). */
export async function apiFailure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}
