/**
 * Test helpers for the TikTok Ads sandbox: builds a real fastify app with the sandbox host (only this
 * provider) and drives it with `inject` — the OAuth flow, Marketing API calls with the `Access-Token`
 * header, and the control API. Used only by the `*.test.ts` files beside it.
 */
import {
  type Answer,
  approvedRedirect,
  getUrl,
  injectFault,
  localDateAt,
  postJsonTo,
  startTestSandbox,
  type TestSandbox,
} from '../../kit/sandbox-test-harness.ts';
import type { SandboxFault } from '../../kit/types.ts';
import { SANDBOX_APP_ID, SANDBOX_APP_SECRET } from './constants.ts';
import { tiktokAdsSandbox } from './index.ts';

export * from '../../kit/sandbox-test-harness.ts';

/** The prefix the host mounts the sandbox at. */
export const BASE = '/sandbox/tiktok-ads';
/** The API prefix under it. */
export const API = `${BASE}/open_api/v1.3`;

/** Builds the sandbox host with only the TikTok provider. */
export function startSandbox(): Promise<TestSandbox> {
  return startTestSandbox(tiktokAdsSandbox);
}

/** The redirect URI tests use; it has a query of its own, which the sandbox must keep. */
export const REDIRECT_URI = 'https://app.example.test/oauth/callback?source=tiktok';

/** The authorization page URL, as a connector would build it. */
export function authorizeUrl(extra: Record<string, string> = {}, appId = SANDBOX_APP_ID): string {
  const params = new URLSearchParams({
    app_id: appId,
    state: 'state-123',
    redirect_uri: REDIRECT_URI,
    ...extra,
  });
  return `${BASE}/portal/auth?${params.toString()}`;
}

/** Approves the authorization page as `email`; returns the redirect location. */
export async function approve(sandbox: TestSandbox, email: string): Promise<URL> {
  return approvedRedirect(sandbox, authorizeUrl({ sandbox_approve: email }));
}

/** POSTs JSON to an API path (relative to `/open_api/v1.3`). */
export async function post(sandbox: TestSandbox, path: string, body: unknown): Promise<Answer> {
  return postJsonTo(sandbox, `${API}${path}`, body);
}

/** Exchanges an auth code with the sandbox app's credentials (overridable). */
export function exchange(sandbox: TestSandbox, authCode: string, overrides: Record<string, string> = {}) {
  return post(sandbox, '/oauth2/access_token/', {
    app_id: SANDBOX_APP_ID,
    secret: SANDBOX_APP_SECRET,
    auth_code: authCode,
    ...overrides,
  });
}

/** Runs the whole flow for `email`; returns the access token. */
export async function login(sandbox: TestSandbox, email: string): Promise<string> {
  const location = await approve(sandbox, email);
  const exchanged = await exchange(sandbox, location.searchParams.get('auth_code')!);
  if (exchanged.json?.code !== 0) throw new Error(`exchange: ${exchanged.text}`);
  return exchanged.json.data.access_token;
}

/** Query values; arrays are JSON-encoded as TikTok clients send them. */
export type Params = Record<string, string | number | boolean | unknown[] | undefined>;

/** Encodes query parameters the TikTok way (JSON for lists). */
export function query(params: Params): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    search.set(name, Array.isArray(value) ? JSON.stringify(value) : String(value));
  }
  return search.toString();
}

/** A Marketing API GET with the token in the `Access-Token` header. */
export function api(sandbox: TestSandbox, path: string, params: Params, token?: string): Promise<Answer> {
  const qs = query(params);
  return getUrl(sandbox, `${API}${path}${qs ? `?${qs}` : ''}`, token ? { 'access-token': token } : {});
}

/** A report call. */
export function report(sandbox: TestSandbox, params: Params, token: string): Promise<Answer> {
  return api(sandbox, '/report/integrated/get/', params, token);
}

/** A row of report JSON. */
// biome-ignore lint/suspicious/noExplicitAny: tests inspect arbitrary TikTok JSON.
export type Row = any;

/** Every row of a report, page by page until `page == total_page`. */
export async function allRows(sandbox: TestSandbox, params: Params, token: string): Promise<Row[]> {
  const rows: Row[] = [];
  for (let page = 1; ; page += 1) {
    const response = await report(sandbox, { page_size: 1000, ...params, page }, token);
    if (response.json?.code !== 0) throw new Error(`report: ${response.text}`);
    rows.push(...response.json.data.list);
    if (page >= response.json.data.page_info.total_page) return rows;
  }
}

/** Queues a fault with the host's control API. */
export async function inject(sandbox: TestSandbox, fault: SandboxFault, count = 1): Promise<void> {
  await injectFault(sandbox, 'tiktok-ads', fault, count);
}

/** The advertiser-local date (`YYYY-MM-DD`) of the sandbox clock, shifted by `days`. */
export function localDate(sandbox: TestSandbox, timeZone: string, days = 0): string {
  return localDateAt(sandbox.state.now(), timeZone, days);
}
