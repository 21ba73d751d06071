/**
 * Wiring: builds the store, vault, connectors, job queue and HTTP server from a Config. Used by
 * `npm start`, `tributary serve`, `tributary worker`, the tests and the benchmarks.
 */
import fs from 'node:fs';
import type { DestinationStream, Logger } from 'pino';
import type { Config } from './config.ts';
import type { AppContext } from './connections/context.ts';
import type { ConnectorDefinition, HttpSettings } from './connectors/kit/types.ts';
import { ConnectorRegistry, loadSandboxProviders } from './connectors/registry.ts';
import { isLoopbackHost, withoutBrackets } from './domain/loopback.ts';
import { DestinationPool } from './engine/destinationPool.ts';
import { JobQueue } from './engine/jobQueue.ts';
import { defaultEngineSettings, type EngineSettings } from './engine/sliceExecutor.ts';
import { defaultWebhookSettings, type WebhookSettings } from './engine/webhookDelivery.ts';
import { createLogger } from './logging.ts';
import { SandboxState } from './sandbox/host.ts';
import { buildServer } from './server/app.ts';
import { openStore, type Store } from './store/open.ts';
import { usersRepository } from './store/usersRepository.ts';
import { loadMasterKey, Vault } from './vault/vault.ts';

const packageJson = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** Defaults for provider calls; tests pass shorter ones. */
export const defaultHttpSettings: HttpSettings = {
  timeoutMs: 30_000,
  maxRetries: 3,
  retryBaseMs: 500,
  maxQuotaWaitMs: 5_000,
};

export interface RuntimeOptions {
  config: Config;
  /** `serve` runs the HTTP server (and workers unless config.workers is off); `worker` runs only workers. */
  role: 'serve' | 'worker';
  http?: Partial<HttpSettings>;
  logDestination?: DestinationStream;
  fetch?: typeof fetch;
  /** The connector catalog (default: every registered connector). */
  connectors?: readonly ConnectorDefinition[];
  engine?: Partial<EngineSettings>;
  webhooks?: Partial<WebhookSettings & { pollMs: number }>;
}

/** A running Tributary process. */
export interface Runtime {
  /** Where the server listens (serve role), e.g. http://127.0.0.1:4400. */
  url: string;
  context: AppContext;
  engine: EngineSettings;
  store: Store;
  sandbox: SandboxState | null;
  logger: Logger;
  close(): Promise<void>;
}

function loopbackUrl(host: string, port: number): string {
  const bare = withoutBrackets(host);
  const reachable = bare === '0.0.0.0' || bare === '::' ? '127.0.0.1' : bare;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/**
 * The base URL people reach the server at, as far as the configuration tells without listening:
 * `TRIBUTARY_PUBLIC_URL`, else this machine's address and `PORT`. (A running server that listens on `PORT=0`
 * knows its real port: `AppContext.publicUrl`.)
 */
export function configuredPublicUrl(config: Pick<Config, 'publicUrl' | 'host' | 'port'>): string {
  return config.publicUrl ?? loopbackUrl(config.host, config.port);
}

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const { config } = options;
  const logger = createLogger(config.logLevel, options.logDestination);
  const vault = new Vault(loadMasterKey(config.masterKey, config.home));
  const store = await openStore(config);
  let publicUrl = configuredPublicUrl(config);
  const http = { ...defaultHttpSettings, ...options.http };
  const connectors = new ConnectorRegistry(
    (definition) => ({
      env: Object.fromEntries(definition.envVars.map((name) => [name, config.providerEnv[name]])),
      sandboxBaseUrl: () => (config.sandbox ? `${publicUrl}/sandbox/${definition.id}` : null),
      allowLoopbackHosts: config.allowLoopbackProviders,
      http,
      fetch: options.fetch ?? fetch,
    }),
    options.connectors,
  );
  const jobs = new JobQueue({
    schema: config.databaseUrl ? `${config.databaseSchema}_jobs` : 'pgboss',
    databaseUrl: store.databaseUrl,
    db: store.db,
  });
  const destinations = new DestinationPool(store.db, vault, config.home, config.duckdb);
  const stallAfterMs = config.stallAfterSeconds * 1000;
  const engine = {
    ...defaultEngineSettings,
    stallAfterMs,
    // A few heartbeats fit in the stall window, so one slow write is not taken for a death.
    heartbeatMs: Math.min(defaultEngineSettings.heartbeatMs, Math.max(100, stallAfterMs / 6)),
    ...options.engine,
  };
  const context: AppContext = {
    destinations,
    db: store.db,
    vault,
    connectors,
    jobs,
    logger,
    publicUrl: () => publicUrl,
    now: () => new Date(),
    version: packageJson.version,
  };
  const closers: (() => Promise<void>)[] = [() => store.close(), () => destinations.closeAll()];
  try {
    await jobs.start((error) => logger.error({ err: error }, 'job queue error'));
    closers.unshift(() => jobs.stop());
    await destinations.ensureDefault(context.now());
    if (options.role === 'worker' || config.workers)
      await jobs.startWorkers(
        context,
        engine,
        { ...defaultWebhookSettings, pollMs: 2_000, ...options.webhooks },
        config.sliceConcurrency,
      );

    const sandbox = config.sandbox ? new SandboxState() : null;
    let url = publicUrl;
    if (options.role === 'serve') {
      // Without an account to sign in with, the first visitor becomes the owner: only safe on this machine.
      if (!isLoopbackHost(config.host) && (await usersRepository.count(store.db)) === 0)
        throw new Error(
          `HOST=${config.host} would let anyone on the network create the owner account: create it first with ` +
            '`tributary owner create --email you@example.com` (password on stdin), or listen on 127.0.0.1',
        );
      const app = buildServer({
        context,
        logger,
        sandbox: sandbox ? { providers: await loadSandboxProviders(), state: sandbox } : null,
        apiRateLimit: config.apiRateLimit,
      });
      await app.listen({ host: withoutBrackets(config.host), port: config.port });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.port;
      url = loopbackUrl(config.host, port);
      if (!config.publicUrl) publicUrl = url;
      closers.unshift(() => app.close());
      logger.info({ url, store: store.db.kind, sandbox: config.sandbox }, 'Tributary is listening');
    }
    let closed = false;
    return {
      url,
      context,
      engine,
      store,
      sandbox,
      logger,
      async close() {
        if (closed) return;
        closed = true;
        for (const close of closers)
          await close().catch((error) => logger.error({ err: error }, 'shutdown step failed'));
        logger.flush();
      },
    };
  } catch (error) {
    for (const close of closers) await close().catch(() => {});
    throw error;
  }
}
