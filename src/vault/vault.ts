/**
 * The credential vault: AES-256-GCM envelopes for tokens, refresh tokens, API keys, passwords
 * and PKCE verifiers. Only sealed text reaches the store; the master key never does.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const VERSION = 'v1';

/** A short fingerprint of a key, stored with each envelope so a rotation can tell keys apart. */
export function keyIdOf(key: Buffer): string {
  return crypto.createHash('sha256').update(key).digest('hex').slice(0, 12);
}

/**
 * Seals under one master key; opens envelopes of that key and of any `previous` keys it is given (during a key
 * rotation the rotating vault holds the old key to open and the new one to seal).
 */
export class Vault {
  private readonly key: Buffer;
  /** The fingerprint of the sealing key, written into every envelope. */
  readonly keyId: string;
  private readonly openKeys: Map<string, Buffer>;

  constructor(key: Buffer, previous: readonly Buffer[] = []) {
    for (const candidate of [key, ...previous])
      if (candidate.length !== 32) throw new Error('The vault master key must be 32 bytes');
    this.key = key;
    this.keyId = keyIdOf(key);
    this.openKeys = new Map([...previous, key].map((candidate) => [keyIdOf(candidate), candidate]));
  }

  /** The key id an envelope was sealed under (null when it is not an envelope). */
  static keyIdOfEnvelope(sealed: string): string | null {
    const [version, keyId] = sealed.split('.');
    return version === VERSION && keyId ? keyId : null;
  }

  /** Encrypts `plaintext`; `context` (e.g. the connection id) is authenticated, so an envelope cannot be moved to another row. */
  seal(plaintext: string, context: string): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      VERSION,
      this.keyId,
      iv.toString('base64url'),
      tag.toString('base64url'),
      ciphertext.toString('base64url'),
    ].join('.');
  }

  /** Decrypts an envelope made by {@link seal} with the same context; throws if it was tampered with. */
  open(sealed: string, context: string): string {
    const [version, keyId, iv, tag, ciphertext] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || ciphertext === undefined)
      throw new Error('Not a vault envelope');
    const key = keyId === undefined ? undefined : this.openKeys.get(keyId);
    if (!key) throw new Error(`Sealed under key ${keyId}, but the vault holds key ${this.keyId}`);
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}

/** Parses a configured master key: 64 hex characters or base64 of 32 bytes. */
export function parseMasterKey(value: string): Buffer {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  const decoded = Buffer.from(value, 'base64');
  if (decoded.length === 32) return decoded;
  throw new Error('TRIBUTARY_MASTER_KEY must be 32 bytes, as 64 hex characters or base64');
}

/**
 * Returns the configured master key, or the one in `<home>/master.key`, creating that file
 * (mode 0600) on first run.
 */
export function loadMasterKey(configured: string | null, home: string): Buffer {
  if (configured) return parseMasterKey(configured);
  const file = path.join(home, 'master.key');
  fs.mkdirSync(home, { recursive: true });
  try {
    const fd = fs.openSync(file, 'wx', 0o600);
    fs.writeSync(fd, crypto.randomBytes(32).toString('base64'));
    fs.closeSync(fd);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const mode = fs.statSync(file).mode & 0o777;
  if (mode & 0o077) fs.chmodSync(file, 0o600);
  return parseMasterKey(fs.readFileSync(file, 'utf8').trim());
}
