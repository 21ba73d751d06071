/**
 * `npm start` in embedded mode: a PGlite store on disk under TRIBUTARY_HOME, guarded by a lock
 * so a second process cannot open it, and data that survives a restart.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTokenOverHttp, setupOwnerOverHttp } from '../src/access/apiSignIn.ts';
import { testOwner } from './harness.ts';

const root = path.resolve(import.meta.dirname, '..');
const children: ChildProcess[] = [];

interface Started {
  child: ChildProcess;
  url: string | null;
  output: string;
  code: number | null;
}

/** Starts `npm start`'s entry point and resolves when it prints its URL or exits. */
function start(home: string): Promise<Started> {
  return new Promise((resolve) => {
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['src/main.ts'], {
      cwd: root,
      env: { ...process.env, TRIBUTARY_HOME: home, PORT: '0', LOG_LEVEL: 'warn' },
    });
    children.push(child);
    let output = '';
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      const match = output.match(/running at (http:\/\/\S+)/);
      if (match?.[1]) resolve({ child, url: match[1], output, code: null });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => resolve({ child, url: null, output, code }));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

describe('embedded mode', () => {
  it('keeps data across restarts and refuses a second process on the same store', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-home-'));
    const first = await start(home);
    expect(first.url, first.output).not.toBeNull();
    expect(fs.statSync(path.join(home, 'master.key')).mode & 0o777).toBe(0o600);
    const health = (await (await fetch(`${first.url}/api/v1/health`)).json()) as { store: string };
    expect(health.store).toBe('pglite');
    // Zero setup: the first visit from this machine creates the owner; until then the API asks for it.
    expect((await fetch(`${first.url}/api/v1/connections`)).status).toBe(401);
    const setup = (await (await fetch(`${first.url}/api/v1/auth/setup`)).json()) as Record<string, boolean>;
    expect(setup).toEqual({ setupRequired: true, setupAllowed: true });
    const session = await setupOwnerOverHttp(first.url!, testOwner);
    const token = await createTokenOverHttp(first.url!, session, { name: 'embedded test' });
    const auth = { authorization: `Bearer ${token}` };
    const created = (await (
      await fetch(`${first.url}/api/v1/connections`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ dataSource: 'meta-ads' }),
      })
    ).json()) as { connection: { id: string } };

    const second = await start(home);
    expect(second.url).toBeNull();
    expect(second.code).not.toBe(0);
    expect(second.output).toMatch(/in use by process \d+/);

    await stop(first.child);
    expect(fs.existsSync(path.join(home, 'store.lock'))).toBe(false);
    const again = await start(home);
    expect(again.url, again.output).not.toBeNull();
    // The owner, the token and the connection all survive the restart.
    const response = await fetch(`${again.url}/api/v1/connections/${created.connection.id}`, {
      headers: auth,
    });
    expect(response.status).toBe(200);
    await stop(again.child);
    fs.rmSync(home, { recursive: true, force: true });
    // Three cold starts of `npm start` (tsx compiles on the fly): past a minute on a loaded machine.
  }, 180_000);
});
