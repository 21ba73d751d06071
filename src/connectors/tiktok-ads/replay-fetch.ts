/**
 * Test support: a `fetch` that replays recorded TikTok Marketing API payloads from `fixtures/`, so the connector
 * runs its real code path (URLs, headers, retries, parsing) against provider-shaped responses. It records every
 * request it receives so tests can check what went over the wire.
 */
import { readFileSync } from 'node:fs';
import type {
  CellValue,
  ConnectorEnvironment,
  HttpSettings,
  ProviderAccount,
  ReadHooks,
} from '../kit/types.ts';
import { createTiktokAdsConnector } from './connector.ts';

/** A recorded error fixture: `{"http_status", "body"}`. */
export interface ErrorFixture {
  http_status: number;
  body: unknown;
}

const fixturesDir = new URL('./fixtures/', import.meta.url);

/** Parsed JSON of `fixtures/<name>`. */
export function loadFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, fixturesDir), 'utf8')) as T;
}

/** What one replayed route answers. */
export interface ReplayAnswer {
  status?: number;
  /** A JSON value (serialised) or a raw string body. */
  body: unknown;
  raw?: boolean;
}

/** A request as the fake network saw it. */
export interface RecordedRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: string | undefined;
}

/** Answer for a JSON fixture file served with status 200. */
export function okFixture(name: string): ReplayAnswer {
  return { status: 200, body: loadFixture(name) };
}

/** Answer for an error fixture from `fixtures/errors/`. */
export function errorFixture(name: string): ReplayAnswer {
  const fixture = loadFixture<ErrorFixture>(`errors/${name}`);
  return { status: fixture.http_status, body: fixture.body };
}

/** Resolves a request to an answer (a list is served in turn, the last repeating); undefined is a 404. */
export type ReplayRoute = (request: RecordedRequest) => ReplayAnswer | ReplayAnswer[] | undefined;

/** Builds a replaying fetch around `route`. */
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
    // TikTok's answer for an unknown path (including a missing trailing slash).
    if (answer === undefined) return new Response('page not found', { status: 404 });
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
    const headers = new Headers({ 'content-type': chosen.raw ? 'text/html' : 'application/json' });
    return new Response(text, { status: chosen.status ?? 200, headers });
  };
  return { fetch: fakeFetch as typeof fetch, requests };
}

// ---- The recorded TikTok Marketing API, shared by the connector tests. ----

/** Short HTTP settings so retry tests run in milliseconds; quota waits are never slept through. */
export const http: HttpSettings = { timeoutMs: 2000, maxRetries: 2, retryBaseMs: 1, maxQuotaWaitMs: 0 };
/** Fake app credentials; tests assert none of them leaks into labels or messages. */
export const APP_ID = '7300000000000000099';
export const APP_SECRET = 'fixturesecret0123456789abcdef0123456789ab';
export const REAL_ENV = { TIKTOK_APP_ID: APP_ID, TIKTOK_APP_SECRET: APP_SECRET };
export const SANDBOX_URL = 'http://127.0.0.1:4400/sandbox/tiktok-ads';
export const TOKEN = { accessToken: 'fixture-access-token-abc123', scopes: [] as string[] };
export const CODE = 'fixture-auth-code-123';
export const REDIRECT = 'https://tributary.example.com/api/v1/oauth/callback';

/** The path under `/open_api/v1.3/`, with or without the sandbox prefix. */
export function apiPath(url: URL): string {
  return url.pathname.replace(/^\/sandbox\/tiktok-ads/, '').replace(/^\/open_api\/v1\.3\//, '');
}

/** The recorded Marketing API. `overrides` replace a `METHOD path/` (path under `/open_api/v1.3/`). */
export function tiktok(overrides: Record<string, ReplayAnswer | ReplayAnswer[]> = {}): ReplayRoute {
  return (request: RecordedRequest) => {
    const key = `${request.method} ${apiPath(request.url)}`;
    if (key in overrides) return overrides[key];
    if (key === 'POST oauth2/access_token/') return okFixture('oauth2_access_token_response.json');
    if (key === 'POST oauth2/revoke_token/') return { body: { code: 0, message: 'OK', data: {} } };
    if (!request.headers.get('access-token')) return errorFixture('error_40104_access_token_null.json');
    switch (key) {
      case 'GET user/info/':
        return okFixture('user_info_response.json');
      case 'GET oauth2/advertiser/get/':
        return okFixture('advertiser_get_response.json');
      case 'GET advertiser/info/':
        return okFixture('advertiser_info_response.json');
      default:
        return undefined;
    }
  };
}

/** Builds a connector (real mode by default) wired to a replaying fetch, plus the requests it sent. */
export function build(
  route: ReplayRoute,
  env: Record<string, string> = REAL_ENV,
  sandboxBaseUrl: () => string | null = () => null,
  httpSettings: Partial<HttpSettings> = {},
) {
  const replay = replayFetch(route);
  const environment: ConnectorEnvironment = {
    env,
    sandboxBaseUrl,
    http: { ...http, ...httpSettings },
    fetch: replay.fetch,
  };
  return { connector: createTiktokAdsConnector(environment), requests: replay.requests };
}

/** Drains discovery into an array of pages. */
export async function collect(pages: AsyncIterable<ProviderAccount[]>): Promise<ProviderAccount[][]> {
  const result: ProviderAccount[][] = [];
  for await (const page of pages) result.push(page);
  return result;
}

/** Drains a read into its pages. */
export async function drain(
  pages: AsyncIterable<Record<string, CellValue>[]>,
): Promise<Record<string, CellValue>[][]> {
  const result: Record<string, CellValue>[][] = [];
  for await (const page of pages) result.push(page);
  return result;
}

/** Hooks that record API calls and quota waits; `abort()` cancels the read. */
export function recordingHooks(): ReadHooks & {
  calls: number;
  waits: number[];
  abort(reason?: unknown): void;
} {
  const controller = new AbortController();
  const hooks = {
    calls: 0,
    waits: [] as number[],
    signal: controller.signal,
    onApiCall() {
      hooks.calls += 1;
    },
    onQuotaWait(ms: number) {
      hooks.waits.push(ms);
    },
    abort(reason?: unknown) {
      controller.abort(reason);
    },
  };
  return hooks;
}
