import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { backends, connectSandboxUser, startTestApp, type TestApp } from '../../test/harness.ts';
import { testRequirements } from '../config.ts';
import { openStore } from '../store/open.ts';
import { sealedColumns, sealedValuesRepository } from '../store/sealedValuesRepository.ts';
import { rotateMasterKey } from './rotation.ts';
import { loadMasterKey, parseMasterKey, Vault } from './vault.ts';

/** Every envelope in the store, opened with `vault`, keyed by `table.column:key`. */
async function openEverything(app: TestApp, vault: Vault): Promise<Map<string, string>> {
  const store = await openStore(app.config);
  try {
    return await store.db.transaction(async (tx) => {
      const opened = new Map<string, string>();
      for (const column of sealedColumns) {
        for (const value of await sealedValuesRepository.lockAll(tx, column)) {
          opened.set(`${column.table}.${column.column}:${value.key}`, vault.open(value.sealed, value.key));
        }
      }
      return opened;
    });
  } finally {
    await store.close();
  }
}

/** Seals one value in every sealed column through the API: a credential, a PKCE verifier, a webhook, a destination. */
async function sealOneOfEach(app: TestApp, backend: string): Promise<void> {
  await connectSandboxUser(app, 'alex@example.com');
  await app.api.call('createConnection', { body: { dataSource: 'google-ads' } });
  await app.api.call('createWebhook', { body: { url: 'http://127.0.0.1:9/hook', events: [] } });
  if (backend === 'postgres') {
    await app.api.call('createDestination', {
      body: {
        kind: 'postgres',
        name: 'Warehouse',
        url: testRequirements().postgresUrl,
        schema: `${app.config.databaseSchema}_wh`,
      },
    });
  }
}

describe.each(await backends())('master key rotation on %s', (backend) => {
  let app: TestApp | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it('re-seals every secret under a new key file and keeps the old key beside it; nothing is lost', async () => {
    // An on-disk store (PGlite) or the schema (PostgreSQL), with the key in <home>/master.key.
    app = await startTestApp(backend, { TRIBUTARY_STORE: 'disk', TRIBUTARY_MASTER_KEY: '' });
    await sealOneOfEach(app, backend);
    await app.runtime.close();
    const home = app.config.home;
    const oldKey = loadMasterKey(null, home);
    const before = await openEverything(app, new Vault(oldKey));
    const columns = new Set([...before.keys()].map((name) => name.split(':')[0]));
    expect(columns).toEqual(
      new Set([
        'credentials.sealed',
        'oauth_states.sealed_verifier',
        'webhooks.sealed_secret',
        ...(backend === 'postgres' ? ['destinations.sealed_secret'] : []),
      ]),
    );

    const store = await openStore(app.config);
    const result = await rotateMasterKey(store.db, {
      home,
      currentKey: oldKey,
      fromEnvironment: false,
      now: new Date('2026-03-01T10:00:00Z'),
    }).finally(() => store.close());

    expect(result.total).toBe(before.size);
    expect(result.location).toEqual({
      kind: 'file',
      file: path.join(home, 'master.key'),
      previousFile: path.join(home, 'master.key.previous-2026-03-01T10-00-00-000Z'),
    });
    expect(
      fs.readFileSync(path.join(home, 'master.key.previous-2026-03-01T10-00-00-000Z'), 'utf8').trim(),
    ).toBe(oldKey.toString('base64'));
    expect(fs.statSync(path.join(home, 'master.key')).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(path.join(home, 'master.key.new'))).toBe(false);
    const newKey = loadMasterKey(null, home);
    expect(newKey.equals(oldKey)).toBe(false);
    // Reopened with the new key alone, every secret reads back as it was; the old key opens none of them.
    expect(await openEverything(app, new Vault(newKey))).toEqual(before);
    await expect(openEverything(app, new Vault(oldKey))).rejects.toThrow(/Sealed under key/);
  });

  it('prints the new key when it comes from TRIBUTARY_MASTER_KEY, and refuses a store it cannot open', async () => {
    app = await startTestApp(backend, { TRIBUTARY_STORE: 'disk' });
    await sealOneOfEach(app, backend);
    await app.runtime.close();
    const oldKey = parseMasterKey(app.config.masterKey!);
    const before = await openEverything(app, new Vault(oldKey));

    // With the wrong current key nothing can be opened: the rotation fails and changes nothing.
    const wrong = Buffer.alloc(32, 1);
    let store = await openStore(app.config);
    await expect(
      rotateMasterKey(store.db, {
        home: app.config.home,
        currentKey: wrong,
        fromEnvironment: true,
        now: new Date(),
      }),
    ).rejects.toThrow(/nothing was changed/);
    await store.close();
    expect(fs.existsSync(path.join(app.config.home, 'master.key.new'))).toBe(false);
    expect(await openEverything(app, new Vault(oldKey))).toEqual(before);

    store = await openStore(app.config);
    const result = await rotateMasterKey(store.db, {
      home: app.config.home,
      currentKey: oldKey,
      fromEnvironment: true,
      now: new Date(),
    }).finally(() => store.close());
    if (result.location.kind !== 'environment') throw new Error('expected the key to be printed');
    const pending = fs.readFileSync(result.location.pendingFile, 'utf8').trim();
    expect(pending).toBe(result.location.key);
    expect(fs.existsSync(path.join(app.config.home, 'master.key'))).toBe(false);
    expect(await openEverything(app, new Vault(parseMasterKey(result.location.key)))).toEqual(before);
  });
});
