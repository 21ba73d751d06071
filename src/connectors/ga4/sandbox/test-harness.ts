/**
 * Test helpers for the GA4 sandbox: builds a real fastify app with the sandbox host (only this provider) and
 * drives it with `inject` — the Google OAuth flow, service-account assertions signed with the committed keys,
 * Admin and Data API calls with a bearer token, and the control API. Used only by the `*.test.ts` files beside it.
 */
import { createHash, randomBytes, sign } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerSandboxes, SandboxState } from '../../../sandbox/host.ts';
import type { SandboxFault } from '../../kit/types.ts';
import { GOOGLE_TOKEN_URI, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from './constants.ts';
import { ga4Sandbox } from './index.ts';
import { keyFile } from './service-accounts.ts';

/** A sandbox state whose clock tests can move forward (restatement, quota windows). */
export class MovableClockState extends SandboxState {
  advance(ms: number): void {
    this.advanceClock(ms);
  }
}

/** A sandbox app, ready for `inject`. */
export interface TestSandbox {
  app: FastifyInstance;
  state: MovableClockState;
  close(): Promise<void>;
}

/** The prefix the host mounts the sandbox at. */
export const BASE = '/sandbox/ga4';

/** Builds the sandbox host with only the GA4 provider. */
export async function startSandbox(): Promise<TestSandbox> {
  const app = Fastify();
  const state = new MovableClockState();
  registerSandboxes(app, [ga4Sandbox], state);
  await app.ready();
  return { app, state, close: () => app.close() };
}

/** The redirect URI tests use; it has a query of its own, which the sandbox must keep. */
export const REDIRECT_URI = 'https://app.example.test/oauth/callback?source=ga4';

/** The scopes Tributary asks for. */
export const SCOPES = 'https://www.googleapis.com/auth/analytics.readonly openid email';

/** A response with its body read as text and, when possible, JSON. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests inspect arbitrary Google JSON.
  json: any;
}

function answer(response: { statusCode: number; headers: Answer['headers']; body: string }): Answer {
  let json: unknown;
  try {
    json = JSON.parse(response.body);
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, headers: response.headers, text: response.body, json };
}

/** A PKCE pair (S256). */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

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

/** GETs any sandbox URL. */
export async function getUrl(sandbox: TestSandbox, url: string, headers: Record<string, string> = {}) {
  return answer(await sandbox.app.inject({ method: 'GET', url, headers }));
}

/** Approves the consent page as `email`; returns the redirect location. */
export async function approve(sandbox: TestSandbox, email: string, extra: Record<string, string> = {}) {
  const response = await getUrl(sandbox, authorizeUrl({ sandbox_approve: email, ...extra }));
  if (response.status !== 302) throw new Error(`approve: HTTP ${response.status} ${response.text}`);
  return new URL(String(response.headers.location));
}

/** POSTs a form to a sandbox path (relative to the prefix). */
export async function postForm(
  sandbox: TestSandbox,
  path: string,
  form: Record<string, string>,
  headers = {},
) {
  return answer(
    await sandbox.app.inject({
      method: 'POST',
      url: `${BASE}${path}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: new URLSearchParams(form).toString(),
    }),
  );
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
  return answer(
    await sandbox.app.inject({
      method: 'POST',
      url: `${BASE}/data/v1beta/properties/${propertyId}:runReport`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    }),
  );
}

/** Queues a fault with the host's control API. */
export async function inject(sandbox: TestSandbox, fault: SandboxFault, count = 1): Promise<void> {
  const response = await sandbox.app.inject({
    method: 'POST',
    url: '/sandbox/_control/faults',
    payload: { provider: 'ga4', fault, count },
  });
  if (response.statusCode !== 201) throw new Error(`fault: ${response.body}`);
}

/** The property-local date (`YYYY-MM-DD`) of the sandbox clock, shifted by `days`. */
export function localDate(sandbox: TestSandbox, timeZone: string, days = 0): string {
  const local = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const today = new Date(`${local.format(sandbox.state.now())}T00:00:00Z`);
  return new Date(today.getTime() + days * 86_400_000).toISOString().slice(0, 10);
}
