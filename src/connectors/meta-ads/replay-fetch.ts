/**
 * Test support: a `fetch` that replays recorded Graph API payloads from `fixtures/`, so the connector runs
 * its real code path (URLs, headers, retries, parsing) against provider-shaped responses. It records every
 * request it receives so tests can check what went over the wire.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { ConnectorEnvironment, ProviderAccount } from '../kit/types.ts';
import { createMetaAdsConnector } from './connector.ts';

/** A recorded error fixture: `{"http_status", "headers"?, "body"}`. */
export interface ErrorFixture {
  http_status: number;
  headers?: Record<string, string>;
  body: unknown;
}

const fixturesDir = new URL('./fixtures/', import.meta.url);

/** Parsed JSON of `fixtures/<name>`. */
export function loadFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, fixturesDir), 'utf8')) as T;
}

/** File names in `fixtures/errors/`. */
export function errorFixtureNames(): string[] {
  return readdirSync(new URL('errors/', fixturesDir))
    .filter((name) => name.endsWith('.json'))
    .sort();
}

/** What one replayed route answers. */
export interface ReplayAnswer {
  status?: number;
  headers?: Record<string, string>;
  /** A JSON value (serialised) or a raw string body. */
  body: unknown;
  raw?: boolean;
}

/** A request as the fake network saw it. */
export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Headers;
  /** The request body when it was sent as a string (form-encoded POSTs). */
  body: string | undefined;
}

/** Answer for a JSON fixture file served with status 200. */
export function okFixture(name: string): ReplayAnswer {
  return { status: 200, body: loadFixture(name) };
}

/** Answer for an error fixture from `fixtures/errors/`. */
export function errorFixture(name: string): ReplayAnswer {
  const fixture = loadFixture<ErrorFixture>(`errors/${name}`);
  return { status: fixture.http_status, headers: fixture.headers ?? {}, body: fixture.body };
}

/** Resolves a request to an answer; return undefined for "no such route" (answered with a Graph 404-ish 400). */
export type ReplayRoute = (request: RecordedRequest) => ReplayAnswer | ReplayAnswer[] | undefined;

/**
 * Builds a replaying fetch. `route` may return a list of answers to serve in turn for repeated calls to the
 * same `METHOD path` (the last one repeats), which is how retry sequences are replayed.
 */
export function replayFetch(route: ReplayRoute): { fetch: typeof fetch; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const served = new Map<string, number>();
  const fakeFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const request: RecordedRequest = {
      method: init?.method ?? 'GET',
      url,
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : undefined,
    };
    requests.push(request);
    const answer = route(request);
    if (answer === undefined) {
      return Response.json(
        {
          error: { message: `Unknown path components: ${url.pathname}`, type: 'OAuthException', code: 2500 },
        },
        { status: 400 },
      );
    }
    let chosen: ReplayAnswer;
    if (Array.isArray(answer)) {
      const key = `${request.method} ${url.pathname}`;
      const index = served.get(key) ?? 0;
      served.set(key, index + 1);
      chosen = answer[Math.min(index, answer.length - 1)]!;
    } else {
      chosen = answer;
    }
    const text = chosen.raw ? String(chosen.body) : JSON.stringify(chosen.body);
    const headers = new Headers(chosen.headers);
    if (!headers.has('content-type'))
      headers.set('content-type', chosen.raw ? 'text/html' : 'application/json');
    return new Response(text, { status: chosen.status ?? 200, headers });
  };
  return { fetch: fakeFetch as typeof fetch, requests };
}

// ---- The recorded Meta Graph API, shared by the connector tests. ----

/** Short HTTP settings so retry tests run in milliseconds; quota waits are never slept through. */
export const http = { timeoutMs: 2000, maxRetries: 2, retryBaseMs: 1, maxQuotaWaitMs: 0 };
/** Fake app credentials and user secrets; tests assert none of them leaks into labels or messages. */
export const APP_ID = '900000000000042';
export const APP_SECRET = 'fixture-app-secret-never-log';
export const REAL_ENV = { META_APP_ID: APP_ID, META_APP_SECRET: APP_SECRET };
export const SANDBOX_URL = 'http://127.0.0.1:4400/sandbox/meta-ads';
export const SHORT_TOKEN = loadFixture<{ access_token: string }>(
  'oauth_code_exchange_response.json',
).access_token;
export const LONG_TOKEN = loadFixture<{ access_token: string }>(
  'oauth_long_lived_token_response.json',
).access_token;
export const TOKEN = { accessToken: 'EAAfixtureLongLivedToken987654321', scopes: ['ads_read'] };
export const CODE = 'fixture-authorization-code-123';
export const VERIFIER = 'fixture-pkce-verifier-abcdefghijklmnopqrstuvwxyz0123456789';
export const REDIRECT = 'https://tributary.example.com/api/v1/oauth/callback';

/** Meta's answer to a Graph call without a token. */
export const NO_TOKEN: ReplayAnswer = {
  status: 400,
  body: {
    error: {
      message: 'An active access token must be used to query information about the current user.',
      type: 'OAuthException',
      code: 2500,
    },
  },
};

/**
 * The recorded Graph API, by path (with or without the sandbox prefix). `overrides` replace a
 * `METHOD /path` (path without the version) with other answers.
 */
export function graph(overrides: Record<string, ReplayAnswer | ReplayAnswer[]> = {}): ReplayRoute {
  return (request: RecordedRequest) => {
    const path = request.url.pathname.replace(/^\/sandbox\/meta-ads/, '').replace(/^\/v25\.0/, '');
    const key = `${request.method} ${path}`;
    if (key in overrides) return overrides[key];
    if (path === '/oauth/access_token') {
      return request.url.searchParams.get('grant_type') === 'fb_exchange_token'
        ? okFixture('oauth_long_lived_token_response.json')
        : okFixture('oauth_code_exchange_response.json');
    }
    if (!request.headers.get('authorization')?.startsWith('Bearer ')) return NO_TOKEN;
    switch (key) {
      case 'GET /me':
        return okFixture('me_response.json');
      case 'GET /me/permissions':
        return okFixture('me_permissions_response.json');
      case 'GET /me/adaccounts':
        return request.url.searchParams.has('after')
          ? okFixture('adaccounts_last_page.json')
          : okFixture('adaccounts_page.json');
      case 'DELETE /me/permissions':
        return { body: { success: true } };
      default:
        return undefined;
    }
  };
}

/** A real-mode connector (by default) wired to a replaying fetch, plus the requests it sent. */
export function build(
  route: ReplayRoute,
  env: Record<string, string> = REAL_ENV,
  sandboxBaseUrl: () => string | null = () => null,
) {
  const replay = replayFetch(route);
  const environment: ConnectorEnvironment = { env, sandboxBaseUrl, http, fetch: replay.fetch };
  return { connector: createMetaAdsConnector(environment), requests: replay.requests };
}

/** Drains discovery into an array of pages. */
export async function collect(pages: AsyncIterable<ProviderAccount[]>): Promise<ProviderAccount[][]> {
  const result: ProviderAccount[][] = [];
  for await (const page of pages) result.push(page);
  return result;
}

/** The recorded first accounts page with its `paging.next` replaced. */
export function withPaging(next: string): ReplayAnswer {
  const page = loadFixture<{ paging: Record<string, unknown> }>('adaccounts_page.json');
  return { body: { ...page, paging: { ...page.paging, next } } };
}
