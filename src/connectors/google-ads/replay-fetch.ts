/**
 * Test support: a `fetch` that replays recorded Google payloads from `fixtures/`, so the connector runs its real
 * code path (URLs, headers, retries, parsing) against provider-shaped responses. It records every request it
 * receives so tests can check what went over the wire.
 */
import { readFileSync } from 'node:fs';
import type {
  CellValue,
  ConnectorEnvironment,
  HttpSettings,
  ProviderAccount,
  ReadHooks,
} from '../kit/types.ts';
import { createGoogleAdsConnector } from './connector.ts';

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
  headers?: Record<string, string>;
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
    // Google's front end answers an unknown path with an HTML 404.
    if (answer === undefined) return new Response('<html>404 Not Found</html>', { status: 404 });
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
    const headers = new Headers({
      'content-type': chosen.raw ? 'text/html' : 'application/json',
      ...chosen.headers,
    });
    return new Response(text, { status: chosen.status ?? 200, headers });
  };
  return { fetch: fakeFetch as typeof fetch, requests };
}

// ---- The recorded Google APIs, shared by the connector tests. ----

/** Short HTTP settings so retry tests run in milliseconds; quota waits are never slept through. */
export const http: HttpSettings = { timeoutMs: 2000, maxRetries: 2, retryBaseMs: 1, maxQuotaWaitMs: 0 };
/** Fake app credentials; tests assert none of them leaks into labels or messages. */
export const CLIENT_ID = '123456789012-fixture.apps.googleusercontent.com';
export const CLIENT_SECRET = 'GOCSPX-fixture-secret-0123456789';
export const DEVELOPER_TOKEN = 'fixtureDevToken0123456789';
export const REAL_ENV = {
  GOOGLE_ADS_CLIENT_ID: CLIENT_ID,
  GOOGLE_ADS_CLIENT_SECRET: CLIENT_SECRET,
  GOOGLE_ADS_DEVELOPER_TOKEN: DEVELOPER_TOKEN,
};
export const SANDBOX_URL = 'http://127.0.0.1:4400/sandbox/google-ads';
export const TOKEN = {
  accessToken: 'ya29.fixture-access-token-0001',
  refreshToken: '1//fixture-refresh-token-0001',
  scopes: [] as string[],
};
export const CODE = '4/0fixture-auth-code';
export const REDIRECT = 'https://tributary.example.com/api/v1/oauth/callback';

/** `host + path` without the sandbox prefix, e.g. `googleads.googleapis.com/v25/customers:listAccessibleCustomers`. */
export function routeKey(request: RecordedRequest): string {
  return `${request.method} ${request.url.host}${request.url.pathname}`;
}

/** The search fixture of a hierarchy query against `customers/<id>` (page by `pageToken`). */
function hierarchyAnswer(request: RecordedRequest, id: string): ReplayAnswer | undefined {
  const body = JSON.parse(request.body ?? '{}') as { pageToken?: string };
  if (id === '5550001111') {
    return okFixture(
      body.pageToken ? 'customer_client_search_page2.json' : 'customer_client_search_page1.json',
    );
  }
  if (id === '5550003333') return okFixture('customer_client_search_submanager.json');
  if (id === '5550004444') return okFixture('customer_client_search_direct_client.json');
  return undefined;
}

/** The recorded Google endpoints. `overrides` replace a `METHOD host/path` key. */
export function google(overrides: Record<string, ReplayAnswer | ReplayAnswer[]> = {}): ReplayRoute {
  return (request: RecordedRequest) => {
    const key = routeKey(request);
    if (key in overrides) return overrides[key];
    if (key === 'POST oauth2.googleapis.com/token') {
      const grant = new URLSearchParams(request.body ?? '').get('grant_type');
      return okFixture(
        grant === 'refresh_token' ? 'oauth_refresh_response.json' : 'oauth_token_response.json',
      );
    }
    if (key === 'POST oauth2.googleapis.com/revoke') return { body: {} };
    if (!request.headers.get('authorization'))
      return errorFixture('error_401_unauthenticated_no_failure.json');
    if (key === 'GET openidconnect.googleapis.com/v1/userinfo') return okFixture('userinfo_response.json');
    if (key === 'GET googleads.googleapis.com/v25/customers:listAccessibleCustomers') {
      return okFixture('list_accessible_customers_response.json');
    }
    const search = /^POST googleads\.googleapis\.com\/v25\/customers\/(\d+)\/googleAds:search$/.exec(key);
    if (search) return hierarchyAnswer(request, search[1]!);
    if (/^POST googleads\.googleapis\.com\/v25\/customers\/\d+\/googleAds:searchStream$/.test(key)) {
      return okFixture('search_stream_campaign_daily.json');
    }
    return undefined;
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
  return { connector: createGoogleAdsConnector(environment), requests: replay.requests };
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

/** Hooks that record API calls and quota waits. */
export function recordingHooks(): ReadHooks & { calls: number; waits: number[] } {
  const hooks = {
    calls: 0,
    waits: [] as number[],
    signal: new AbortController().signal,
    onApiCall() {
      hooks.calls += 1;
    },
    onQuotaWait(ms: number) {
      hooks.waits.push(ms);
    },
  };
  return hooks;
}
