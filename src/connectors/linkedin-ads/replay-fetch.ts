/**
 * Test support: a `fetch` that replays recorded LinkedIn payloads from `fixtures/`, so the connector runs its real
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
  ReportRequest,
} from '../kit/types.ts';
import { createLinkedInAdsConnector } from './connector.ts';
import type { AnalyticsPlan } from './report-windows.ts';

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
  /** The query string exactly as sent (Rest.li structure unencoded). */
  query: string;
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
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(href);
    const request: RecordedRequest = {
      method: init?.method ?? 'GET',
      url,
      query: href.includes('?') ? href.slice(href.indexOf('?') + 1) : '',
      headers: new Headers(init?.headers),
      body: typeof init?.body === 'string' ? init.body : undefined,
    };
    requests.push(request);
    const answer = route(request);
    if (answer === undefined) {
      return Response.json({ status: 404, message: 'Not Found' }, { status: 404 });
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
    const headers = new Headers({
      'content-type': chosen.raw ? 'text/html' : 'application/json',
      ...chosen.headers,
    });
    return new Response(text, { status: chosen.status ?? 200, headers });
  };
  return { fetch: fakeFetch as typeof fetch, requests };
}

// ---- The recorded LinkedIn API, shared by the connector tests. ----

/** Short HTTP settings so retry tests run in milliseconds; quota waits are never slept through. */
export const http: HttpSettings = { timeoutMs: 2000, maxRetries: 2, retryBaseMs: 1, maxQuotaWaitMs: 0 };
/** Fake app credentials; tests assert none of them leaks into labels or messages. */
export const CLIENT_ID = '86fixtureclientid';
export const CLIENT_SECRET = 'fixtureSecret0123456789abcdefXYZ';
export const REAL_ENV = { LINKEDIN_CLIENT_ID: CLIENT_ID, LINKEDIN_CLIENT_SECRET: CLIENT_SECRET };
export const SANDBOX_URL = 'http://127.0.0.1:4400/sandbox/linkedin-ads';
export const TOKEN = { accessToken: 'AQVfixture-access-token-abc123', scopes: ['r_ads', 'r_ads_reporting'] };
export const CODE = 'fixture-auth-code-123';
export const REDIRECT = 'https://tributary.example.com/api/v1/oauth/callback';

/** `METHOD path` with the sandbox prefix and account ids taken out: `GET /rest/adAccounts/{id}/adCampaigns`. */
export function routeKey(request: RecordedRequest): string {
  const path = request.url.pathname
    .replace(/^\/sandbox\/linkedin-ads/, '')
    .replace(/^\/rest\/adAccounts\/\d+\//, '/rest/adAccounts/{id}/');
  return `${request.method} ${path}`;
}

/** The recorded LinkedIn API. `overrides` replace a route key (see {@link routeKey}). */
export function linkedin(overrides: Record<string, ReplayAnswer | ReplayAnswer[]> = {}): ReplayRoute {
  return (request: RecordedRequest) => {
    const key = routeKey(request);
    if (key in overrides) return overrides[key];
    if (key === 'POST /oauth/v2/accessToken') return okFixture('oauth_token_response_fields.json');
    if (key === 'POST /oauth/v2/revoke') return { body: '', raw: true };
    if (!request.headers.get('authorization')?.startsWith('Bearer ')) {
      return errorFixture('error_401_invalid_access_token.json');
    }
    switch (key) {
      case 'GET /v2/userinfo':
        return okFixture('userinfo_response.json');
      case 'GET /rest/adAccounts':
        return request.query.includes('pageToken=')
          ? okFixture('ad_accounts_cursor_page_2.json')
          : okFixture('ad_accounts_cursor_page_1.json');
      case 'GET /rest/adAccounts/{id}/adCampaigns':
        return okFixture('ad_campaigns_search_response.json');
      case 'GET /rest/adAccounts/{id}/adCampaignGroups':
        return okFixture('ad_campaign_groups_search_response.json');
      case 'GET /rest/adAccounts/{id}/creatives':
        return okFixture('creatives_criteria_response.json');
      default:
        return undefined;
    }
  };
}

/** Builds a connector (real mode by default) wired to a replaying fetch, plus the requests and plans it made. */
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
  const plans: { plan: AnalyticsPlan; request: ReportRequest }[] = [];
  const connector = createLinkedInAdsConnector(environment, {
    onPlan: (plan, request) => plans.push({ plan, request }),
  });
  return { connector, requests: replay.requests, plans };
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
