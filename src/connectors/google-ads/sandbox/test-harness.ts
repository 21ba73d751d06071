/**
 * Test helpers for the Google Ads sandbox: builds a real fastify app with the sandbox host (only this
 * provider) and drives it with `inject` — the OAuth flow with PKCE, Ads API calls with the bearer token and
 * `developer-token` header, and the control API. Used only by the `*.test.ts` files beside it.
 */
import { createHash, randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerSandboxes, SandboxState } from '../../../sandbox/host.ts';
import type { SandboxFault } from '../../kit/types.ts';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, SANDBOX_DEVELOPER_TOKEN } from './constants.ts';
import { googleAdsSandbox } from './index.ts';

/** A sandbox state whose clock tests can move forward (code expiry, restatement). */
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

/** The prefix the host mounts the sandbox at, and the Ads API under it. */
export const BASE = '/sandbox/google-ads';
export const API = `${BASE}/v25`;

/** Scopes a connector asks for. */
export const SCOPES = 'https://www.googleapis.com/auth/adwords openid email';

/** Builds the sandbox host with only the Google Ads provider. */
export async function startSandbox(): Promise<TestSandbox> {
  const app = Fastify();
  const state = new MovableClockState();
  registerSandboxes(app, [googleAdsSandbox], state);
  await app.ready();
  return { app, state, close: () => app.close() };
}

/** The redirect URI tests use; it has a query of its own, which the sandbox must keep. */
export const REDIRECT_URI = 'https://app.example.test/oauth/callback?source=google';

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

/** A PKCE verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

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

/** GETs any sandbox URL. */
export async function getUrl(
  sandbox: TestSandbox,
  url: string,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return answer(await sandbox.app.inject({ method: 'GET', url, headers }));
}

/** Approves the consent page as `email`; returns the redirect location. */
export async function approve(
  sandbox: TestSandbox,
  email: string,
  extra: Record<string, string> = {},
): Promise<URL> {
  const response = await getUrl(sandbox, authorizeUrl({ sandbox_approve: email, ...extra }));
  if (response.status !== 302) throw new Error(`approve: HTTP ${response.status} ${response.text}`);
  return new URL(String(response.headers.location));
}

/** POSTs a form to a sandbox path (relative to the prefix). */
export async function postForm(
  sandbox: TestSandbox,
  path: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return answer(
    await sandbox.app.inject({
      method: 'POST',
      url: `${BASE}${path}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: new URLSearchParams(form).toString(),
    }),
  );
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
  return answer(
    await sandbox.app.inject({
      method: 'POST',
      url: `${API}/${path}`,
      headers: { 'content-type': 'application/json', ...headers },
      payload: JSON.stringify(body),
    }),
  );
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
  const response = await sandbox.app.inject({
    method: 'POST',
    url: '/sandbox/_control/faults',
    payload: { provider: 'google-ads', fault, count },
  });
  if (response.statusCode !== 201) throw new Error(`fault: ${response.body}`);
}

/** The account-local date (`YYYY-MM-DD`) of the sandbox clock, shifted by `days`. */
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
