/**
 * Benchmark runner: `npm run bench -- <name…>` runs the named benchmarks (no name: all of them),
 * prints each one's table and merges its rows into `bench/results/latest.json`; at the end it prints
 * one table of every figure of the run (and of the file's other benchmarks when only some ran).
 * A benchmark that throws is reported as a failed row and the others still run.
 * Exits with 1 when a benchmark misses a goal (informational rows never fail a run).
 */

import os from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  type BenchmarkResult,
  crashedResult,
  formatSummary,
  formatTable,
  machineFacts,
  mergeResults,
} from './report.ts';

/** A benchmark the runner knows by name. */
export interface Benchmark {
  description: string;
  run(): Promise<BenchmarkResult>;
}

/** Every known benchmark, by the name given on the command line. */
export const benchmarks: Record<string, Benchmark> = {
  connections: {
    description: 'GET /api/v1/connections on 100,000 connections / 1,000,000 accounts (PGlite, PostgreSQL)',
    run: async () => (await import('./connections.ts')).runConnectionsBenchmark(),
  },
  extract: {
    description:
      'Extractions through the API: Meta Ads requests vs minimum, e2e rows/s vs raw appender/COPY, peak RSS, rate limits; every provider’s requests vs minimum',
    run: async () => (await import('./extract.ts')).runExtractBenchmark(),
  },
  ui: {
    description:
      'Connections page in chromium with 10,000 connections: time to interactive, search and sort to rows shown',
    run: async () => (await import('./ui.ts')).runUiBenchmark(),
  },
  load: {
    description:
      '200 concurrent API clients for 60 s on list and detail endpoints while extractions run (PostgreSQL, PGlite)',
    run: async () => (await import('./load.ts')).runLoadBenchmark(),
  },
  scheduler: {
    description:
      '10,000 scheduled extractions due within minutes: lateness of every firing, job queue depth over time (PostgreSQL)',
    run: async () => (await import('./scheduler.ts')).runSchedulerBenchmark(),
  },
  scaleout: {
    description:
      'Two and three `tributary worker` processes ÷ one on PostgreSQL, the Meta sandbox made latency-bound (slices/s)',
    run: async () => (await import('./scaleout.ts')).runScaleoutBenchmark(),
  },
};

/** Where results are merged. */
export const resultsFile = fileURLToPath(new URL('./results/latest.json', import.meta.url));

/** Resolves the command-line names to benchmarks, or throws naming the known ones. */
export function selectBenchmarks(names: readonly string[]): string[] {
  const known = Object.keys(benchmarks);
  if (names.length === 0) return known;
  const unknown = names.filter((name) => !(name in benchmarks));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown benchmark${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}. Known: ${known.join(', ')}`,
    );
  }
  return [...new Set(names)];
}

async function main(argv: readonly string[]): Promise<number> {
  let names: string[];
  try {
    names = selectBenchmarks(argv.filter((arg) => arg !== '--'));
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const machine = machineFacts();
  const loadBefore = os.loadavg();
  console.log(
    `node ${machine.node}, ${machine.cpus} × ${machine.cpuModel}; load average ${loadBefore.map((value) => value.toFixed(1)).join(' ')}`,
  );
  let failed = false;
  let merged = null;
  const started = performance.now();
  for (const name of names) {
    const benchmark = benchmarks[name]!;
    console.log(`\n=== ${name}: ${benchmark.description}`);
    let result: BenchmarkResult;
    try {
      result = await benchmark.run();
    } catch (error) {
      // One broken benchmark must not hide the others' figures: it becomes a failed row.
      console.error(error);
      result = crashedResult(name, error);
    }
    console.log(`\n${formatTable(result.rows)}`);
    for (const note of result.notes ?? []) console.log(note);
    merged = mergeResults(resultsFile, name, result);
    console.log(`\nrows written to ${resultsFile}`);
    if (result.rows.some((row) => !row.pass && !row.informational)) failed = true;
  }
  if (merged) {
    const minutes = (performance.now() - started) / 60_000;
    console.log(
      `\n=== every figure (${names.join(', ')} ran now, ${minutes.toFixed(1)} min; load average ` +
        `${os
          .loadavg()
          .map((value) => value.toFixed(1))
          .join(' ')} on ${machine.cpus} CPUs)\n`,
    );
    console.log(formatSummary(merged, names));
  }
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
