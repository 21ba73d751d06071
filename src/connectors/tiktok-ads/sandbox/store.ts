/**
 * The mutable part of the sandbox: issued auth codes and access tokens, revocations, and responses held
 * open by the `hang` fault. One store per registration, so every test server starts clean.
 */
import { HeldResponses } from '../../../sandbox/held-responses.ts';
import type { SandboxContext } from '../../kit/types.ts';
import { CODE_TTL_MS, PROVIDER } from './constants.ts';
import type { SeedUser } from './seed.ts';
import { newSecretValue } from './wire.ts';

/** An auth code and whom it belongs to. */
export interface IssuedCode {
  value: string;
  user: SeedUser;
  redirectUri: string;
  expiresAt: number;
  used: boolean;
}

/** A long-term access token: no expiry, only revocation ends it. */
export interface IssuedAccessToken {
  value: string;
  user: SeedUser;
  revoked: boolean;
}

/** What looking a token up can find. */
export type TokenLookup =
  | { status: 'valid'; token: IssuedAccessToken }
  | { status: 'unknown' }
  | { status: 'revoked'; token: IssuedAccessToken };

/** Codes, tokens and held responses of one sandbox registration. */
export class TikTokSandboxStore extends HeldResponses {
  private readonly codes = new Map<string, IssuedCode>();
  private readonly tokens = new Map<string, IssuedAccessToken>();

  constructor(readonly context: SandboxContext) {
    super();
  }

  /** Issues a single-use, one-hour auth code and records it with the host. */
  issueCode(user: SeedUser, redirectUri: string): IssuedCode {
    const code: IssuedCode = {
      value: newSecretValue(),
      user,
      redirectUri,
      expiresAt: this.context.now().getTime() + CODE_TTL_MS,
      used: false,
    };
    this.codes.set(code.value, code);
    this.context.recordToken(PROVIDER, { kind: 'code', value: code.value, user: user.email });
    return code;
  }

  findCode(value: string): IssuedCode | undefined {
    return this.codes.get(value);
  }

  /** Issues a long-term access token and records it with the host. */
  issueToken(user: SeedUser): IssuedAccessToken {
    const token: IssuedAccessToken = { value: newSecretValue(), user, revoked: false };
    this.tokens.set(token.value, token);
    this.context.recordToken(PROVIDER, { kind: 'access_token', value: token.value, user: user.email });
    return token;
  }

  lookupToken(value: string): TokenLookup {
    const token = this.tokens.get(value);
    if (!token) return { status: 'unknown' };
    return token.revoked ? { status: 'revoked', token } : { status: 'valid', token };
  }
}
