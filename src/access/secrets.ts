/**
 * Bearer secrets (session cookies, API tokens, invitation and sign-in links, CSRF tokens): random,
 * shown once, stored only as their SHA-256. A high-entropy secret needs no slow hash.
 */
import crypto from 'node:crypto';

/** Kinds of secret, each with a prefix so a leaked one is recognisable (and scannable) for what it is. */
export type SecretKind = 'session' | 'token' | 'invitation' | 'signIn' | 'csrf';

const prefixes: Record<SecretKind, string> = {
  session: 'trs_',
  token: 'trb_',
  invitation: 'tri_',
  signIn: 'trl_',
  csrf: 'trc_',
};

/** A new random secret of `kind` (256 bits). */
export function newSecret(kind: SecretKind): string {
  return prefixes[kind] + crypto.randomBytes(32).toString('base64url');
}

/** The stored form of a secret. */
export function hashSecret(secret: string): string {
  return crypto.createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** True when `secret` looks like one of `kind` (cheap check before any lookup). */
export function isSecretOf(kind: SecretKind, secret: string): boolean {
  return secret.startsWith(prefixes[kind]) && secret.length === prefixes[kind].length + 43;
}

/** Constant-time comparison of two strings (CSRF tokens). */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}
