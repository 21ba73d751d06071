/**
 * Test helpers for the LinkedIn Ads sandbox: builds a real fastify app with the sandbox host (only this
 * provider) and drives it with `inject` — the OAuth flow (form-encoded token calls), `/rest` calls with the
 * bearer token and the version headers, and the control API. Used only by the `*.test.ts` files beside it.
 */
import {
  type Answer,
  approvedRedirect,
  getUrl,
  injectFault,
  postFormTo,
  startTestSandbox,
  type TestSandbox,
} from '../../kit/sandbox-test-harness.ts';
import type { SandboxFault } from '../../kit/types.ts';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from './constants.ts';
import { linkedinAdsSandbox } from './index.ts';

export * from '../../kit/sandbox-test-harness.ts';

/** The prefix the host mounts the sandbox at. */
export const BASE = '/sandbox/linkedin-ads';

/** Builds the sandbox host with only the LinkedIn provider. */
export function startSandbox(): Promise<TestSandbox> {
  return startTestSandbox(linkedinAdsSandbox);
}

/** The redirect URI tests use; it has a query of its own, which the sandbox must keep. */
export const REDIRECT_URI = 'https://app.example.test/oauth/callback?source=linkedin';

/** The scopes the connector asks for. */
export const SCOPES = 'r_ads r_ads_reporting openid profile email';

/** The consent page URL, as a connector would build it. */
export function authorizeUrl(extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: SANDBOX_CLIENT_ID,
    redirect_uri: REDIRECT_URI,
    state: 'state-123',
    scope: SCOPES,
    ...extra,
  });
  return `${BASE}/oauth/v2/authorization?${params.toString()}`;
}

/** Approves the consent page as `email`; returns the redirect location. */
export async function approve(
  sandbox: TestSandbox,
  email: string,
  extra: Record<string, string> = {},
): Promise<URL> {
  return approvedRedirect(sandbox, authorizeUrl({ sandbox_approve: email, ...extra }));
}

/** POSTs a form to an OAuth endpoint (`accessToken`, `introspectToken`, `revoke`). */
export async function postForm(
  sandbox: TestSandbox,
  endpoint: string,
  form: Record<string, string>,
): Promise<Answer> {
  return postFormTo(sandbox, `${BASE}/oauth/v2/${endpoint}`, form);
}

/** Exchanges a code with the sandbox app's credentials (overridable). */
export function exchange(sandbox: TestSandbox, code: string, overrides: Record<string, string> = {}) {
  return postForm(sandbox, 'accessToken', {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    client_id: SANDBOX_CLIENT_ID,
    client_secret: SANDBOX_CLIENT_SECRET,
    ...overrides,
  });
}

/** Refreshes with the sandbox app's credentials. */
export function refresh(sandbox: TestSandbox, refreshToken: string) {
  return postForm(sandbox, 'accessToken', {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: SANDBOX_CLIENT_ID,
    client_secret: SANDBOX_CLIENT_SECRET,
  });
}

/** Runs the whole flow for `email`; returns the token response body. */
export async function loginTokens(
  sandbox: TestSandbox,
  email: string,
  extra: Record<string, string> = {},
): Promise<{
  access_token: string;
  refresh_token: string;
  scope: string;
  expires_in: number;
  refresh_token_expires_in: number;
}> {
  const location = await approve(sandbox, email, extra);
  const exchanged = await exchange(sandbox, location.searchParams.get('code')!);
  if (exchanged.status !== 200) throw new Error(`exchange: ${exchanged.text}`);
  return exchanged.json;
}

/** Runs the whole flow for `email`; returns the access token. */
export async function login(sandbox: TestSandbox, email: string): Promise<string> {
  return (await loginTokens(sandbox, email)).access_token;
}

/** The headers every `/rest` call needs. */
export function restHeaders(token: string, version = '202511'): Record<string, string> {
  return {
    authorization: `Bearer ${token}`,
    'linkedin-version': version,
    'x-restli-protocol-version': '2.0.0',
  };
}

/**
 * A `/rest` GET. `query` is written as given (Rest.li values must keep their literal parentheses, commas
 * and colons; URNs inside lists are encoded by the caller with {@link urnList}).
 */
export function rest(
  sandbox: TestSandbox,
  path: string,
  query: string,
  token: string,
  headers: Record<string, string> = restHeaders(token),
): Promise<Answer> {
  return getUrl(sandbox, `${BASE}/rest${path}${query ? `?${query}` : ''}`, headers);
}

/** `List(urn%3Ali%3A…)` of URNs, encoded the Rest.li 2.0 way. */
export function urnList(urns: string[]): string {
  return `List(${urns.map((urn) => encodeURIComponent(urn)).join(',')})`;
}

/** A Rest.li date record `(year:2025,month:1,day:2)` of a `YYYY-MM-DD` string. */
export function restliDate(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return `(year:${year},month:${month},day:${day})`;
}

/** An analytics query string. */
export function analyticsQuery(options: {
  pivot?: string;
  granularity?: string;
  from: string;
  to?: string;
  accounts?: number[];
  fields?: string[];
  extra?: string;
}): string {
  const range = options.to
    ? `(start:${restliDate(options.from)},end:${restliDate(options.to)})`
    : `(start:${restliDate(options.from)})`;
  const parts = [
    'q=analytics',
    `pivot=${options.pivot ?? 'CAMPAIGN'}`,
    `timeGranularity=${options.granularity ?? 'DAILY'}`,
    `dateRange=${range}`,
  ];
  if (options.accounts)
    parts.push(`accounts=${urnList(options.accounts.map((id) => `urn:li:sponsoredAccount:${id}`))}`);
  if (options.fields) parts.push(`fields=${options.fields.join(',')}`);
  if (options.extra) parts.push(options.extra);
  return parts.join('&');
}

/** Queues a fault with the host's control API. */
export async function inject(sandbox: TestSandbox, fault: SandboxFault, count = 1): Promise<void> {
  await injectFault(sandbox, 'linkedin-ads', fault, count);
}

/** The UTC date (`YYYY-MM-DD`) of the sandbox clock, shifted by `days`. */
export function utcDate(sandbox: TestSandbox, days = 0): string {
  return new Date(sandbox.state.now().getTime() + days * 86_400_000).toISOString().slice(0, 10);
}

/** An exact decimal string (`"209.449"`) in thousandths, without floating-point rounding. */
export function thousandths(amount: string): number {
  const [whole = '0', fraction = ''] = amount.split('.');
  return Number(whole) * 1000 + Number(fraction.padEnd(3, '0').slice(0, 3));
}
