/**
 * A real Tributary for the extract benchmark: the store (PGlite on disk, or PostgreSQL with a
 * schema per app), the job queue and its workers, the HTTP server and the Meta Ads sandbox, on a
 * free loopback port. Provider calls go through a counting `fetch`, so every HTTP request the
 * engine sends to the sandbox is counted by kind on the wire, independently of the engine's own
 * `apiCalls` counter.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import type { z } from 'zod';
import { approveInSandbox } from '../src/cli/session.ts';
import { loadConfig } from '../src/config.ts';
import type { HttpSettings } from '../src/connectors/kit/types.ts';
import { connectorEnvVars } from '../src/connectors/registry.ts';
import { createApiClient } from '../src/contract/client.ts';
import type { runDetailSchema } from '../src/contract/extractionSchemas.ts';
import type { AccountView } from '../src/contract/schemas.ts';
import { type Runtime, startRuntime } from '../src/runtime.ts';
import { benchAuthHeaders } from './benchOwner.ts';

/** The kinds of Graph request the Meta Ads connector sends. */
export type CallKind = 'sync' | 'create' | 'poll' | 'results' | 'other';

/** Requests seen on the wire, by kind: all of them, those answered non-200, those refused by a rate limit. */
export interface WireCounts {
  sent: Record<CallKind, number>;
  failed: Record<CallKind, number>;
  rateLimited: number;
  /** Summed time from sending a request to its response headers (the sandbox computes the body first). */
  roundTripMs: number;
}

const kinds: CallKind[] = ['sync', 'create', 'poll', 'results', 'other'];
const zero = () => Object.fromEntries(kinds.map((kind) => [kind, 0])) as Record<CallKind, number>;
/** Meta's throttling codes: ads insights (80000), app (4), user (17), API (613). */
const throttled = /"code":\s*(80000|80004|4|17|613)\b/;

/** Classifies a sandbox Graph URL: `act_{id}/insights` (sync GET or report-run POST), `{run}`, `{run}/insights`. */
export function callKind(method: string, url: URL): CallKind {
  const match = /\/sandbox\/meta-ads\/v\d+\.\d+\/(.+)$/.exec(url.pathname);
  const node = match?.[1] ?? '';
  if (/^act_\d+\/insights$/.test(node)) return method === 'POST' ? 'create' : 'sync';
  if (/^\d+\/insights$/.test(node)) return 'results';
  if (/^\d+$/.test(node)) return 'poll';
  return 'other';
}

/** One request seen on the wire, handed to {@link WireCounter.listener} with a clone of its response. */
export interface WireCall {
  method: string;
  url: URL;
  status: number;
}

/** A `fetch` that counts what it sends, by {@link CallKind}. */
export class WireCounter {
  counts: WireCounts = { sent: zero(), failed: zero(), rateLimited: 0, roundTripMs: 0 };
  /**
   * Sees every request (the provider scenario tallies calls by path), with a clone of its response when
   * `wantsBody` says so: an unread clone would keep its whole body buffered.
   */
  listener: ((call: WireCall, clone: Response | null) => Promise<void>) | null = null;
  wantsBody: (url: URL) => boolean = () => false;

  readonly fetch: typeof fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const kind = callKind(init?.method ?? 'GET', url);
    this.counts.sent[kind] += 1;
    const started = performance.now();
    const response = await fetch(input, init);
    this.counts.roundTripMs += performance.now() - started;
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    await this.listener?.(
      { method, url, status: response.status },
      this.wantsBody(url) ? response.clone() : null,
    );
    if (response.status !== 200) {
      this.counts.failed[kind] += 1;
      if (throttled.test(await response.clone().text())) this.counts.rateLimited += 1;
    }
    return response;
  };

  /** Starts counting afresh; returns what was counted so far. */
  reset(): WireCounts {
    const previous = this.counts;
    this.counts = { sent: zero(), failed: zero(), rateLimited: 0, roundTripMs: 0 };
    return previous;
  }
}

/** Memory at the moment of the peak: RSS and what V8 knows of (JS heap; external incl. WASM memory). */
export interface MemoryPeak {
  beforeMb: number;
  peakMb: number;
  heapTotalMb: number;
  externalMb: number;
}

/** Peak resident set size (`process.memoryUsage().rss`), sampled every `everyMs` while started. */
export class RssSampler {
  private timer: NodeJS.Timeout | null = null;
  private before = 0;
  private peak: NodeJS.MemoryUsage = process.memoryUsage();

  constructor(private readonly everyMs = 50) {}

  private sample(): void {
    const usage = process.memoryUsage();
    if (usage.rss > this.peak.rss) this.peak = usage;
  }

  start(): void {
    this.peak = process.memoryUsage();
    this.before = this.peak.rss;
    this.timer = setInterval(() => this.sample(), this.everyMs);
  }

  stop(): MemoryPeak {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sample();
    return {
      beforeMb: this.before / 1e6,
      peakMb: this.peak.rss / 1e6,
      heapTotalMb: this.peak.heapTotal / 1e6,
      externalMb: this.peak.external / 1e6,
    };
  }
}

/**
 * Probes until `done` holds or `timeoutMs` passes. The bench keeps its own copy: `test/harness.ts` imports
 * vitest, which refuses to load outside a vitest run.
 */
export async function waitFor<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    last = await probe();
  }
  return last;
}

/** Which store the app runs on: PGlite on disk (embedded), or PostgreSQL (server mode). */
export type StoreBackend = 'pglite' | 'postgres';

/** A running app for the benchmark. */
export interface ExtractApp {
  backend: StoreBackend;
  runtime: Runtime;
  url: string;
  api: ReturnType<typeof createApiClient>;
  wire: WireCounter;
  home: string;
  /** The store schema (PostgreSQL only). */
  schema: string;
  /** Warning and error lines the app logged. */
  warnings: string[];
  /** CPU used so far by the process serving the provider sandbox, when it is another process (ms). */
  providerCpuMs: (() => number) | null;
  /** Slices this app's workers run at once (`TRIBUTARY_SLICE_CONCURRENCY`). */
  sliceWorkers: number;
  close(): Promise<void>;
}

/** Drops schemas on `url` (the app's store, jobs and warehouse schemas). */
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
 * Starts an app; `http` overrides the provider-call settings (the rest are the product defaults). `env` adds
 * configuration (a provider's base URLs, destination settings); with `providersElsewhere` the app serves no
 * sandbox itself, so every provider call leaves the process.
 */
export async function startExtractApp(
  backend: StoreBackend,
  postgresUrl: string,
  http: Partial<HttpSettings> = {},
  options: {
    env?: Record<string, string>;
    providersElsewhere?: boolean;
    providerCpuMs?: () => number;
  } = {},
): Promise<ExtractApp> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-bench-extract-'));
  const schema = `bx_${crypto.randomBytes(5).toString('hex')}`;
  const config = loadConfig(connectorEnvVars, {
    HOST: '127.0.0.1',
    PORT: '0',
    TRIBUTARY_HOME: home,
    TRIBUTARY_MASTER_KEY: crypto.randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
    ...(backend === 'postgres' ? { DATABASE_URL: postgresUrl, TRIBUTARY_DB_SCHEMA: schema } : {}),
    ...(options.providersElsewhere ? { TRIBUTARY_SANDBOX: 'off' } : {}),
    ...options.env,
  });
  const warnings: string[] = [];
  const logDestination = new Writable({
    write(chunk, _encoding, callback) {
      warnings.push(String(chunk));
      callback();
    },
  });
  const wire = new WireCounter();
  const cleanup = async () => {
    if (backend === 'postgres') await dropSchemas(postgresUrl, [schema, `${schema}_jobs`, `${schema}_wh`]);
    fs.rmSync(home, { recursive: true, force: true });
  };
  let runtime: Runtime;
  try {
    runtime = await startRuntime({ config, role: 'serve', http, fetch: wire.fetch, logDestination });
  } catch (error) {
    await cleanup();
    throw error;
  }
  return {
    backend,
    runtime,
    url: runtime.url,
    api: createApiClient({ baseUrl: runtime.url, headers: await benchAuthHeaders(runtime.url) }),
    wire,
    home,
    schema,
    warnings,
    providerCpuMs: options.providerCpuMs ?? null,
    sliceWorkers: config.sliceConcurrency,
    async close() {
      await runtime.close();
      await cleanup();
    },
  };
}

/**
 * Connects a seeded sandbox user of `dataSource` (default Meta Ads) through the OAuth flow; returns the
 * connection id, its account ids and the accounts as the API lists them.
 */
export async function connectSandboxUser(
  app: ExtractApp,
  email: string,
  dataSource = 'meta-ads',
): Promise<{ connectionId: string; accountIds: string[]; accounts: AccountView[] }> {
  const created = await app.api.call('createConnection', { body: { dataSource } });
  // Throws when the sandbox refuses the approval or our callback answers an error.
  await approveInSandbox(created.authorizationUrl!, email);
  const connection = await waitFor(
    () => app.api.call('getConnection', { params: { id: created.connection.id } }),
    (candidate) => candidate.accountStatus !== 'loading',
    120_000,
  );
  if (connection.accountStatus !== 'ready')
    throw new Error(`Account discovery ended ${connection.accountStatus}`);
  return {
    connectionId: connection.id,
    accountIds: connection.accounts.map((account) => account.id),
    accounts: connection.accounts,
  };
}

/** One finished run, as the benchmark measured it. */
export interface MeasuredRun {
  run: RunDetail;
  /** Server-side run duration: `createdAt` → `finishedAt` (queueing, slices, reconciliation). */
  wallMs: number;
  wire: WireCounts;
  rss: MemoryPeak;
  /** CPU time during the run: this process (user + system), and the sandbox's process when it is another one. */
  cpu: { appMs: number; providerMs: number | null };
  /** Slices the app ran at once. */
  sliceWorkers: number;
  /** The run's slice jobs as pg-boss recorded them (summed; retried slices have several jobs). */
  jobs: SliceJobs;
}

/** Summed pg-boss timings of slice jobs: running (started → completed). */
export interface SliceJobs {
  jobs: number;
  busyMs: number;
  /** The last job's completion, epoch ms. */
  lastCompletedAt: number;
}

/** Reads the run-slice jobs of `sliceIds` from pg-boss's job table in the app's store. */
export async function sliceJobs(app: ExtractApp, sliceIds: readonly string[]): Promise<SliceJobs> {
  const schema = app.backend === 'postgres' ? `${app.schema}_jobs` : 'pgboss';
  const [row] = await app.runtime.context.db.query<{
    jobs: number;
    busy: number | null;
    last: number | null;
  }>(
    `SELECT count(*)::int AS jobs,
            (sum(extract(epoch FROM completed_on - started_on)) * 1000)::float8 AS busy,
            (extract(epoch FROM max(completed_on)) * 1000)::float8 AS last
     FROM "${schema}".job
     WHERE name = 'run-slice' AND completed_on IS NOT NULL AND data->>'sliceId' = ANY($1::text[])`,
    [sliceIds],
  );
  return {
    jobs: row?.jobs ?? 0,
    busyMs: row?.busy ?? 0,
    lastCompletedAt: row?.last ?? 0,
  };
}

/** A run with its slices and log, as `GET /api/v1/runs/{id}` returns it. */
export type RunDetail = z.infer<typeof runDetailSchema>;

const terminal = ['succeeded', 'partial', 'failed', 'cancelled'];

/**
 * Starts a run of `extractionId` over `from`..`to` through the API and polls `GET /api/v1/runs/{id}`
 * once a second until it ends (the poll is kept rare so it does not load the store it measures).
 * RSS is sampled every 50 ms from the POST to the end.
 */
export async function runExtraction(
  app: ExtractApp,
  extractionId: string,
  from: string,
  to: string,
  timeoutMs = 20 * 60_000,
): Promise<MeasuredRun> {
  app.wire.reset();
  const sampler = new RssSampler(50);
  const cpuBefore = process.cpuUsage();
  const providerBefore = app.providerCpuMs?.() ?? 0;
  sampler.start();
  let run: RunDetail;
  let rss: MeasuredRun['rss'];
  try {
    const queued = await app.api.call('startExtractionRun', {
      params: { id: extractionId },
      body: { from, to },
    });
    run = await waitFor(
      async () => {
        await new Promise((resolve) => setTimeout(resolve, 1000));
        return app.api.call('getRun', { params: { id: queued.id } });
      },
      (candidate) => terminal.includes(candidate.status),
      timeoutMs,
    );
  } finally {
    rss = sampler.stop();
  }
  const used = process.cpuUsage(cpuBefore);
  const cpu = {
    appMs: (used.user + used.system) / 1000,
    providerMs: app.providerCpuMs ? app.providerCpuMs() - providerBefore : null,
  };
  const wallMs = Date.parse(run.finishedAt!) - Date.parse(run.createdAt);
  const wire = app.wire.reset();
  const jobs = await sliceJobs(
    app,
    run.slices.map((slice) => slice.id),
  );
  return { run, wallMs, wire, rss, cpu, sliceWorkers: app.sliceWorkers, jobs };
}
