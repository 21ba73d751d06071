/**
 * Destinations: where extracted rows land. The engine opens one through {@link createDestination}
 * and talks only to the {@link Destination} interface.
 */
import { TributaryError } from '../domain/errors.ts';
import type { Destination } from './core/types.ts';
import type { DuckDbDestinationOptions } from './duckdb/duckdbDestination.ts';
import { createPostgresDestination } from './postgres/postgresDestination.ts';

export { assertIdentifier, tableNameFor } from './core/naming.ts';
export type { Destination, LoadRecord, PartitionSet, TableSpec, WriteCounts } from './core/types.ts';
export type { DuckDbDestinationOptions } from './duckdb/duckdbDestination.ts';
export {
  createPostgresDestination,
  type PostgresDestinationOptions,
} from './postgres/postgresDestination.ts';

/** How to reach a destination: a DuckDB file, or a schema in a PostgreSQL database. */
export type DestinationConfig =
  | { kind: 'duckdb'; path: string; memoryLimit?: string; threads?: number }
  | { kind: 'postgres'; url: string; schema: string; maxConnections?: number };

/**
 * A DuckDB destination whose module loads on first use: DuckDB's native library costs about 20 MB of RSS, and a
 * server whose warehouses are all PostgreSQL (or that has not written yet) never needs it.
 */
function lazyDuckDbDestination(options: DuckDbDestinationOptions): Destination {
  let loaded: Promise<Destination> | null = null;
  let closed = false;
  const load = (): Promise<Destination> => {
    // The same refusal the destination itself gives once closed, had it been loaded.
    if (closed && !loaded)
      throw new TributaryError('destination_unavailable', 'DuckDB destination: it has been closed.');
    loaded ??= import('./duckdb/duckdbDestination.ts').then((module) =>
      module.createDuckDbDestination(options),
    );
    return loaded;
  };
  return {
    kind: 'duckdb',
    ensureTable: async (spec) => (await load()).ensureTable(spec),
    replacePartitions: async (spec, partitions, rows, meta) =>
      (await load()).replacePartitions(spec, partitions, rows, meta),
    dailyTotals: async (table, accounts, from, to, metrics) =>
      (await load()).dailyTotals(table, accounts, from, to, metrics),
    dailyRowCounts: async (table, accountId, from, to) =>
      (await load()).dailyRowCounts(table, accountId, from, to),
    preview: async (table, limit) => (await load()).preview(table, limit),
    refreshPaidAds: async (refresh) => (await load()).refreshPaidAds(refresh),
    recordLoad: async (record) => (await load()).recordLoad(record),
    check: async () => (await load()).check(),
    async close() {
      closed = true;
      if (loaded) await (await loaded).close();
    },
  };
}

/**
 * Opens the destination a config describes. Nothing connects until the first call, so an
 * unreachable warehouse surfaces as `destination_unavailable` from that call, not from here.
 */
export function createDestination(config: DestinationConfig): Destination {
  switch (config.kind) {
    case 'duckdb':
      return lazyDuckDbDestination(config);
    case 'postgres':
      return createPostgresDestination(config);
  }
}
