/**
 * The mutable part of the sandbox: issued authorization codes and access tokens, revocations, and the
 * call history behind `x-app-usage`. One store per registration, so every test server starts clean.
 */
import { HeldResponses } from '../../../sandbox/held-responses.ts';
import type { SandboxContext } from '../../kit/types.ts';
import { CODE_TTL_MS, PROVIDER, SANDBOX_CLIENT_ID } from './constants.ts';
import type { SeedUser } from './seed.ts';
import { type BusinessUseCaseEntry, newAccessToken, newAuthorizationCode } from './wire.ts';

/** A PKCE challenge as the dialog received it. */
export interface CodeChallenge {
  value: string;
  method: 'S256' | 'plain';
}

/** An authorization code and everything it is bound to. */
export interface IssuedCode {
  value: string;
  clientId: string;
  redirectUri: string;
  challenge?: CodeChallenge | undefined;
  user: SeedUser;
  scopes: string[];
  expiresAt: number;
  used: boolean;
}

/** An access token the sandbox issued. */
export interface IssuedAccessToken {
  value: string;
  clientId: string;
  user: SeedUser;
  scopes: string[];
  kind: 'short_lived' | 'long_lived';
  expiresAt: number;
  /** Set when the user removed the app; the token then fails with 190/458. */
  revoked: boolean;
}

/** What looking a token up can find. */
export type TokenLookup =
  | { status: 'valid'; token: IssuedAccessToken }
  | { status: 'unknown' }
  | { status: 'revoked'; token: IssuedAccessToken }
  | { status: 'expired'; token: IssuedAccessToken };

/** A report-run fate an injected fault arms for the next created run. */
export type ArmedJobFault = 'async_job_failed' | 'async_job_hangs';

/** Calls older than this no longer count towards `x-app-usage`, like Meta's rolling one-hour window. */
const USAGE_WINDOW_MS = 3_600_000;

/** Codes, tokens and usage of one sandbox registration. */
export class MetaSandboxStore extends HeldResponses {
  private readonly codes = new Map<string, IssuedCode>();
  private readonly tokens = new Map<string, IssuedAccessToken>();
  private calls: number[] = [];
  private readonly businessCalls = new Map<string, number[]>();
  private readonly jobFaults: ArmedJobFault[] = [];

  constructor(private readonly context: SandboxContext) {
    super();
  }

  /** Current sandbox time in ms, from the host clock so tests can move it. */
  now(): number {
    return this.context.now().getTime();
  }

  /** Issues a single-use code bound to the client, redirect URI and PKCE challenge. */
  issueCode(input: Omit<IssuedCode, 'value' | 'expiresAt' | 'used'>): IssuedCode {
    const code: IssuedCode = {
      ...input,
      value: newAuthorizationCode(),
      expiresAt: this.now() + CODE_TTL_MS,
      used: false,
    };
    this.codes.set(code.value, code);
    this.context.recordToken(PROVIDER, { kind: 'code', value: code.value, user: input.user.email });
    return code;
  }

  /** Looks a code up without consuming it (errors must not depend on who asked first). */
  findCode(value: string): IssuedCode | undefined {
    return this.codes.get(value);
  }

  /** Issues an access token living `lifetimeSeconds` from now. */
  issueToken(
    input: Pick<IssuedAccessToken, 'clientId' | 'user' | 'scopes' | 'kind'>,
    lifetimeSeconds: number,
  ): IssuedAccessToken {
    const token: IssuedAccessToken = {
      ...input,
      value: newAccessToken(),
      expiresAt: this.now() + lifetimeSeconds * 1000,
      revoked: false,
    };
    this.tokens.set(token.value, token);
    this.context.recordToken(PROVIDER, { kind: 'access_token', value: token.value, user: input.user.email });
    return token;
  }

  /** Classifies a presented token: valid, unknown, revoked (checked before expiry, as Meta does) or expired. */
  lookupToken(value: string): TokenLookup {
    const token = this.tokens.get(value);
    if (!token) return { status: 'unknown' };
    if (token.revoked) return { status: 'revoked', token };
    if (this.now() >= token.expiresAt) return { status: 'expired', token };
    return { status: 'valid', token };
  }

  /** Removes the app for a user: every token of that user for that app stops working, pending codes too. */
  revokeApp(user: SeedUser, clientId: string = SANDBOX_CLIENT_ID): void {
    for (const token of this.tokens.values()) {
      if (token.user === user && token.clientId === clientId) token.revoked = true;
    }
    for (const [value, code] of this.codes) {
      if (code.user === user && code.clientId === clientId) this.codes.delete(value);
    }
  }

  /**
   * Counts one Graph call and returns the app's usage in Meta's `x-app-usage` form: percentages of the
   * hourly budget, here one percent per 50 calls in the last hour so long demos never look throttled.
   */
  recordCall(): { call_count: number; total_time: number; total_cputime: number } {
    this.calls.push(this.now());
    return this.appUsage();
  }

  /** The app's current `x-app-usage` without counting a call. */
  appUsage(): { call_count: number; total_time: number; total_cputime: number } {
    const now = this.now();
    this.calls = this.calls.filter((at) => now - at < USAGE_WINDOW_MS);
    const count = this.calls.length;
    return {
      call_count: Math.min(100, Math.floor(count / 50)),
      total_time: Math.min(100, Math.floor(count / 80)),
      total_cputime: Math.min(100, Math.floor(count / 120)),
    };
  }

  /**
   * Counts one ad-account call against a business object and returns its `x-business-use-case-usage`
   * entry: one percent per 20 calls in the last hour, never throttled on its own (faults do that).
   */
  recordBusinessCall(key: string): BusinessUseCaseEntry {
    const now = this.now();
    const calls = (this.businessCalls.get(key) ?? []).filter((at) => now - at < USAGE_WINDOW_MS);
    calls.push(now);
    this.businessCalls.set(key, calls);
    return {
      type: 'ads_management',
      call_count: Math.min(99, Math.floor(calls.length / 20)),
      total_cputime: Math.min(99, Math.floor(calls.length / 40)),
      total_time: Math.min(99, Math.floor(calls.length / 30)),
      estimated_time_to_regain_access: 0,
    };
  }

  /**
   * Arms a report-run fault. Faults are taken by whichever Graph call comes next, which need not be a
   * report-run creation; arming makes `async_job_*` hit the next created run wherever it was taken.
   */
  armJobFault(fault: ArmedJobFault): void {
    this.jobFaults.push(fault);
  }

  /** The fault armed for the run being created, if any (consumed). */
  takeJobFault(): ArmedJobFault | undefined {
    return this.jobFaults.shift();
  }
}
