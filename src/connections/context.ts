/**
 * The services every request handler and job receives: wired once in main.ts, injected everywhere.
 */
import type { Logger } from 'pino';
import type { ConnectorRegistry } from '../connectors/registry.ts';
import type { DestinationPool } from '../engine/destinationPool.ts';
import type { Db } from '../store/db.ts';
import type { Vault } from '../vault/vault.ts';

/** Enqueues background work. */
export interface JobSender {
  /** Queues account discovery for a connection. */
  discoverAccounts(connectionId: string): Promise<void>;
  /** Queues one slice of a run, optionally not before `startAfter` (quota recovery, back-off). */
  runSlice(sliceId: string, startAfter?: Date): Promise<void>;
  /** Queues the end of a run: reconciliation, final status, events. */
  finalizeRun(runId: string): Promise<void>;
}

export interface AppContext {
  db: Db;
  vault: Vault;
  connectors: ConnectorRegistry;
  jobs: JobSender;
  destinations: DestinationPool;
  logger: Logger;
  /** The server's public base URL (known after it listens). */
  publicUrl(): string;
  now(): Date;
  version: string;
}
