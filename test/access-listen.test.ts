/**
 * The server refuses to listen beyond loopback until someone can sign in: the first visitor would
 * otherwise become the owner. `tributary owner create` (here: the same createOwner on the store)
 * is the way in for server mode.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { expect, it } from 'vitest';
import { createOwner } from '../src/access/signIn.ts';
import { loadConfig } from '../src/config.ts';
import { connectorEnvVars } from '../src/connectors/registry.ts';
import { startRuntime } from '../src/runtime.ts';
import { openStore } from '../src/store/open.ts';

/** A server's configuration on `HOST=host` over a fresh embedded home, job workers off. */
function listening(host: string) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-listen-'));
  const config = loadConfig(connectorEnvVars, {
    HOST: host,
    PORT: '0',
    TRIBUTARY_HOME: home,
    TRIBUTARY_MASTER_KEY: crypto.randomBytes(32).toString('hex'),
    TRIBUTARY_WORKERS: 'off',
  });
  return { home, config };
}

const quiet = new Writable({ write: (_chunk, _encoding, callback) => callback() });

it('refuses a non-loopback address until the owner exists, then listens', async () => {
  const { home, config } = listening('0.0.0.0');
  try {
    await expect(startRuntime({ config, role: 'serve', logDestination: quiet })).rejects.toThrow(
      /tributary owner create/,
    );
    const store = await openStore(config);
    try {
      await createOwner(
        store.db,
        { email: 'ops@example.com', password: 'a long password', name: '' },
        new Date(),
      );
    } finally {
      await store.close();
    }
    const runtime = await startRuntime({ config, role: 'serve', logDestination: quiet });
    try {
      const response = await fetch(`${runtime.url}/api/v1/connections`);
      expect(response.status).toBe(401);
      const setup = (await (await fetch(`${runtime.url}/api/v1/auth/setup`)).json()) as Record<
        string,
        boolean
      >;
      expect(setup).toEqual({ setupRequired: false, setupAllowed: false });
    } finally {
      await runtime.close();
    }
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
  // Two starts of an on-disk embedded store: close to a minute on a loaded machine.
}, 180_000);

it.each(['::1', '[::1]'])(
  'takes HOST=%s for loopback: listens without an owner and offers setup',
  async (host) => {
    const { home, config } = listening(host);
    try {
      const runtime = await startRuntime({ config, role: 'serve', logDestination: quiet });
      try {
        expect(runtime.url).toMatch(/^http:\/\/\[::1\]:\d+$/);
        const setup = (await (await fetch(`${runtime.url}/api/v1/auth/setup`)).json()) as Record<
          string,
          boolean
        >;
        expect(setup).toEqual({ setupRequired: true, setupAllowed: true });
      } finally {
        await runtime.close();
      }
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  },
  180_000,
);
