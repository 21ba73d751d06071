/**
 * What every sandbox's token endpoint shares when it redeems a one-time authorization code: the checks (known,
 * not used, not expired, the same redirect URI, the PKCE verifier), in the order every provider makes them, and
 * the app's secret compared in constant time. Each provider keeps its own error bodies: it maps the problem this
 * reports to its wire, and issues its own tokens.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { PkceChallenge } from './authorization-request.ts';

/** Compares secrets without leaking their length or content through timing. */
export function sameSecret(given: string | undefined, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return given !== undefined && timingSafeEqual(digest(given), digest(expected));
}

/** True when `verifier` transforms to the challenge (RFC 7636 §4.6). */
export function verifierMatches(challenge: PkceChallenge, verifier: string): boolean {
  const derived =
    challenge.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
  return derived === challenge.value;
}

/** The part of an issued code redemption reads and writes. */
export interface RedeemableCode {
  readonly redirectUri: string;
  /** Epoch ms. */
  readonly expiresAt: number;
  used: boolean;
}

/** What the token request presents with the code. */
export interface CodeRedemption {
  /** Epoch ms on the clock the code's expiry was set with. */
  now: number;
  /** The redirect URI the request names; leave the key out where the provider does not check it (TikTok). */
  redirectUri?: string | undefined;
  /** The challenge the code was issued with, if any. */
  challenge?: PkceChallenge | undefined;
  /** `code_verifier`; an empty one counts as missing. */
  verifier?: string | undefined;
}

/** Why a code cannot be redeemed, in the order the checks run. */
export type CodeProblem =
  | 'unknown_code'
  | 'used_code'
  | 'expired_code'
  | 'redirect_uri_mismatch'
  | 'missing_verifier'
  | 'wrong_verifier';

/**
 * Redeems `code` (as the provider's store found it): on success marks it used and returns it. A refused attempt
 * leaves the code unused, so a client that fixes its request can still finish the flow in time.
 */
export function redeemAuthorizationCode<C extends RedeemableCode>(
  code: C | undefined,
  presented: CodeRedemption,
): { ok: true; code: C } | { ok: false; problem: CodeProblem } {
  if (!code) return { ok: false, problem: 'unknown_code' };
  if (code.used) return { ok: false, problem: 'used_code' };
  if (presented.now >= code.expiresAt) return { ok: false, problem: 'expired_code' };
  if ('redirectUri' in presented && presented.redirectUri !== code.redirectUri) {
    return { ok: false, problem: 'redirect_uri_mismatch' };
  }
  if (presented.challenge) {
    if (!presented.verifier) return { ok: false, problem: 'missing_verifier' };
    if (!verifierMatches(presented.challenge, presented.verifier))
      return { ok: false, problem: 'wrong_verifier' };
  }
  code.used = true;
  return { ok: true, code };
}
