/**
 * The mutable part of the sandbox: issued authorization codes, access and refresh tokens, revocations, and
 * responses held open by the `hang` fault. One store per registration, so every test server starts clean.
 * Token lifetimes run on the real clock (`Date.now()`): the virtual clock moves days for restatement tests
 * and must not expire every token; codes use the virtual clock so tests can expire them.
 */
import { randomBytes } from 'node:crypto';
import { HeldResponses } from '../../../sandbox/held-responses.ts';
import type { SandboxContext } from '../../kit/types.ts';
import { ACCESS_TOKEN_TTL_MS, CODE_TTL_MS, PROVIDER } from './constants.ts';
import type { SeedUser } from './seed.ts';

/** What the authorize request asked for, kept with its code. */
export interface CodeRequest {
  clientId: string;
  redirectUri: string;
  /** Granted scopes, in Google's long form. */
  scopes: string[];
  offline: boolean;
  codeChallenge?: string | undefined;
  codeChallengeMethod?: 'S256' | 'plain' | undefined;
}

/** An authorization code and whom it belongs to. */
export interface IssuedCode extends CodeRequest {
  value: string;
  user: SeedUser;
  expiresAt: number;
  used: boolean;
}

/** A grant: one consent, its refresh token (offline access only) and the access tokens minted from it. */
export interface Grant {
  user: SeedUser;
  scopes: string[];
  refreshToken?: string | undefined;
  revoked: boolean;
  /**
   * Only the refresh token is dead (the `revoked` fault): its access tokens keep working until they expire,
   * so one injected fault does not end every later call of a test run.
   */
  refreshRevoked?: boolean | undefined;
}

/** An access token: lives an hour on the real clock, unless its grant is revoked first. */
export interface IssuedAccessToken {
  value: string;
  grant: Grant;
  expiresAt: number;
}

/** What looking an access token up can find. */
export type TokenLookup =
  | { status: 'valid'; token: IssuedAccessToken }
  | { status: 'unknown' }
  | { status: 'expired' | 'revoked'; token: IssuedAccessToken };

/** Random URL-safe text of `bytes` bytes. */
function randomText(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** Codes, tokens and held responses of one sandbox registration. */
export class GoogleAdsSandboxStore extends HeldResponses {
  private readonly codes = new Map<string, IssuedCode>();
  private readonly accessTokens = new Map<string, IssuedAccessToken>();
  private readonly refreshTokens = new Map<string, Grant>();

  constructor(readonly context: SandboxContext) {
    super();
  }

  /** Issues a single-use authorization code (Google's look: `4/0A…`) and records it with the host. */
  issueCode(user: SeedUser, request: CodeRequest): IssuedCode {
    const code: IssuedCode = {
      ...request,
      value: `4/0A${randomText(48)}`,
      user,
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

  /** Opens a grant for a consent; with offline access it carries a refresh token (`1//…`). */
  openGrant(user: SeedUser, scopes: string[], offline: boolean): Grant {
    const grant: Grant = { user, scopes, revoked: false };
    if (offline) {
      grant.refreshToken = `1//0${randomText(72)}`;
      this.refreshTokens.set(grant.refreshToken, grant);
      this.context.recordToken(PROVIDER, {
        kind: 'refresh_token',
        value: grant.refreshToken,
        user: user.email,
      });
    }
    return grant;
  }

  /** The grant of a refresh token, or undefined when there is none. */
  findRefreshGrant(value: string): Grant | undefined {
    return this.refreshTokens.get(value);
  }

  /** Mints an access token (`ya29.…`) under a grant and records it with the host. */
  issueAccessToken(grant: Grant): IssuedAccessToken {
    const token: IssuedAccessToken = {
      value: `ya29.a0${randomText(120)}`,
      grant,
      expiresAt: Date.now() + ACCESS_TOKEN_TTL_MS,
    };
    this.accessTokens.set(token.value, token);
    this.context.recordToken(PROVIDER, { kind: 'access_token', value: token.value, user: grant.user.email });
    return token;
  }

  lookupAccessToken(value: string): TokenLookup {
    const token = this.accessTokens.get(value);
    if (!token) return { status: 'unknown' };
    if (token.grant.revoked) return { status: 'revoked', token };
    if (Date.now() >= token.expiresAt) return { status: 'expired', token };
    return { status: 'valid', token };
  }

  /**
   * Revokes the grant behind an access or refresh token: Google revokes the refresh token and every access
   * token of the same consent. False when the token is unknown.
   */
  revoke(value: string): boolean {
    const grant = this.accessTokens.get(value)?.grant ?? this.refreshTokens.get(value);
    if (!grant || grant.revoked) return false;
    grant.revoked = true;
    return true;
  }

  /**
   * The `revoked` fault: the refresh token of the grant behind a token (access or refresh) is revoked, so the
   * next refresh answers `invalid_grant`. Unknown tokens are ignored.
   */
  revokeRefreshOf(value: string): void {
    const grant = this.accessTokens.get(value)?.grant ?? this.refreshTokens.get(value);
    if (grant) grant.refreshRevoked = true;
  }
}
