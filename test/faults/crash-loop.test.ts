/**
 * The crash loop: an embedded Tributary (`src/main.ts`: PGlite store and DuckDB warehouse under one TRIBUTARY_HOME)
 * runs in a child process while extraction runs load Meta data; the child is killed with SIGKILL at a seeded random
 * moment (sometimes while it boots), restarted, and so on. The Meta sandbox runs in a process of its own
 * (bench/sandboxProcess.ts), so the tokens it issued and its truth outlive every kill, as a real provider's would.
 *
 * Afterwards, with one last process: every run finishes `succeeded`; then, with no Tributary running, a fresh
 * process opens the store and the DuckDB file (test/faults/openStores.ts) and the warehouse holds, for every
 * (account, day) any run covered, exactly the truth: impressions and clicks equal, one row per ad (no duplicate).
 *
 * `npm test` runs 3 iterations; `npm run test:crash` runs 50 (CRASH_LOOP_ITERATIONS). CRASH_LOOP_SEED replays a
 * sequence; the seed is printed either way.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { metaSandboxEnv } from '../../bench/sandboxProcess.ts';
import { createTokenOverHttp, setupOwnerOverHttp } from '../../src/access/apiSignIn.ts';
import { createApiClient } from '../../src/contract/client.ts';
import { addDays, eachDay, todayIn } from '../../src/domain/dates.ts';
import { approveInSandbox, testOwner, waitFor } from '../harness.ts';
import type { OpenedStores } from './openStores.ts';

const root = path.resolve(import.meta.dirname, '../..');
const iterations = Number(process.env.CRASH_LOOP_ITERATIONS ?? 3);
const seed = Number(process.env.CRASH_LOOP_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** The newest and oldest day a run may load (settled days: the truth does not move during the loop). */
const newest = addDays(todayIn('UTC', new Date()), -3);
const oldest = addDays(newest, -45);

/** mulberry32: a small seeded generator, so a failing sequence can be replayed with its seed. */
function seeded(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Started {
  child: ChildProcess;
  url: Promise<string>;
  /** Everything the process wrote so far (for a failure message). */
  output(): string;
}

const children: ChildProcess[] = [];

interface SandboxProcess {
  url: string;
  child: ChildProcess;
}

/** The sandbox server of bench/sandboxProcess.ts, run as a script under tsx (vitest's loader is not inherited). */
async function startSandbox(): Promise<SandboxProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/sandboxProcess.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += String(chunk);
      const match = /^SANDBOX_URL (\S+)$/m.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`The sandbox process exited (${code}): ${output}`)));
  });
  return { url, child };
}

/** Starts the embedded product as one Node process (not the tsx wrapper, so SIGKILL reaches it). */
function start(home: string, sandbox: SandboxProcess): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      ...metaSandboxEnv(sandbox.url),
      TRIBUTARY_HOME: home,
      PORT: '0',
      LOG_LEVEL: 'warn',
      // A killed process's slices are taken over after 2 s without a heartbeat, not the default 2 minutes.
      TRIBUTARY_STALL_AFTER_SECONDS: '2',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) =>
      reject(new Error(`exited (${code ?? signal}) before listening: ${output}`)),
    );
  });
  url.catch(() => {});
  return { child, url, output: () => output };
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** `promise`, or a failure naming `what` after `ms` (a request to a process that stopped answering). */
function within<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`No answer in ${ms / 1000} s: ${what()}`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

afterAll(async () => {
  for (const child of children) await kill(child);
});

describe('crash loop (embedded: PGlite + DuckDB)', () => {
  it(`survives ${iterations} SIGKILLs during loads with exact totals (seed printed)`, async () => {
    console.log(`crash loop: ${iterations} iterations, seed ${seed} (CRASH_LOOP_SEED=${seed} replays it)`);
    const random = seeded(seed);
    const sandbox = await startSandbox();
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-crash-'));
    try {
      // First boot: owner, token, a Meta connection and an extraction; not killed.
      let current = start(home, sandbox);
      let url = await current.url;
      const session = await setupOwnerOverHttp(url, testOwner);
      const token = await createTokenOverHttp(url, session, { name: 'crash loop' });
      const api = () => createApiClient({ baseUrl: url, headers: { authorization: `Bearer ${token}` } });
      const created = await api().call('createConnection', { body: { dataSource: 'meta-ads' } });
      const callback = await approveInSandbox(created.authorizationUrl!, 'alex@example.com');
      expect(callback.status, await callback.clone().text()).toBe(200);
      const connection = await waitFor(
        () => api().call('getConnection', { params: { id: created.connection.id } }),
        (candidate) => candidate.accountStatus !== 'loading',
        60_000,
      );
      const accounts = connection.accounts.slice(0, 2).map((account) => account.id);
      const extraction = await api().call('createExtraction', {
        body: {
          connectionId: connection.id,
          templateId: 'meta-ads.ad_daily',
          accounts,
          metrics: ['impressions', 'clicks', 'spend'],
        },
      });
      const bootMs: number[] = [];
      const timedBoot = async (started: Started) => {
        const at = performance.now();
        const value = await started.url;
        bootMs.push(performance.now() - at);
        return value;
      };
      const covered = new Set<string>();
      let runsStarted = 0;
      const kills = { booting: 0, running: 0 };
      for (let iteration = 0; iteration < iterations; iteration += 1) {
        if (iteration > 0) current = start(home, sandbox);
        if (iteration > 0 && random() < 0.15) {
          // Now and then the kill lands while the process boots (opening the store, migrating, starting jobs).
          await sleep(random() * 2_500);
          await kill(current.child);
          kills.booting += 1;
          continue;
        }
        url = await timedBoot(current);
        // A load over a random window of 1–10 settled days, then the kill at a random moment of it.
        const length = 1 + Math.floor(random() * 10);
        const to = addDays(newest, -Math.floor(random() * (45 - length)));
        const from = addDays(to, 1 - length);
        await within(
          api().call('startExtractionRun', { params: { id: extraction.id }, body: { from, to } }),
          60_000,
          () => `iteration ${iteration}, starting a run; the process wrote: ${current.output().slice(-3000)}`,
        );
        runsStarted += 1;
        for (const day of eachDay(from, to)) covered.add(day);
        await sleep(random() * 4_000);
        await kill(current.child);
        kills.running += 1;
        if ((iteration + 1) % 10 === 0) console.log(`crash loop: ${iteration + 1} iterations done`);
      }

      // The last process finishes every run.
      current = start(home, sandbox);
      url = await timedBoot(current);
      const drainStarted = performance.now();
      const runs = await waitFor(
        async () => (await api().call('listExtractionRuns', { params: { id: extraction.id } })).items,
        (items) => items.every((run) => ['succeeded', 'partial', 'failed', 'cancelled'].includes(run.status)),
        // 50 kills leave a backlog of runs to finish (2 slices at a time): 3 minutes on a loaded 2-core machine.
        600_000,
      );
      const drainMs = performance.now() - drainStarted;
      expect(runs).toHaveLength(runsStarted);
      // A slice killed maxAttempts (4) times is given up as a poison slice would be: its run ends partial or
      // failed with that reason, and the user's re-run of the same window must then succeed.
      const givenUp = runs.filter((run) => run.status !== 'succeeded');
      for (const run of givenUp) {
        const detail = await api().call('getRun', { params: { id: run.id } });
        const reasons = detail.slices
          .filter((slice) => slice.status !== 'succeeded')
          .map((slice) => slice.error?.message);
        expect(
          reasons.every((reason) => reason?.startsWith('No heartbeat')),
          JSON.stringify(detail.log.slice(-5)),
        ).toBe(true);
        if (run.window.kind !== 'range') throw new Error('Crash-loop runs are date ranges');
        const again = await api().call('startExtractionRun', {
          params: { id: extraction.id },
          body: { from: run.window.from, to: run.window.to },
        });
        const ended = await waitFor(
          () => api().call('getRun', { params: { id: again.id } }),
          (candidate) => ['succeeded', 'partial', 'failed', 'cancelled'].includes(candidate.status),
          120_000,
        );
        expect(ended.status, JSON.stringify(ended.log.slice(-5))).toBe('succeeded');
        runsStarted += 1;
      }
      // What the API says now is what a fresh process must read from the store.
      const statuses: Record<string, number> = {};
      for (const run of (await api().call('listExtractionRuns', { params: { id: extraction.id } })).items)
        statuses[run.status] = (statuses[run.status] ?? 0) + 1;
      await stop(current.child);

      // A fresh process opens the store and the DuckDB file, and the warehouse equals the truth.
      const opened = spawn(
        process.execPath,
        ['--import', 'tsx', 'test/faults/openStores.ts', home, extraction.table],
        {
          cwd: root,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let stdout = '';
      let stderr = '';
      opened.stdout!.on('data', (chunk: Buffer) => {
        stdout += String(chunk);
      });
      opened.stderr!.on('data', (chunk: Buffer) => {
        stderr += String(chunk);
      });
      const [code] = (await once(opened, 'exit')) as [number | null];
      expect(code, stderr).toBe(0);
      const stores = JSON.parse(stdout) as OpenedStores;
      expect(stores.runs).toEqual(statuses);
      expect(statuses.succeeded ?? 0).toBe(runsStarted - givenUp.length);
      const days = [...covered].sort();
      let compared = 0;
      for (const account of accounts) {
        const truth = (
          (await (
            await fetch(
              `${sandbox.url}/sandbox/_control/truth?provider=meta-ads&account=${account}&from=${oldest}&to=${newest}`,
            )
          ).json()) as { days: { date: string; impressions: number; clicks: number }[] }
        ).days;
        const byDay = new Map(truth.map((day) => [day.date, day]));
        for (const day of days) {
          const loaded = stores.days.find((row) => row.account === account && row.date === day);
          const expected = byDay.get(day);
          expect([account, day, loaded?.impressions ?? 0, loaded?.clicks ?? 0]).toEqual([
            account,
            day,
            expected?.impressions ?? 0,
            expected?.clicks ?? 0,
          ]);
          // One row per ad and day: a duplicate would repeat an ad.
          expect(loaded?.rows ?? 0, `${account} ${day}`).toBe(loaded?.ads ?? 0);
          compared += 1;
        }
        // Nothing outside the covered days was written.
        const outside = stores.days.filter((row) => row.account === account && !covered.has(row.date));
        expect(outside).toEqual([]);
      }
      console.log(
        `crash loop: seed ${seed}, ${kills.running} kills during loads, ${kills.booting} while booting, ` +
          `${runsStarted} runs (${givenUp.length} gave up a slice killed 4 times and were re-run, then succeeded), ${compared} (account, day)s equal to the truth; store and DuckDB opened cleanly; ` +
          `restart to listening: median ${median(bootMs).toFixed(0)} ms, max ${Math.max(...bootMs).toFixed(0)} ms; ` +
          `last restart to every run ended: ${(drainMs / 1000).toFixed(1)} s`,
      );
    } finally {
      for (const child of children) await kill(child);
      await stop(sandbox.child);
      fs.rmSync(home, { recursive: true, force: true });
    }
  }, 1_200_000);
});
