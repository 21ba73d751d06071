/**
 * Test helpers for the Meta Ads sandbox: boots a real fastify server with the sandbox host on a free
 * port, drives the OAuth flow and calls Graph (insights included) and the control API with real
 * `fetch`. Used only by the `*.test.ts` files beside it.
 */
import {
  type LoopbackTestSandbox,
  localDateAt,
  pkcePair,
  startLoopbackTestSandbox,
} from '../../kit/sandbox-test-harness.ts';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from './constants.ts';
import { metaAdsSandbox } from './index.ts';

export * from '../../kit/sandbox-test-harness.ts';

/** A running sandbox server (`origin` and `base` on 127.0.0.1). */
export type RunningSandbox = LoopbackTestSandbox;

/** Starts the sandbox host with only the Meta provider, on 127.0.0.1 and a free port. */
export function startSandbox(): Promise<RunningSandbox> {
  return startLoopbackTestSandbox(metaAdsSandbox);
}

/** The redirect URI tests use; it has a query of its own, which the sandbox must keep. */
export const REDIRECT_URI = 'https://app.example.test/oauth/callback?source=meta';

/** Options of {@link dialogUrl}. */
export interface DialogOptions {
  scopes?: string[];
  redirectUri?: string;
  state?: string;
  challenge?: string;
  clientId?: string;
  extra?: Record<string, string>;
}

/** The URL of the OAuth dialog, as a connector would build it. */
export function dialogUrl(sandbox: RunningSandbox, options: DialogOptions = {}): string {
  const params = new URLSearchParams({
    client_id: options.clientId ?? SANDBOX_CLIENT_ID,
    redirect_uri: options.redirectUri ?? REDIRECT_URI,
    state: options.state ?? 'state-123',
    response_type: 'code',
    scope: (options.scopes ?? ['ads_read', 'business_management', 'email']).join(','),
  });
  if (options.challenge) {
    params.set('code_challenge', options.challenge);
    params.set('code_challenge_method', 'S256');
  }
  for (const [name, value] of Object.entries(options.extra ?? {})) params.set(name, value);
  return `${sandbox.base}/v25.0/dialog/oauth?${params.toString()}`;
}

/** Approves the dialog as `email` and returns the redirect location. */
export async function approve(
  sandbox: RunningSandbox,
  email: string,
  options: DialogOptions = {},
): Promise<URL> {
  const response = await fetch(dialogUrl(sandbox, { ...options, extra: { sandbox_approve: email } }), {
    redirect: 'manual',
  });
  if (response.status !== 302) throw new Error(`approve: HTTP ${response.status} ${await response.text()}`);
  return new URL(response.headers.get('location')!);
}

/** A fetched response with its body read as text and, when possible, JSON. */
export interface Fetched {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests inspect arbitrary Graph JSON.
  json: any;
}

/** Fetches and reads the body. */
export async function get(url: string, init?: RequestInit): Promise<Fetched> {
  const response = await fetch(url, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Calls the token endpoint with the given parameters (the app's id and secret filled in). */
export function tokenRequest(sandbox: RunningSandbox, params: Record<string, string>): Promise<Fetched> {
  const query = new URLSearchParams({
    client_id: SANDBOX_CLIENT_ID,
    client_secret: SANDBOX_CLIENT_SECRET,
    ...params,
  });
  return get(`${sandbox.base}/v25.0/oauth/access_token?${query.toString()}`);
}

/** Runs the whole flow for `email` (dialog with PKCE, code exchange, long-lived exchange). */
export async function login(
  sandbox: RunningSandbox,
  email: string,
  scopes: string[] = ['ads_read', 'business_management', 'email'],
): Promise<{ shortToken: string; longToken: string }> {
  const { verifier, challenge } = pkcePair();
  const location = await approve(sandbox, email, { scopes, challenge });
  const exchanged = await tokenRequest(sandbox, {
    redirect_uri: REDIRECT_URI,
    code: location.searchParams.get('code')!,
    code_verifier: verifier,
  });
  if (exchanged.status !== 200) throw new Error(`code exchange: ${exchanged.text}`);
  const long = await tokenRequest(sandbox, {
    grant_type: 'fb_exchange_token',
    fb_exchange_token: exchanged.json.access_token,
  });
  if (long.status !== 200) throw new Error(`long-lived exchange: ${long.text}`);
  return { shortToken: exchanged.json.access_token, longToken: long.json.access_token };
}

/** A Graph GET with the token in the Authorization header. */
export function graph(
  sandbox: RunningSandbox,
  path: string,
  token?: string,
  init: RequestInit = {},
): Promise<Fetched> {
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  return get(`${sandbox.base}/v25.0${path}`, { ...init, headers });
}

/** Follows `paging.next` from `firstUrl` to the end; returns every page body. */
// biome-ignore lint/suspicious/noExplicitAny: pages are arbitrary Graph JSON.
export async function allPages(firstUrl: string, token: string): Promise<any[]> {
  const pages = [];
  let url: string | undefined = firstUrl;
  while (url) {
    const page = await get(url, { headers: { authorization: `Bearer ${token}` } });
    if (page.status !== 200) throw new Error(`paging: HTTP ${page.status} ${page.text}`);
    pages.push(page.json);
    url = page.json.paging?.next;
    if (pages.length > 1000) throw new Error('paging does not end');
  }
  return pages;
}

/** Query parameters of an insights call; objects and arrays are JSON-encoded, as clients send them. */
export type InsightsParams = Record<
  string,
  string | number | unknown[] | Record<string, unknown> | undefined
>;

/** Encodes insights parameters the way Graph clients do (JSON for lists and objects). */
export function insightsQuery(params: InsightsParams): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    query.set(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  return query.toString();
}

/** A sync insights call on `act_<accountId>`. */
export function insights(
  sandbox: RunningSandbox,
  accountId: string,
  params: InsightsParams,
  token: string,
  init: RequestInit = {},
): Promise<Fetched> {
  return graph(sandbox, `/act_${accountId}/insights?${insightsQuery(params)}`, token, init);
}

/** A row or page of Graph JSON, as tests inspect it. */
// biome-ignore lint/suspicious/noExplicitAny: tests inspect arbitrary Graph JSON.
export type GraphJson = any;

/** Every row of a sync insights report, following `paging.next`. */
export async function allRows(
  sandbox: RunningSandbox,
  accountId: string,
  params: InsightsParams,
  token: string,
): Promise<GraphJson[]> {
  const url = `${sandbox.base}/v25.0/act_${accountId}/insights?${insightsQuery(params)}`;
  return (await allPages(url, token)).flatMap((page) => page.data);
}

/** Calls the sandbox control API with a JSON body. */
export function control(sandbox: RunningSandbox, path: string, body?: unknown): Promise<Fetched> {
  return get(`${sandbox.origin}/sandbox/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** The account-local date (`YYYY-MM-DD`) of the sandbox clock, shifted by `days`. */
export async function localDate(sandbox: RunningSandbox, timeZone: string, days = 0): Promise<string> {
  const now = new Date((await control(sandbox, '_control/clock')).json.now);
  return localDateAt(now, timeZone, days);
}
