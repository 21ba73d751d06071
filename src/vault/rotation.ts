/**
 * Master key rotation: every envelope in the store is opened with the key(s) it was sealed under and sealed again
 * under the new key, in one transaction (all or nothing), then the new key replaces the old one where the
 * installation keeps it: `<home>/master.key` (the old file is kept as `master.key.previous-<timestamp>`), or, when
 * the key comes from `TRIBUTARY_MASTER_KEY`, printed for the operator to set (and kept in `<home>/master.key.new`
 * until they do). The new key is on disk before the transaction commits, so a crash at any point loses nothing.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../store/db.ts';
import { sealedColumns, sealedValuesRepository } from '../store/sealedValuesRepository.ts';
import { keyIdOf, Vault } from './vault.ts';

/** What a rotation did, per table. */
export interface RotationSummary {
  oldKeyId: string;
  newKeyId: string;
  /** Envelopes re-sealed, by `table.column`. */
  resealed: Record<string, number>;
  total: number;
}

/**
 * Re-seals every envelope under `newKey` in one transaction. `oldKeys` are the keys envelopes may be sealed under
 * (the current key, and older ones a stalled process may still have written with). Any envelope that cannot be
 * opened, or that changes while the rotation runs, aborts the whole rotation: nothing is half-rotated.
 */
export async function resealStore(
  db: Db,
  oldKeys: readonly Buffer[],
  newKey: Buffer,
): Promise<RotationSummary> {
  if (oldKeys.length === 0) throw new Error('resealStore needs the current key');
  const vault = new Vault(newKey, oldKeys);
  return db.transaction(async (tx) => {
    const resealed: Record<string, number> = {};
    let total = 0;
    for (const column of sealedColumns) {
      const name = `${column.table}.${column.column}`;
      resealed[name] = 0;
      for (const value of await sealedValuesRepository.lockAll(tx, column)) {
        let plaintext: string;
        try {
          plaintext = vault.open(value.sealed, value.key);
        } catch (error) {
          throw new Error(
            `Cannot open ${name} of ${value.key} (${(error as Error).message}); nothing was changed`,
          );
        }
        if (!(await sealedValuesRepository.replace(tx, value, vault.seal(plaintext, value.key)))) {
          throw new Error(
            `${name} of ${value.key} changed during the rotation; stop every process and retry`,
          );
        }
        resealed[name] += 1;
        total += 1;
      }
    }
    return { oldKeyId: keyIdOf(oldKeys[0]!), newKeyId: vault.keyId, resealed, total };
  });
}

/** The keys kept from earlier rotations (`<home>/master.key.previous-*`), newest first. */
export function previousKeyFiles(home: string): string[] {
  if (!fs.existsSync(home)) return [];
  return fs
    .readdirSync(home)
    .filter((name) => name.startsWith('master.key.previous-'))
    .sort()
    .reverse()
    .map((name) => path.join(home, name));
}

function writeSecretFile(file: string, content: string): void {
  const fd = fs.openSync(file, 'w', 0o600);
  try {
    fs.writeSync(fd, content);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.chmodSync(file, 0o600);
}

/** Where the rotation put the new key. */
export type NewKeyLocation =
  | { kind: 'file'; file: string; previousFile: string }
  | { kind: 'environment'; key: string; pendingFile: string };

/**
 * Rotates the master key of the store at `db`: `currentKey` is the key the installation runs with, and
 * `fromEnvironment` says where it came from (TRIBUTARY_MASTER_KEY, or `<home>/master.key`).
 */
export async function rotateMasterKey(
  db: Db,
  options: { home: string; currentKey: Buffer; fromEnvironment: boolean; now: Date },
): Promise<RotationSummary & { location: NewKeyLocation }> {
  const { home, currentKey } = options;
  const newKey = crypto.randomBytes(32);
  const encoded = newKey.toString('base64');
  const previous = previousKeyFiles(home).flatMap((file) => {
    const text = fs.readFileSync(file, 'utf8').trim();
    const key = Buffer.from(text, 'base64');
    return key.length === 32 ? [key] : [];
  });
  fs.mkdirSync(home, { recursive: true });
  // The new key reaches the disk before any envelope is sealed under it.
  const pendingFile = path.join(home, 'master.key.new');
  writeSecretFile(pendingFile, encoded);
  const summary = await resealStore(db, [currentKey, ...previous], newKey).catch((error: unknown) => {
    fs.rmSync(pendingFile, { force: true });
    throw error;
  });
  if (options.fromEnvironment)
    return { ...summary, location: { kind: 'environment', key: encoded, pendingFile } };
  const keyFile = path.join(home, 'master.key');
  const stamp = options.now.toISOString().replace(/[:.]/g, '-');
  const previousFile = path.join(home, `master.key.previous-${stamp}`);
  if (fs.existsSync(keyFile)) fs.renameSync(keyFile, previousFile);
  else writeSecretFile(previousFile, currentKey.toString('base64'));
  fs.renameSync(pendingFile, keyFile);
  return { ...summary, location: { kind: 'file', file: keyFile, previousFile } };
}
