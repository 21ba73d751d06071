/**
 * Test helpers for the GA4 sandbox: builds a real fastify app with the sandbox host (only this provider) and
 * drives it with `inject` — the Google OAuth flow, service-account assertions signed with the committed keys,
 * Admin and Data API calls with a bearer token, and the control API. Used only by the `*.test.ts` files beside it.
 */
import { sign } from 'node:crypto';
import {
  approvedRedirect,
  getUrl,
  injectFault,
  localDateAt,
  pkcePair,
  postFormTo,
  postJsonTo,
  startTestSandbox,
  type TestSandbox,
} from '../../kit/sandbox-test-harness.ts';
import type { SandboxFault } from '../../kit/types.ts';
import { GOOGLE_TOKEN_URI, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from './constants.ts';
import { ga4Sandbox } from './index.ts';
import { keyFile } from './service-accounts.ts';

export * from '../../kit/sandbox-test-harness.ts';

/** The prefix the host mounts the sandbox at. */
export const BASE = '/sandbox/ga4';

/** Builds the sandbox host with only the GA4 provider. */
export function startSandbox(): Promise<TestSandbox> {
  return startTestSandbox(ga4Sandbox);
}

/** The redirect URI tests use; it has a query of its own, which the sandbox must keep. */
export const REDIRECT_URI = 'https://app.example.test/oauth/callback?source=ga4';

/** The scopes Tributary asks for. */
export const SCOPES = 'https://www.googleapis.com/auth/analytics.readonly openid email';

/** The consent page URL, as a connector would build it. */
export function authorizeUrl(extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({
    client_id: SANDBOX_CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope: SCOPES,
    access_type: 'offline',
    prompt: 'consent',
    state: 'state-123',
    ...extra,
  });
  return `${BASE}/o/oauth2/v2/auth?${params.toString()}`;
}

/** Approves the consent page as `email`; returns the redirect location. */
export async function approve(sandbox: TestSandbox, email: string, extra: Record<string, string> = {}) {
  return approvedRedirect(sandbox, authorizeUrl({ sandbox_approve: email, ...extra }));
}

/** POSTs a form to a sandbox path (relative to the prefix). */
export async function postForm(
  sandbox: TestSandbox,
  path: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return postFormTo(sandbox, `${BASE}${path}`, form, headers);
}

/** The authorization-code exchange with the sandbox client's credentials (overridable). */
export function exchangeCode(sandbox: TestSandbox, code: string, overrides: Record<string, string> = {}) {
  return postForm(sandbox, '/token', {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    client_id: SANDBOX_CLIENT_ID,
    client_secret: SANDBOX_CLIENT_SECRET,
    ...overrides,
  });
}

/** Runs the whole flow with PKCE for `email`; returns the token response. */
export async function login(
  sandbox: TestSandbox,
  email: string,
): Promise<{ access: string; refresh: string }> {
  const { verifier, challenge } = pkcePair();
  const location = await approve(sandbox, email, {
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  const exchanged = await exchangeCode(sandbox, location.searchParams.get('code')!, {
    code_verifier: verifier,
  });
  if (exchanged.status !== 200) throw new Error(`exchange: ${exchanged.text}`);
  return { access: exchanged.json.access_token, refresh: exchanged.json.refresh_token };
}

/** A JWT-bearer assertion signed with a committed sandbox key, with claims overridable. */
export function assertion(
  email: string,
  claims: Record<string, unknown> = {},
  header: Record<string, unknown> = {},
) {
  const key = keyFile(email)!;
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const head = encode({ alg: 'RS256', typ: 'JWT', kid: key.private_key_id, ...header });
  const body = encode({
    iss: key.client_email,
    scope: 'https://www.googleapis.com/auth/analytics.readonly',
    aud: GOOGLE_TOKEN_URI,
    iat: now,
    exp: now + 3600,
    ...claims,
  });
  return `${head}.${body}.${sign('RSA-SHA256', Buffer.from(`${head}.${body}`), key.private_key).toString('base64url')}`;
}

/** The JWT-bearer grant for a signed assertion. */
export function jwtGrant(sandbox: TestSandbox, signed: string) {
  return postForm(sandbox, '/token', {
    grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
    assertion: signed,
  });
}

/** An access token for a seeded service account. */
export async function serviceLogin(sandbox: TestSandbox, email: string): Promise<string> {
  const response = await jwtGrant(sandbox, assertion(email));
  if (response.status !== 200) throw new Error(`jwt grant: ${response.text}`);
  return response.json.access_token;
}

/** A GET with a bearer token (relative to the prefix). */
export function apiGet(sandbox: TestSandbox, path: string, token?: string) {
  return getUrl(sandbox, `${BASE}${path}`, token ? { authorization: `Bearer ${token}` } : {});
}

/** `runReport` on a property with a JSON body. */
export async function runReport(sandbox: TestSandbox, propertyId: string, body: unknown, token: string) {
  return postJsonTo(sandbox, `${BASE}/data/v1beta/properties/${propertyId}:runReport`, body, {
    authorization: `Bearer ${token}`,
  });
}

/** Queues a fault with the host's control API. */
export async function inject(sandbox: TestSandbox, fault: SandboxFault, count = 1): Promise<void> {
  await injectFault(sandbox, 'ga4', fault, count);
}

/** The property-local date (`YYYY-MM-DD`) of the sandbox clock, shifted by `days`. */
export function localDate(sandbox: TestSandbox, timeZone: string, days = 0): string {
  return localDateAt(sandbox.state.now(), timeZone, days);
}
