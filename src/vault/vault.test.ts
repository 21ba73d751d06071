import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMasterKey, parseMasterKey, Vault } from './vault.ts';

describe('vault', () => {
  const vault = new Vault(Buffer.alloc(32, 7));

  it('round-trips a secret and hides it', () => {
    const sealed = vault.seal('EAAsecret-token', 'conn-1');
    expect(sealed).not.toContain('EAAsecret-token');
    expect(sealed.startsWith(`v1.${vault.keyId}.`)).toBe(true);
    expect(vault.open(sealed, 'conn-1')).toBe('EAAsecret-token');
  });

  it('refuses an envelope moved to another context or tampered with', () => {
    const sealed = vault.seal('secret', 'conn-1');
    expect(() => vault.open(sealed, 'conn-2')).toThrow();
    const parts = sealed.split('.');
    parts[4] = Buffer.from('other').toString('base64url');
    expect(() => vault.open(parts.join('.'), 'conn-1')).toThrow();
  });

  it('refuses an envelope sealed under another key', () => {
    const other = new Vault(Buffer.alloc(32, 9));
    expect(() => other.open(vault.seal('secret', 'c'), 'c')).toThrow(/Sealed under key/);
  });

  it('creates the key file once with mode 0600 and reuses it', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-vault-'));
    const first = loadMasterKey(null, home);
    const second = loadMasterKey(null, home);
    expect(first.equals(second)).toBe(true);
    expect(fs.statSync(path.join(home, 'master.key')).mode & 0o777).toBe(0o600);
  });

  it('parses hex and base64 keys and rejects short ones', () => {
    expect(parseMasterKey('ab'.repeat(32)).length).toBe(32);
    expect(parseMasterKey(Buffer.alloc(32, 1).toString('base64')).length).toBe(32);
    expect(() => parseMasterKey('short')).toThrow(/32 bytes/);
  });
});
