/**
 * Test helpers for the Google Ads sandbox: builds a real fastify app with the sandbox host (only this
 * provider) and drives it with `inject` — the OAuth flow with PKCE, Ads API calls with the bearer token and
 * `developer-token` header, and the control API. Used only by the `*.test.ts` files beside it.
 */
import {
  type Answer,
  approvedRedirect,
  injectFault,
  localDateAt,
  pkcePair,
  postFormTo,
  postJsonTo,
  startTestSandbox,
  type TestSandbox,
} from '../../kit/sandbox-test-harness.ts';
import type { SandboxFault } from '../../kit/types.ts';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_DEVELOPER_TOKEN } from './constants.ts';
import { googleAdsSandbox } from './index.ts';

export * from '../../kit/sandbox-test-harness.ts';

/** The prefix the host mounts the sandbox at, and the Ads API under it. */
export const BASE = '/sandbox/google-ads';
export const API = `${BASE}/v25`;

/** Scopes a connector asks for. */
export const SCOPES = 'https://www.googleapis.com/auth/adwords openid email';

/** Builds the sandbox host with only the Google Ads provider. */
export function startSandbox(): Promise<TestSandbox> {
  return startTestSandbox(googleAdsSandbox);
}

/** The redirect URI tests use; it has a query of its own, which the sandbox must keep. */
export const REDIRECT_URI = 'https://app.example.test/oauth/callback?source=google';

/** The consent page URL, as a connector builds it. */
export function authorizeUrl(extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({
    client_id: SANDBOX_CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: SCOPES,
    state: 'state-123',
    access_type: 'offline',
    prompt: 'consent',
    ...extra,
  });
  return `${BASE}/o/oauth2/v2/auth?${params.toString()}`;
}

/** Approves the consent page as `email`; returns the redirect location. */
export async function approve(
  sandbox: TestSandbox,
  email: string,
  extra: Record<string, string> = {},
): Promise<URL> {
  return approvedRedirect(sandbox, authorizeUrl({ sandbox_approve: email, ...extra }));
}

/** POSTs a form to a sandbox path (relative to the prefix). */
export async function postForm(
  sandbox: TestSandbox,
  path: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return postFormTo(sandbox, `${BASE}${path}`, form, headers);
}

/** Exchanges a code at `/token` with the sandbox client's credentials (overridable). */
export function exchange(sandbox: TestSandbox, code: string, overrides: Record<string, string> = {}) {
  return postForm(sandbox, '/token', {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    client_id: SANDBOX_CLIENT_ID,
    client_secret: SANDBOX_CLIENT_SECRET,
    ...overrides,
  });
}

/** Runs the whole flow (with PKCE) for `email`; returns the token response. */
// biome-ignore lint/suspicious/noExplicitAny: the token response is Google JSON.
export async function loginTokens(sandbox: TestSandbox, email: string): Promise<any> {
  const { verifier, challenge } = pkcePair();
  const location = await approve(sandbox, email, {
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  const exchanged = await exchange(sandbox, location.searchParams.get('code')!, { code_verifier: verifier });
  if (exchanged.status !== 200) throw new Error(`exchange: ${exchanged.text}`);
  return exchanged.json;
}

/** Runs the whole flow for `email`; returns the access token. */
export async function login(sandbox: TestSandbox, email: string): Promise<string> {
  return (await loginTokens(sandbox, email)).access_token;
}

/** The headers an Ads API call carries. */
export function adsHeaders(token: string, loginCustomerId?: string): Record<string, string> {
  return {
    authorization: `Bearer ${token}`,
    'developer-token': SANDBOX_DEVELOPER_TOKEN,
    ...(loginCustomerId ? { 'login-customer-id': loginCustomerId } : {}),
  };
}

/** POSTs JSON to an Ads API path (relative to `/v25/`). */
export async function adsPost(
  sandbox: TestSandbox,
  path: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<Answer> {
  return postJsonTo(sandbox, `${API}/${path}`, body, headers);
}

/** `googleAds:search` for a customer. */
export function search(
  sandbox: TestSandbox,
  customerId: string,
  body: unknown,
  headers: Record<string, string>,
) {
  return adsPost(sandbox, `customers/${customerId}/googleAds:search`, body, headers);
}

/** `googleAds:searchStream` for a customer. */
export function stream(
  sandbox: TestSandbox,
  customerId: string,
  query: string,
  headers: Record<string, string>,
) {
  return adsPost(sandbox, `customers/${customerId}/googleAds:searchStream`, { query }, headers);
}

/** A row of response JSON. */
// biome-ignore lint/suspicious/noExplicitAny: tests inspect arbitrary Google JSON.
export type Row = any;

/** Every row of a searchStream answer (all batches). */
export async function streamRows(
  sandbox: TestSandbox,
  customerId: string,
  query: string,
  headers: Record<string, string>,
): Promise<Row[]> {
  const response = await stream(sandbox, customerId, query, headers);
  if (response.status !== 200) throw new Error(`searchStream: HTTP ${response.status} ${response.text}`);
  return (response.json as { results?: Row[] }[]).flatMap((batch) => batch.results ?? []);
}

/** Queues a fault with the host's control API. */
export async function inject(sandbox: TestSandbox, fault: SandboxFault, count = 1): Promise<void> {
  await injectFault(sandbox, 'google-ads', fault, count);
}

/** The account-local date (`YYYY-MM-DD`) of the sandbox clock, shifted by `days`. */
export function localDate(sandbox: TestSandbox, timeZone: string, days = 0): string {
  return localDateAt(sandbox.state.now(), timeZone, days);
}
