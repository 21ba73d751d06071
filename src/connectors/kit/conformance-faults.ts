/**
 * The fault cases of the conformance suite ({@link ./conformance.ts}): each fault of the sandbox control API,
 * injected before a read or call, must end in its error category — auth and permission at once, quota with a
 * future `retryAt` (or waited out when the reset is short), transient after the retries, and a malformed payload as
 * a provider error with nothing read. Test code only.
 */
import { describe, expect, it } from 'vitest';
import { TributaryError } from '../../domain/errors.ts';
import { discoverPages, drainRead } from './conformance-sandbox.ts';
import type { Connector, HttpSettings, ReportRequest, SandboxFault, TokenSet } from './types.ts';

/** Fast settings: real timeouts, 1 ms back-off, two retries, no quota sleeping unless a case asks for it. */
export const CONFORMANCE_HTTP: HttpSettings = {
  timeoutMs: 5_000,
  maxRetries: 2,
  retryBaseMs: 1,
  maxQuotaWaitMs: 0,
};

/** The error a read or call ended with, as a TributaryError (anything else fails the case). */
export function asTributary(error: unknown): TributaryError {
  expect(error, 'the call should have failed').toBeInstanceOf(TributaryError);
  return error as TributaryError;
}

/** What the fault cases need from the suite: connectors, fault injection, the token and the window they read. */
export interface FaultCaseContext {
  build(http?: Partial<HttpSettings>): Connector;
  inject(fault: SandboxFault, count?: number): Promise<void>;
  token(): TokenSet;
  window(): ReportRequest;
}

/** Registers the fault cases (inside the suite's `describe`). */
export function describeFaultCases(throttleWaitMs: number | null, context: FaultCaseContext): void {
  const { build, inject, token, window } = context;
  const connector = () => build();
  describe('faults', () => {
    /** A read through a fresh connector, so per-instance quota memory of one case cannot leak into the next. */
    const faultedRead = async (fault: SandboxFault, count: number, http: Partial<HttpSettings> = {}) => {
      await inject(fault, count);
      return drainRead(build(http), token(), window());
    };

    it.each([
      ['token_expired', 'auth'],
      ['revoked', 'auth'],
      ['permission_denied', 'permission'],
    ] as const)('%s -> category %s, not retried, nothing read', async (fault, category) => {
      const { pages, error, hooks } = await faultedRead(fault, 1);
      expect(asTributary(error).category).toBe(category);
      expect([pages.length, hooks.calls]).toEqual([0, 1]);
    });

    it('token_expired on identify and discovery -> category auth', async () => {
      await inject('token_expired');
      expect(
        asTributary(
          await connector()
            .identify(token())
            .catch((e: unknown) => e),
        ).category,
      ).toBe('auth');
      await inject('token_expired');
      const failure = await discoverPages(connector(), token()).catch((e: unknown) => e);
      expect(asTributary(failure).category).toBe('auth');
    });

    it('rate_limited with a reset beyond maxQuotaWaitMs -> category quota with a future retryAt, no wait', async () => {
      const { pages, error, hooks } = await faultedRead('rate_limited', 1, { maxQuotaWaitMs: 0 });
      const failure = asTributary(error);
      expect([failure.category, failure.code]).toEqual(['quota', 'rate_limited']);
      expect(failure.retryAt?.getTime() ?? 0).toBeGreaterThan(Date.now());
      expect([pages.length, hooks.calls, hooks.waits]).toEqual([0, 1, []]);
    });

    const waitCase = throttleWaitMs === null ? it.skip : it;
    const waitName =
      throttleWaitMs === null
        ? 'rate_limited within maxQuotaWaitMs -> waited out (skipped: the sandbox reset is too long for a test)'
        : 'rate_limited within maxQuotaWaitMs -> waited out, the wait reported through onQuotaWait';
    waitCase(waitName, async () => {
      const clean = await drainRead(build(), token(), window());
      const wait = throttleWaitMs ?? 0;
      const { rows, error, hooks } = await faultedRead('rate_limited', 1, { maxQuotaWaitMs: wait });
      expect(error).toBeUndefined();
      expect(rows).toEqual(clean.rows);
      expect(hooks.waits).toHaveLength(1);
      expect(hooks.waits[0]!).toBeLessThanOrEqual(wait);
      expect(hooks.calls).toBe(clean.hooks.calls + 1);
    });

    it('one server_error is retried and the read succeeds with the same rows', async () => {
      const clean = await drainRead(build(), token(), window());
      const { rows, error, hooks } = await faultedRead('server_error', 1);
      expect(error).toBeUndefined();
      expect(rows).toEqual(clean.rows);
      expect(hooks.calls).toBe(clean.hooks.calls + 1);
    });

    it('a burst of server_error -> category transient after the retries', async () => {
      const { pages, error, hooks } = await faultedRead('server_error', CONFORMANCE_HTTP.maxRetries + 1);
      expect(asTributary(error).category).toBe('transient');
      expect([pages.length, hooks.calls]).toEqual([0, CONFORMANCE_HTTP.maxRetries + 1]);
    });

    it('malformed -> provider_malformed_response (category provider), nothing read', async () => {
      const { pages, error } = await faultedRead('malformed', 1);
      const failure = asTributary(error);
      expect([failure.category, failure.code]).toEqual(['provider', 'provider_malformed_response']);
      expect(pages).toHaveLength(0);
    });
  });
}
