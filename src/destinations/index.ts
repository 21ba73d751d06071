/**
 * Destinations: where extracted rows land. The engine opens one through {@link createDestination}
 * and talks only to the {@link Destination} interface.
 */
import type { Destination } from './core/types.ts';
import { createDuckDbDestination } from './duckdb/duckdbDestination.ts';
import { createPostgresDestination } from './postgres/postgresDestination.ts';

export { assertIdentifier, tableNameFor } from './core/naming.ts';
export type { Destination, LoadRecord, PartitionSet, TableSpec, WriteCounts } from './core/types.ts';
export { createDuckDbDestination, type DuckDbDestinationOptions } from './duckdb/duckdbDestination.ts';
export {
  createPostgresDestination,
  type PostgresDestinationOptions,
} from './postgres/postgresDestination.ts';

/** How to reach a destination: a DuckDB file, or a schema in a PostgreSQL database. */
export type DestinationConfig =
  | { kind: 'duckdb'; path: string; memoryLimit?: string; threads?: number }
  | { kind: 'postgres'; url: string; schema: string; maxConnections?: number };

/**
 * Opens the destination a config describes. Nothing connects until the first call, so an
 * unreachable warehouse surfaces as `destination_unavailable` from that call, not from here.
 */
export function createDestination(config: DestinationConfig): Destination {
  switch (config.kind) {
    case 'duckdb':
      return createDuckDbDestination(config);
    case 'postgres':
      return createPostgresDestination(config);
  }
}
