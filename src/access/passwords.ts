/**
 * Password hashing with scrypt (memory-hard, in node:crypto): `scrypt$N$r$p$salt$hash`, compared in
 * constant time. The parameters travel with each hash, so they can be raised without a migration.
 */
import crypto from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(crypto.scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: crypto.ScryptOptions,
) => Promise<Buffer>;

/** 2^15 × 8 × 128 bytes = 32 MiB per hash: costly to guess in bulk, about 60 ms here. */
const cost = { N: 2 ** 15, r: 8, p: 1 };
const keyLength = 32;

/** Hashes a password for storage. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16);
  const hash = await scrypt(password, salt, keyLength, { ...cost, maxmem: 64 * 1024 * 1024 });
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** True when `password` matches `stored` (a {@link hashPassword} result); false for anything malformed. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  // Without a stored hash, still spend the time of one, so a missing user cannot be told by timing.
  const parts = (stored ?? '').split('$');
  const [scheme, n, r, p, salt, hash] = parts;
  const valid = parts.length === 6 && scheme === 'scrypt' && salt && hash;
  const params = valid ? { N: Number(n), r: Number(r), p: Number(p) } : cost;
  const expected = valid ? Buffer.from(hash, 'base64url') : Buffer.alloc(keyLength);
  const actual = await scrypt(
    password,
    valid ? Buffer.from(salt, 'base64url') : Buffer.alloc(16),
    expected.length,
    {
      ...params,
      maxmem: 256 * 1024 * 1024,
    },
  );
  return Boolean(valid) && crypto.timingSafeEqual(actual, expected);
}
