/**
 * The connections benchmark: seeds 100,000 connections with about 1,000,000 accounts, starts a
 * real Tributary on that data (PGlite on disk, and PostgreSQL when reachable) and times
 * `GET /api/v1/connections` over loopback HTTP — every sort key and order, with and without a
 * search, first and follow-up pages — next to the same keyset query issued straight through
 * `connectionsRepository.list`, in the same run.
 *
 * Knobs: `TEST_DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/test`), `BENCH_EXPLAIN=N`
 * (print EXPLAIN ANALYZE of the N slowest combinations; by default those that miss the goal, at
 * most 3). The server runs with `TRIBUTARY_WORKERS=off`: the figure is the request path, without
 * job polling or the daily re-discovery cron landing inside the measurement.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { type Config, loadConfig, testRequirements } from '../src/config.ts';
import { connectorEnvVars } from '../src/connectors/registry.ts';
import { startRuntime } from '../src/runtime.ts';
import { openStore } from '../src/store/open.ts';
import { benchAuthHeaders } from './benchOwner.ts';
import { type SeedReport, seedConnections } from './connectionsSeed.ts';
import { combinations, type Sample, slowest, Walker } from './connectionsWalker.ts';
import { type BenchmarkResult, formatNumber, percentile, type ResultRow, resultRow } from './report.ts';

type Backend = 'pglite' | 'postgres';

/** The benchmark's parameters; the defaults are the issue's. */
export interface ConnectionsBenchmarkOptions {
  connections: number;
  /** Connections per seeding statement. */
  seedBatch: number;
  pageSize: number;
  warmup: number;
  /** Pages requested per combination; 60 combinations × 10 = 600 measured requests. */
  pagesPerCombination: number;
  searches: readonly string[];
  /** p95 goals in ms per backend. */
  goalMs: Record<Backend, number>;
  /** Informational goal for API p95 / raw SQL p95. */
  maxOverhead: number;
}

/** The issue's benchmark: 100k connections, 600 measured requests, p95 ≤ 25 ms / 10 ms. */
export const defaultConnectionsOptions: ConnectionsBenchmarkOptions = {
  connections: 100_000,
  seedBatch: 10_000,
  pageSize: 50,
  warmup: 50,
  pagesPerCombination: 10,
  searches: ['meta', 'tiktok', 'client7', 'user123'],
  goalMs: { pglite: 25, postgres: 10 },
  maxOverhead: 3,
};

const log = (line: string) => console.log(line);

async function postgresReachable(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

async function dropSchemas(url: string, schemas: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

interface BackendOutcome {
  seed: SeedReport;
  samples: Sample[];
  serverWarnings: number;
}

async function benchBackend(
  backend: Backend,
  options: ConnectionsBenchmarkOptions,
  postgresUrl: string,
  cleanups: Set<() => Promise<void>>,
): Promise<BackendOutcome> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-bench-'));
  const schema = `bench_${crypto.randomBytes(6).toString('hex')}`;
  const cleanup = async () => {
    cleanups.delete(cleanup);
    if (backend === 'postgres') await dropSchemas(postgresUrl, [schema, `${schema}_jobs`]);
    fs.rmSync(home, { recursive: true, force: true });
  };
  cleanups.add(cleanup);
  try {
    const config: Config = loadConfig(connectorEnvVars, {
      HOST: '127.0.0.1',
      PORT: '0',
      TRIBUTARY_HOME: home,
      TRIBUTARY_MASTER_KEY: crypto.randomBytes(32).toString('hex'),
      TRIBUTARY_WORKERS: 'off',
      LOG_LEVEL: 'warn',
      ...(backend === 'postgres' ? { DATABASE_URL: postgresUrl, TRIBUTARY_DB_SCHEMA: schema } : {}),
    });
    log(
      `\n[${backend}] seeding ${options.connections.toLocaleString('en')} connections` +
        (backend === 'postgres' ? ` into schema ${schema}` : ` into ${home}`),
    );
    const store = await openStore(config);
    let seed: SeedReport;
    try {
      seed = await seedConnections(store.db, {
        connections: options.connections,
        batch: options.seedBatch,
        searches: options.searches,
        log,
      });
    } finally {
      await store.close();
    }
    log(
      `  seeded ${seed.connections.toLocaleString('en')} connections, ${seed.accounts.toLocaleString('en')} accounts` +
        ` in ${(seed.totalMs / 1000).toFixed(1)} s (VACUUM ANALYZE ${(seed.vacuumAnalyzeMs / 1000).toFixed(1)} s)`,
    );
    log(
      `  search matches: ${Object.entries(seed.searchMatches)
        .map(([term, n]) => `${term} ${n.toLocaleString('en')}`)
        .join(', ')}`,
    );

    const warnings: string[] = [];
    const logDestination = new Writable({
      write(chunk, _encoding, callback) {
        warnings.push(String(chunk));
        callback();
      },
    });
    const runtime = await startRuntime({ config, role: 'serve', logDestination });
    try {
      const db = runtime.context.db;
      const headers = await benchAuthHeaders(runtime.url);
      const all = combinations(options.searches);
      log(`  server at ${runtime.url}; ${options.warmup} warm-up requests, then measuring`);
      // Warm-up: first pages of a spread of combinations, both ways.
      for (let index = 0; index < options.warmup; index += 1) {
        const combination = all[(index * 7) % all.length]!;
        await new Walker(combination, runtime.url, db, options.pageSize, headers).step(index % 2 === 0);
      }
      // Measured: round-robin over the combinations, each following its own cursor; the API and
      // the repository alternate going first so neither always meets the other's warm cache.
      const walkers = all.map(
        (combination) => new Walker(combination, runtime.url, db, options.pageSize, headers),
      );
      const samples: Sample[] = [];
      for (let round = 0; round < options.pagesPerCombination; round += 1) {
        for (const walker of walkers) samples.push(await walker.step(samples.length % 2 === 0));
      }

      const goal = options.goalMs[backend];
      const top = slowest(samples, 8);
      log(
        '  slowest combinations (ms): API max | API first page p50 | API next pages p50 | raw first page p50',
      );
      for (const entry of top) {
        log(
          `    ${entry.combination.label.padEnd(44)} ${formatNumber(entry.apiMax).padStart(7)} |` +
            ` ${formatNumber(entry.apiFirst).padStart(7)} | ${formatNumber(entry.apiNext).padStart(7)} |` +
            ` ${formatNumber(entry.rawFirst).padStart(7)}`,
        );
      }
      const explainCount = process.env.BENCH_EXPLAIN ? Number(process.env.BENCH_EXPLAIN) : undefined;
      const toExplain =
        explainCount === undefined
          ? top.filter((entry) => entry.apiMax > goal).slice(0, 3)
          : top.slice(0, explainCount);
      for (const entry of toExplain) {
        log(`\n  EXPLAIN ANALYZE (${backend}) ${entry.combination.label}, first page:`);
        for (const line of await Walker.explain(db, entry.combination, options.pageSize)) log(`    ${line}`);
      }
      const serverWarnings = warnings.length;
      if (serverWarnings > 0) {
        log(
          `  the server logged ${serverWarnings} warning/error lines; first: ${warnings[0]?.slice(0, 500)}`,
        );
      }
      return { seed, samples, serverWarnings };
    } finally {
      await runtime.close();
    }
  } finally {
    await cleanup();
  }
}

function rowsFor(
  backend: Backend,
  outcome: BackendOutcome,
  options: ConnectionsBenchmarkOptions,
): ResultRow[] {
  const api = outcome.samples.map((sample) => sample.apiMs);
  const raw = outcome.samples.map((sample) => sample.rawMs);
  const goal = options.goalMs[backend];
  const base = { benchmark: 'connections', unit: 'ms' };
  const apiP95 = percentile(api, 95);
  const rawP95 = percentile(raw, 95);
  return [
    resultRow({
      ...base,
      figure: `${backend} API p50`,
      value: percentile(api, 50),
      limit: goal,
      limitSource: 'goal',
    }),
    resultRow({ ...base, figure: `${backend} API p95`, value: apiP95, limit: goal, limitSource: 'goal' }),
    resultRow({
      ...base,
      figure: `${backend} raw SQL p50`,
      value: percentile(raw, 50),
      limit: goal,
      limitSource: 'API goal',
      informational: true,
    }),
    resultRow({
      ...base,
      figure: `${backend} raw SQL p95`,
      value: rawP95,
      limit: goal,
      limitSource: 'API goal',
      informational: true,
    }),
    resultRow({
      ...base,
      figure: `${backend} API p95 / raw SQL p95`,
      value: apiP95,
      limit: rawP95,
      limitSource: 'raw SQL p95, same run',
      maxRatio: options.maxOverhead,
      informational: true,
    }),
  ];
}

/**
 * Runs the benchmark on PGlite and (when reachable) PostgreSQL; returns one row set for both.
 * Temporary stores and schemas are removed at the end, also on Ctrl-C.
 */
export async function runConnectionsBenchmark(
  options: ConnectionsBenchmarkOptions = defaultConnectionsOptions,
): Promise<BenchmarkResult> {
  const postgresUrl = testRequirements().postgresUrl;
  const unreachable = await postgresReachable(postgresUrl);
  const backends: Backend[] = unreachable ? ['pglite'] : ['pglite', 'postgres'];
  if (unreachable) {
    const banner = '!'.repeat(100);
    log(`\n${banner}\n!!! PostgreSQL at ${postgresUrl} is NOT reachable: ${unreachable}`);
    log(`!!! Running on PGlite only; the PostgreSQL figures are MISSING from this run.\n${banner}`);
  }
  const cleanups = new Set<() => Promise<void>>();
  const onInterrupt = () => {
    void Promise.allSettled([...cleanups].map((cleanup) => cleanup())).then(() => process.exit(130));
  };
  process.once('SIGINT', onInterrupt);
  const rows: ResultRow[] = [];
  const notes: string[] = [];
  const details: Record<string, unknown> = {
    options,
    postgres: unreachable
      ? { skipped: `not reachable at ${postgresUrl}: ${unreachable}` }
      : { url: postgresUrl },
  };
  try {
    for (const backend of backends) {
      const outcome = await benchBackend(backend, options, postgresUrl, cleanups);
      rows.push(...rowsFor(backend, outcome, options));
      const { seed } = outcome;
      notes.push(
        `${backend}: seeded ${seed.connections.toLocaleString('en')} connections + ` +
          `${seed.accounts.toLocaleString('en')} accounts in ${(seed.totalMs / 1000).toFixed(1)} s ` +
          `(connections ${(seed.insertConnectionsMs / 1000).toFixed(1)} s, accounts ` +
          `${(seed.insertAccountsMs / 1000).toFixed(1)} s, VACUUM ANALYZE ${(seed.vacuumAnalyzeMs / 1000).toFixed(1)} s); ` +
          `${outcome.samples.length} measured requests`,
      );
      details[backend] = {
        seed: outcome.seed,
        measuredRequests: outcome.samples.length,
        serverWarnings: outcome.serverWarnings,
        slowest: slowest(outcome.samples, 5).map((entry) => ({
          ...entry,
          combination: entry.combination.label,
        })),
      };
    }
  } finally {
    process.removeListener('SIGINT', onInterrupt);
  }
  if (unreachable) notes.push(`!!! PostgreSQL NOT measured: not reachable at ${postgresUrl}`);
  return { rows, details, notes };
}
