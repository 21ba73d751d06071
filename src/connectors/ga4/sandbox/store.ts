/**
 * The mutable part of the sandbox: authorization codes, grants (a consent or a service-account assertion) with
 * their refresh and access tokens, revocations, and responses held open by the `hang` fault. One store per
 * registration, so every test server starts clean. Token lifetimes run on the real clock (`Date.now()`): the
 * virtual clock moves days for restatement tests and must not expire every token.
 */
import type { ServerResponse } from 'node:http';
import { HeldResponses } from '../../../sandbox/held-responses.ts';
import type { SandboxContext } from '../../kit/types.ts';
import { ACCESS_TOKEN_SECONDS, CODE_TTL_MS, PROVIDER } from './constants.ts';
import type { SeedAccount, SeedServiceAccount, SeedUser } from './seed.ts';
import { newTokenValue } from './wire.ts';

/** Who a token acts for. */
export type Principal =
  | { kind: 'user'; user: SeedUser }
  | { kind: 'service'; serviceAccount: SeedServiceAccount };

/** The email of a principal (user or service account). */
export function principalEmail(principal: Principal): string {
  return principal.kind === 'user' ? principal.user.email : principal.serviceAccount.email;
}

/** The GA4 accounts a principal can read. */
export function principalAccounts(principal: Principal): SeedAccount[] {
  return principal.kind === 'user' ? principal.user.accounts : principal.serviceAccount.accounts;
}

/** An authorization code and what the consent page was asked for. */
export interface IssuedCode {
  value: string;
  user: SeedUser;
  redirectUri: string;
  scopes: string[];
  offline: boolean;
  codeChallenge?: string | undefined;
  codeChallengeMethod?: string | undefined;
  expiresAt: number;
  used: boolean;
}

/** One consent (or one assertion): revoking any of its tokens revokes it all. */
export interface Grant {
  principal: Principal;
  scopes: string[];
  refreshToken?: string | undefined;
  /** Revoked at `/revoke`: every token of the grant is dead. */
  revoked: boolean;
  /** The refresh token alone is dead (the `revoked` fault): refreshing is `invalid_grant`. */
  refreshRevoked?: boolean;
}

/** A one-hour access token. */
export interface IssuedAccessToken {
  value: string;
  grant: Grant;
  /** Real-clock ms. */
  expiresAt: number;
}

/** What looking a token up can find. */
export type TokenLookup =
  | { status: 'valid'; token: IssuedAccessToken }
  | { status: 'unknown' | 'expired' | 'revoked' };

/** Codes, grants, tokens and held responses of one sandbox registration. */
export class Ga4SandboxStore extends HeldResponses {
  private readonly codes = new Map<string, IssuedCode>();
  private readonly refreshTokens = new Map<string, Grant>();
  private readonly accessTokens = new Map<string, IssuedAccessToken>();

  constructor(readonly context: SandboxContext) {
    super();
  }

  /** Issues a single-use authorization code and records it with the host. */
  issueCode(input: Omit<IssuedCode, 'value' | 'expiresAt' | 'used'>): IssuedCode {
    const code: IssuedCode = {
      ...input,
      value: newTokenValue('4/0A'),
      expiresAt: Date.now() + CODE_TTL_MS,
      used: false,
    };
    this.codes.set(code.value, code);
    this.context.recordToken(PROVIDER, { kind: 'code', value: code.value, user: input.user.email });
    return code;
  }

  findCode(value: string): IssuedCode | undefined {
    return this.codes.get(value);
  }

  /** Starts a grant; with `offline` it gets a refresh token (recorded with the host). */
  newGrant(principal: Principal, scopes: string[], offline: boolean): Grant {
    const grant: Grant = { principal, scopes, revoked: false };
    if (offline) {
      grant.refreshToken = newTokenValue('1//0');
      this.refreshTokens.set(grant.refreshToken, grant);
      this.context.recordToken(PROVIDER, {
        kind: 'refresh_token',
        value: grant.refreshToken,
        user: principalEmail(principal),
      });
    }
    return grant;
  }

  /** The live grant behind a refresh token, or undefined (unknown or revoked). */
  grantOfRefreshToken(value: string): Grant | undefined {
    const grant = this.refreshTokens.get(value);
    return grant && !grant.revoked && !grant.refreshRevoked ? grant : undefined;
  }

  /** Issues a one-hour access token under `grant`. */
  issueAccessToken(grant: Grant): IssuedAccessToken {
    const token: IssuedAccessToken = {
      value: newTokenValue('ya29.a0'),
      grant,
      expiresAt: Date.now() + ACCESS_TOKEN_SECONDS * 1000,
    };
    this.accessTokens.set(token.value, token);
    this.context.recordToken(PROVIDER, {
      kind: 'access_token',
      value: token.value,
      user: principalEmail(grant.principal),
    });
    return token;
  }

  lookupAccessToken(value: string): TokenLookup {
    const token = this.accessTokens.get(value);
    if (!token) return { status: 'unknown' };
    if (token.grant.revoked) return { status: 'revoked' };
    if (Date.now() >= token.expiresAt) return { status: 'expired' };
    return { status: 'valid', token };
  }

  /** Revokes the grant behind an access or refresh token; false when the token is unknown or already dead. */
  revoke(value: string): boolean {
    const grant = this.refreshTokens.get(value) ?? this.accessTokens.get(value)?.grant;
    if (!grant || grant.revoked) return false;
    grant.revoked = true;
    return true;
  }

  /**
   * Kills the refresh token of the grant behind an access token (the `revoked` fault). The access token itself
   * keeps working until its hour ends, so a client that tries again with it is not locked out of later cases.
   */
  revokeRefresh(accessToken: string): void {
    const grant = this.accessTokens.get(accessToken)?.grant;
    if (grant) grant.refreshRevoked = true;
  }

  /**
   * Holds a response open (the `hang` fault) until the client gives up or the server closes. Unlike the shared
   * hold, GA4's sandbox only forgets the response when it closes; it does not destroy it when the client leaves.
   */
  override hold(response: ServerResponse): void {
    this.held.add(response);
    response.on('close', () => this.held.delete(response));
  }
}
