/**
 * The provider sandbox in a process of its own, for the throughput and memory scenarios: a real provider is
 * another machine, so its CPU (rendering and serializing every report row) must not be counted in the measured
 * process's time or RSS. The child is a plain Tributary `serve` (sandbox on, workers off, in-memory store), the
 * same server the product mounts the sandbox on; the measured app reaches it over loopback HTTP as it would reach
 * Meta (`META_GRAPH_BASE_URL` / `META_DIALOG_BASE_URL`), so requests, JSON parsing, typing and writes stay real.
 *
 * {@link startSandboxProcess} is the parent's side; run as a script this file is the child's, and prints
 * `SANDBOX_URL <url>` once it listens.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.ts';
import { connectorEnvVars } from '../src/connectors/registry.ts';
import { startRuntime } from '../src/runtime.ts';

const self = fileURLToPath(import.meta.url);
const ready = /^SANDBOX_URL (\S+)$/m;
/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const ticksPerSecond = 100;

/** A sandbox served by another process. */
export interface SandboxProcess {
  /** The server's base URL; the Meta sandbox is under `/sandbox/meta-ads`. */
  url: string;
  pid: number;
  /** CPU time (user + system) the process has used so far, in ms. */
  cpuMs(): number;
  close(): Promise<void>;
}

/** User + system CPU of `pid` from /proc, in ms (Linux; 0 elsewhere). */
function processCpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
  } catch {
    return 0;
  }
}

/** Starts the sandbox process and waits until it listens. */
export async function startSandboxProcess(): Promise<SandboxProcess> {
  const child: ChildProcess = spawn(process.execPath, [...process.execArgv, self], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error('The sandbox process did not start in 60 s')), 60_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output += String(chunk);
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`The sandbox process exited (${code}) before listening: ${output}`));
    });
  });
  const pid = child.pid!;
  return {
    url,
    pid,
    cpuMs: () => processCpuMs(pid),
    async close() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The environment that points the measured app's Meta connector at the sandbox process (real mode). */
export function metaSandboxEnv(sandboxUrl: string): Record<string, string> {
  const base = `${sandboxUrl}/sandbox/meta-ads`;
  return {
    // The sandbox's own app credentials (not secrets): real mode, with the provider at another address.
    META_APP_ID: 'tributary-sandbox-app',
    META_APP_SECRET: 'tributary-sandbox-secret',
    META_GRAPH_BASE_URL: base,
    META_DIALOG_BASE_URL: base,
    // The provider is on loopback and the measuring app serves no sandbox itself: allowed on purpose.
    TRIBUTARY_ALLOW_LOOPBACK_PROVIDERS: '1',
  };
}

async function main(): Promise<void> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-bench-sandbox-'));
  const config = loadConfig(connectorEnvVars, {
    HOST: '127.0.0.1',
    PORT: '0',
    TRIBUTARY_HOME: home,
    TRIBUTARY_STORE: 'memory',
    TRIBUTARY_WORKERS: 'off',
    TRIBUTARY_MASTER_KEY: crypto.randomBytes(32).toString('hex'),
    LOG_LEVEL: 'warn',
  });
  const runtime = await startRuntime({ config, role: 'serve' });
  const stop = () => {
    void runtime.close().finally(() => {
      fs.rmSync(home, { recursive: true, force: true });
      process.exit(0);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.stdout.write(`SANDBOX_URL ${runtime.url}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === self) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
