/**
 * The services every request handler and job receives: wired once in main.ts, injected everywhere.
 */
import type { Logger } from 'pino';
import type { ConnectorRegistry } from '../connectors/registry.ts';
import type { Db } from '../store/db.ts';
import type { Vault } from '../vault/vault.ts';

/** Enqueues background work. */
export interface JobSender {
  /** Queues account discovery for a connection. */
  discoverAccounts(connectionId: string): Promise<void>;
}

export interface AppContext {
  db: Db;
  vault: Vault;
  connectors: ConnectorRegistry;
  jobs: JobSender;
  logger: Logger;
  /** The server's public base URL (known after it listens). */
  publicUrl(): string;
  now(): Date;
  version: string;
}
