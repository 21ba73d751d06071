/**
 * Runs one extract-benchmark scenario in a process of its own, so its peak RSS is not inflated by
 * the memory earlier scenarios left behind (PGlite's WASM heap and DuckDB's buffers are not given
 * back to the OS). {@link runScenarioInChild} is the parent's side; run as a script, this file is
 * the child's: `extractChild.ts <scenario> <result.json>` with the input in `BENCH_EXTRACT_INPUT`.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExtractApp } from './extractApp.ts';
import { runProviders } from './extractProviders.ts';
import { runLimited, runSync, runThroughput, type ScenarioInput } from './extractScenarios.ts';

/** The scenarios a child can run. */
export type ScenarioName =
  | 'duckdb-half'
  | 'duckdb-large'
  | 'postgres-large'
  | 'sync'
  | 'limited'
  | 'providers';

const self = fileURLToPath(import.meta.url);

/**
 * Runs `scenario` in a child Node process (same loader flags as this one: tsx), with its output
 * shown as it comes; resolves with the JSON the child wrote, or rejects when it failed.
 */
export async function runScenarioInChild<T>(scenario: ScenarioName, input: ScenarioInput): Promise<T> {
  const out = path.join(os.tmpdir(), `tributary-bench-extract-${process.pid}-${scenario}.json`);
  fs.rmSync(out, { force: true });
  const child = spawn(process.execPath, [...process.execArgv, self, scenario, out], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, BENCH_EXTRACT_INPUT: JSON.stringify(input) },
  });
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  try {
    if (code !== 0) throw new Error(`The ${scenario} scenario failed (exit ${code ?? signal})`);
    return JSON.parse(fs.readFileSync(out, 'utf8')) as T;
  } finally {
    fs.rmSync(out, { force: true });
  }
}

async function main(scenario: string, out: string): Promise<void> {
  const input = JSON.parse(process.env.BENCH_EXTRACT_INPUT ?? '{}') as ScenarioInput;
  let open: ExtractApp | null = null;
  const track = (app: ExtractApp | null) => {
    open = app;
  };
  // Ctrl-C reaches the whole process group: close the app so its schemas and files go too.
  process.once('SIGINT', () => {
    void (open as ExtractApp | null)?.close().finally(() => process.exit(130));
  });
  let result: unknown;
  switch (scenario) {
    case 'duckdb-half':
    case 'duckdb-large':
      result = await runThroughput('pglite', input, scenario === 'duckdb-half', track);
      break;
    case 'postgres-large':
      result = await runThroughput('postgres', input, false, track);
      break;
    case 'sync':
      result = await runSync(input, track);
      break;
    case 'limited':
      result = await runLimited(input, track);
      break;
    case 'providers':
      result = await runProviders(input, track);
      break;
    default:
      throw new Error(`Unknown scenario ${scenario}`);
  }
  fs.writeFileSync(out, JSON.stringify(result));
}

if (process.argv[1] && path.resolve(process.argv[1]) === self) {
  const [scenario = '', out = ''] = process.argv.slice(2);
  main(scenario, out).then(
    // Pools and database handles are closed; exit without waiting for stray timers.
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
