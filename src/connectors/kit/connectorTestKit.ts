/**
 * Checks the connector unit tests (`src/connectors/<id>/connector.test.ts`) share, run against a connector built
 * on the replaying fetch (`replay-fetch.ts`): its modes, a call refused after so many requests (retries
 * included), an identity read with the credential where the provider wants it, a form POST to an OAuth endpoint
 * and a token's expiry. Each test keeps its provider's routes, fixtures and expected values. Used only by tests.
 */
import { expect } from 'vitest';
import type { ErrorCode } from '../../domain/errors.ts';
import type { RecordedRequest, ReplayRoute } from './replay-fetch.ts';
import type { Connector, ProviderIdentity, TokenSet } from './types.ts';

/** A connector on the replaying fetch and the requests it sent (a connector's `build(…)`). */
export interface ReplayedConnector {
  connector: Connector;
  requests: RecordedRequest[];
}

/** A connector's `build(route, env?, sandboxBaseUrl?)`: real mode with its real env unless told otherwise. */
export type ReplayBuild = (
  route: ReplayRoute,
  env?: Record<string, string>,
  sandboxBaseUrl?: () => string | null,
) => ReplayedConnector;

/**
 * Checks the modes of a connector run with app credentials: real with them, sandbox without them, unconfigured
 * with neither, and still sandbox with one credential alone (`partialEnv`), which is not real mode.
 */
export function expectAppCredentialModes(
  build: ReplayBuild,
  route: () => ReplayRoute,
  sandboxUrl: string,
  partialEnv: Record<string, string>,
): void {
  expect(build(route()).connector).toMatchObject({ sandbox: false, configured: true });
  expect(build(route(), {}, () => sandboxUrl).connector).toMatchObject({ sandbox: true, configured: true });
  expect(build(route(), {}).connector).toMatchObject({ sandbox: false, configured: false });
  expect(build(route(), partialEnv, () => sandboxUrl).connector.sandbox).toBe(true);
}

/**
 * Checks `call` is refused with a TributaryError of `code` when the connector has sent `calls` requests in all
 * (retries included; requests of earlier calls on the same connector count too).
 */
export async function expectRefusedAfter(
  built: ReplayedConnector,
  call: (connector: Connector) => Promise<unknown>,
  code: ErrorCode,
  calls: number,
): Promise<void> {
  await expect(call(built.connector)).rejects.toMatchObject({ name: 'TributaryError', code });
  expect(built.requests).toHaveLength(calls);
}

/** The call `identify(token)`, for {@link expectRefusedAfter}. */
export function identifying(token: TokenSet): (connector: Connector) => Promise<ProviderIdentity> {
  return (connector) => connector.identify(token);
}

/** What {@link expectIdentity} expects of `identify`: who, from which URL, with which headers (null: absent). */
export interface ExpectedIdentity {
  identity: ProviderIdentity;
  url: string;
  headers: Record<string, string | null>;
}

/** Identifies with `token` and checks who it is, and the URL and headers of the first request. */
export async function expectIdentity(
  built: ReplayedConnector,
  token: TokenSet,
  expected: ExpectedIdentity,
): Promise<void> {
  expect(await built.connector.identify(token)).toEqual(expected.identity);
  const [request] = built.requests;
  expect(request!.url.toString()).toBe(expected.url);
  for (const [name, value] of Object.entries(expected.headers))
    expect(request!.headers.get(name)).toBe(value);
}

/** Identifies with `token` and checks whose account it is, after `calls` requests (a retried or waited answer). */
export async function expectIdentifiedAfter(
  built: ReplayedConnector,
  token: TokenSet,
  businessAccountId: string,
  calls: number,
): Promise<void> {
  expect((await built.connector.identify(token)).businessAccountId).toBe(businessAccountId);
  expect(built.requests).toHaveLength(calls);
}

/** Revokes `token` and checks the revocation was POSTed to `url`; returns that request, for its body. */
export async function expectRevokePost(
  built: ReplayedConnector,
  token: TokenSet,
  url: string,
): Promise<RecordedRequest> {
  await built.connector.revoke!(token);
  const [request] = built.requests;
  expect(`${request!.method} ${request!.url}`).toBe(`POST ${url}`);
  return request!;
}

/** The form fields of a form-encoded request body. */
export function formOf(request: RecordedRequest): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(request.body));
}

/** Checks `request` POSTed exactly `form`, form-encoded, to `url` (the OAuth token endpoints). */
export function expectFormPost(request: RecordedRequest, url: string, form: Record<string, string>): void {
  expect(`${request.method} ${request.url}`).toBe(`POST ${url}`);
  expect(request.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
  expect(formOf(request)).toEqual(form);
}

/**
 * Checks a token issued between `before` and now for `lifetimeMs` expires then: no earlier than `before` plus
 * the lifetime, no later than now plus the lifetime.
 */
export function expectExpiresIn(expiresAt: string | undefined, before: number, lifetimeMs: number): void {
  const expires = Date.parse(expiresAt!);
  expect(expires).toBeGreaterThanOrEqual(before + lifetimeMs);
  expect(expires).toBeLessThanOrEqual(Date.now() + lifetimeMs);
}
