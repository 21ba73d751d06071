/**
 * Where an extraction's time goes, measured two ways in the benchmark's own process:
 * - {@link StageTimer} wraps the open destination's methods (behaviour unchanged) and splits each
 *   `replacePartitions` into time spent waiting for the source's next batch (provider reads:
 *   HTTP, the sandbox answering, JSON parsing, row conversion, report-run polling) and the rest
 *   (the destination's own work: normalizing, appending/COPY, staging → table, commit).
 * - {@link CpuProfile} samples the main thread with V8's profiler (node:inspector) and adds up self
 *   time by component, from each sampled function's source file (builtins count for their caller).
 */
import { Session } from 'node:inspector/promises';
import type { Destination } from '../src/destinations/core/types.ts';

/** Summed wall time per destination step, across all slices (two slices run at once). */
export class StageTimer {
  sourceMs = 0;
  destinationMs = 0;
  ensureTableMs = 0;
  recordLoadMs = 0;
  replacements = 0;
  batches = 0;

  /** Wraps `destination`'s methods in place; returns a function that puts the originals back. */
  attach(destination: Destination): () => void {
    const original = {
      replacePartitions: destination.replacePartitions,
      ensureTable: destination.ensureTable,
      recordLoad: destination.recordLoad,
    };
    const timer = this;
    destination.replacePartitions = async (spec, partitions, rows, meta) => {
      let waited = 0;
      async function* timed() {
        const iterator = rows[Symbol.asyncIterator]();
        let done = false;
        try {
          for (;;) {
            const started = performance.now();
            const next = await iterator.next();
            waited += performance.now() - started;
            if (next.done) {
              done = true;
              return;
            }
            timer.batches += 1;
            yield next.value;
          }
        } finally {
          if (!done) await iterator.return?.();
        }
      }
      const started = performance.now();
      try {
        return await original.replacePartitions.call(destination, spec, partitions, timed(), meta);
      } finally {
        timer.replacements += 1;
        timer.sourceMs += waited;
        timer.destinationMs += performance.now() - started - waited;
      }
    };
    destination.ensureTable = async (spec) => {
      const started = performance.now();
      try {
        return await original.ensureTable.call(destination, spec);
      } finally {
        timer.ensureTableMs += performance.now() - started;
      }
    };
    destination.recordLoad = async (load) => {
      const started = performance.now();
      try {
        return await original.recordLoad.call(destination, load);
      } finally {
        timer.recordLoadMs += performance.now() - started;
      }
    };
    return () => Object.assign(destination, original);
  }
}

/** Components a sampled function is attributed to, by its source file. */
const components: [string, RegExp][] = [
  ['sandbox (the fake Graph API)', /\/src\/(connectors\/meta-ads\/sandbox|sandbox)\//],
  ['connector read (HTTP client, JSON parse, row conversion)', /\/src\/connectors\/|undici/],
  ['destination (normalize, appender/COPY text)', /\/src\/destinations\/|@duckdb|pg-copy-streams/],
  [
    'store & job queue (PGlite WASM, pg, pg-boss, repositories)',
    /pglite|^wasm:|pg-boss|\/pg\/|pg-protocol|\/src\/store\//,
  ],
  ['engine (slices, runs, reconciliation)', /\/src\/engine\//],
  [
    'HTTP server, API, zod',
    /fastify|find-my-way|avvio|\/src\/server\/|\/src\/contract\/|zod|node:_http|node:http/,
  ],
];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

/** A sampling CPU profile of this process's main thread, summarized by component. */
export class CpuProfile {
  private readonly session = new Session();

  async start(): Promise<void> {
    this.session.connect();
    await this.session.post('Profiler.enable');
    await this.session.post('Profiler.setSamplingInterval', { interval: 1000 });
    await this.session.post('Profiler.start');
  }

  /**
   * Stops and returns milliseconds per component. `idle` is the main thread waiting (timers,
   * sockets, DuckDB queries and PostgreSQL statements running elsewhere); `gc` is V8's collector.
   */
  async stop(): Promise<Record<string, number>> {
    const { profile } = await this.session.post('Profiler.stop');
    this.session.disconnect();
    const nodes = new Map((profile.nodes as ProfileNode[]).map((node) => [node.id, node]));
    const parents = new Map<number, number>();
    for (const node of nodes.values()) for (const child of node.children ?? []) parents.set(child, node.id);
    // A builtin or Node-internal frame (JSON.parse, TextDecoder, defineProperty…) counts for the
    // nearest caller that belongs to a component.
    const componentOf = (id: number): string => {
      for (let current: number | undefined = id, depth = 0; current !== undefined && depth < 40; depth += 1) {
        const url = nodes.get(current)?.callFrame.url ?? '';
        const found = components.find(([, pattern]) => pattern.test(url));
        if (found) return found[0];
        current = parents.get(current);
      }
      return 'other (node internals, streams, timers, module loading)';
    };
    const totals: Record<string, number> = {};
    const samples = profile.samples ?? [];
    const deltas = profile.timeDeltas ?? [];
    for (let index = 0; index < samples.length; index += 1) {
      const id = samples[index]!;
      const name = nodes.get(id)?.callFrame.functionName ?? '';
      const component =
        name === '(idle)'
          ? 'idle (waiting: I/O, timers, DuckDB threads, PostgreSQL)'
          : name === '(garbage collector)'
            ? 'garbage collector'
            : componentOf(id);
      totals[component] = (totals[component] ?? 0) + (deltas[index] ?? 0) / 1000;
    }
    return totals;
  }
}

/** Formats component totals as `name 12.3 s (45%)` lines, largest first. */
export function describeProfile(totals: Record<string, number>): string[] {
  const sum = Object.values(totals).reduce((total, ms) => total + ms, 0);
  return Object.entries(totals)
    .sort(([, a], [, b]) => b - a)
    .map(
      ([name, ms]) =>
        `${name.padEnd(62)} ${(ms / 1000).toFixed(1).padStart(6)} s ${((100 * ms) / sum).toFixed(1).padStart(5)}%`,
    );
}
