/**
 * The mutable part of the sandbox: issued authorization codes, grants (a member's authorization of the app
 * with its refresh token), access tokens, revocations, and responses held open by the `hang` fault. One
 * store per registration, so every test server starts clean.
 *
 * Codes expire on the virtual clock (minutes; tests move it). Tokens live on the real clock (`Date.now()`):
 * the virtual clock moves days for restatement tests and must not expire every token.
 */
import { HeldResponses } from '../../../sandbox/held-responses.ts';
import type { SandboxContext } from '../../kit/types.ts';
import { ACCESS_TOKEN_TTL_SECONDS, CODE_TTL_MS, PROVIDER, REFRESH_TOKEN_TTL_SECONDS } from './constants.ts';
import type { SeedUser } from './seed.ts';
import { newSecretValue } from './wire.ts';

/** An authorization code and what it was issued for. */
export interface IssuedCode {
  value: string;
  user: SeedUser;
  redirectUri: string;
  scopes: string[];
  /** PKCE challenge (S256) when the authorization request carried one. */
  codeChallenge: string | undefined;
  expiresAt: number;
  used: boolean;
}

/** A member's authorization of the app: its scopes and its one refresh token. */
export interface Grant {
  user: SeedUser;
  scopes: string[];
  refreshToken: string;
  /** Real-clock ms; fixed at the first grant, never extended by refreshing. */
  refreshExpiresAt: number;
  /** Real-clock ms of the authorization. */
  authorizedAt: number;
  revoked: boolean;
}

/** An access token (60 days on the real clock). */
export interface IssuedAccessToken {
  value: string;
  grant: Grant;
  createdAt: number;
  expiresAt: number;
}

/** What looking an access token up can find. */
export type TokenLookup =
  | { status: 'valid'; token: IssuedAccessToken }
  | { status: 'unknown' }
  | { status: 'expired'; token: IssuedAccessToken }
  | { status: 'revoked'; token: IssuedAccessToken };

/** Codes, grants, tokens and held responses of one sandbox registration. */
export class LinkedInSandboxStore extends HeldResponses {
  private readonly codes = new Map<string, IssuedCode>();
  private readonly tokens = new Map<string, IssuedAccessToken>();
  private readonly refreshTokens = new Map<string, Grant>();

  constructor(readonly context: SandboxContext) {
    super();
  }

  /** Issues a single-use, 30-minute code and records it with the host. */
  issueCode(input: Omit<IssuedCode, 'value' | 'expiresAt' | 'used'>): IssuedCode {
    const code: IssuedCode = {
      ...input,
      value: newSecretValue(),
      expiresAt: this.context.now().getTime() + CODE_TTL_MS,
      used: false,
    };
    this.codes.set(code.value, code);
    this.context.recordToken(PROVIDER, { kind: 'code', value: code.value, user: input.user.email });
    return code;
  }

  findCode(value: string): IssuedCode | undefined {
    return this.codes.get(value);
  }

  /** A new grant (code exchange): a fresh refresh token good for a year, and its first access token. */
  grant(user: SeedUser, scopes: string[]): IssuedAccessToken {
    const now = Date.now();
    const grant: Grant = {
      user,
      scopes,
      refreshToken: newSecretValue(),
      refreshExpiresAt: now + REFRESH_TOKEN_TTL_SECONDS * 1000,
      authorizedAt: now,
      revoked: false,
    };
    this.refreshTokens.set(grant.refreshToken, grant);
    this.context.recordToken(PROVIDER, {
      kind: 'refresh_token',
      value: grant.refreshToken,
      user: user.email,
    });
    return this.issueAccessToken(grant);
  }

  /** A new access token under an existing grant (code exchange or refresh). */
  issueAccessToken(grant: Grant): IssuedAccessToken {
    const now = Date.now();
    const token: IssuedAccessToken = {
      value: newSecretValue(),
      grant,
      createdAt: now,
      expiresAt: now + ACCESS_TOKEN_TTL_SECONDS * 1000,
    };
    this.tokens.set(token.value, token);
    this.context.recordToken(PROVIDER, { kind: 'access_token', value: token.value, user: grant.user.email });
    return token;
  }

  /** The live grant of a refresh token, or why there is none. */
  lookupRefresh(value: string): Grant | 'invalid' {
    const grant = this.refreshTokens.get(value);
    if (!grant || grant.revoked || Date.now() >= grant.refreshExpiresAt) return 'invalid';
    return grant;
  }

  lookupToken(value: string): TokenLookup {
    const token = this.tokens.get(value);
    if (!token) return { status: 'unknown' };
    if (token.grant.revoked) return { status: 'revoked', token };
    if (Date.now() >= token.expiresAt) return { status: 'expired', token };
    return { status: 'valid', token };
  }
}
