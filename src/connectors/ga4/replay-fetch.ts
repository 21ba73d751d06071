/**
 * Test support: a `fetch` that replays recorded and constructed Google payloads from `fixtures/`, so the connector
 * runs its real code path (URLs, headers, bodies, retries, parsing) against provider-shaped responses. It records
 * every request it receives so tests can check what went over the wire. Also a throwaway RSA key in the shape of a
 * Google service-account key file.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type {
  CellValue,
  ConnectorEnvironment,
  HttpSettings,
  ProviderAccount,
  ReadHooks,
  ReportRequest,
} from '../kit/types.ts';
import { createGa4Connector } from './connector.ts';
import { createGa4Extraction } from './extraction.ts';
import { findGa4Template } from './templates.ts';

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

/** Answer for a JSON fixture served with status 200. */
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
    if (answer === undefined) {
      const notFound = { error: { code: 404, message: `Not found: ${url.pathname}`, status: 'NOT_FOUND' } };
      return new Response(JSON.stringify(notFound), { status: 404 });
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
      'content-type': chosen.raw ? 'text/html' : 'application/json; charset=UTF-8',
    });
    return new Response(text, { status: chosen.status ?? 200, headers });
  };
  return { fetch: fakeFetch as typeof fetch, requests };
}

// ---- The recorded Google endpoints, shared by the connector tests. ----

/** Short HTTP settings so retry tests run in milliseconds; quota waits are never slept through. */
export const http: HttpSettings = { timeoutMs: 2000, maxRetries: 2, retryBaseMs: 1, maxQuotaWaitMs: 0 };
/** Fake OAuth client; tests assert the secret never leaks into labels or messages. */
export const CLIENT_ID = '123456789012-fixture.apps.googleusercontent.com';
export const CLIENT_SECRET = 'GOCSPX-fixture-secret-0123456789';
export const REAL_ENV = { GA4_CLIENT_ID: CLIENT_ID, GA4_CLIENT_SECRET: CLIENT_SECRET };
export const SANDBOX_URL = 'http://127.0.0.1:4400/sandbox/ga4';
export const TOKEN = {
  accessToken: 'ya29.fixture-access-token-0001',
  refreshToken: '1//fixture-refresh-token-0001',
  scopes: [] as string[],
};
export const CODE = '4/0fixture-auth-code';
export const REDIRECT = 'https://tributary.example.com/api/v1/oauth/callback';

/**
 * The route name of a request, whatever the host: `POST token`, `POST revoke`, `GET userinfo`,
 * `GET accountSummaries`, `GET properties`, `POST runReport`.
 */
export function routeOf(request: RecordedRequest): string {
  const path = request.url.pathname.replace(/^\/sandbox\/ga4/, '');
  if (path.endsWith(':runReport')) return `${request.method} runReport`;
  const last = path.split('/').pop() ?? '';
  return `${request.method} ${last}`;
}

/** The recorded Google APIs. `overrides` replace a route (see {@link routeOf}). */
export function google(overrides: Record<string, ReplayAnswer | ReplayAnswer[]> = {}): ReplayRoute {
  return (request) => {
    const key = routeOf(request);
    if (key in overrides) return overrides[key];
    if (key === 'POST token') {
      const grant = new URLSearchParams(request.body ?? '').get('grant_type');
      if (grant === 'refresh_token') return okFixture('oauth_refresh_response.json');
      if (grant === 'authorization_code') return okFixture('oauth_token_response.json');
      return okFixture('service_account_token_response.json');
    }
    if (key === 'POST revoke') return { body: {} };
    if (!request.headers.get('authorization')?.startsWith('Bearer ')) {
      return errorFixture('error_401_unauthenticated.json');
    }
    switch (key) {
      case 'GET userinfo':
        return okFixture('userinfo_response.json');
      case 'GET accountSummaries':
        return request.url.searchParams.get('pageToken') === 'fixture-summaries-page-2'
          ? okFixture('account_summaries_page2.json')
          : okFixture('account_summaries_page1.json');
      case 'GET properties': {
        const filter = request.url.searchParams.get('filter');
        if (filter === 'parent:accounts/201000002') return okFixture('properties_labs.json');
        return request.url.searchParams.get('pageToken') === 'fixture-properties-page-2'
          ? okFixture('properties_studio_page2.json')
          : okFixture('properties_studio_page1.json');
      }
      case 'POST runReport':
        return okFixture('run_report_traffic_daily_response.json');
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
  return { connector: createGa4Connector(environment), requests: replay.requests, environment };
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

/** A throwaway key file shaped like the JSON key Google Cloud Console downloads (never valid at Google). */
export function makeServiceAccountKey(overrides: Record<string, unknown> = {}): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return JSON.stringify({
    type: 'service_account',
    project_id: 'fixture-project',
    private_key_id: 'fixturekeyid0123456789abcdef0123456789ab',
    private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    client_email: 'reader@fixture-project.iam.gserviceaccount.com',
    client_id: '104857600000000000001',
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: 'https://oauth2.googleapis.com/token',
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url:
      'https://www.googleapis.com/robot/v1/metadata/x509/reader%40fixture-project.iam.gserviceaccount.com',
    universe_domain: 'googleapis.com',
    ...overrides,
  });
}

// ---- Extraction tests. ----

/** The property the extraction tests read. */
export const ACCOUNT = {
  id: '301000001',
  name: 'fixture.example — Web',
  timezone: 'Europe/Berlin',
  currency: 'EUR',
};

/** A real-mode extraction wired to the recorded Google APIs (`pageSize`, `clock` shortened by tests). */
export function setupExtraction(
  overrides: Record<string, ReplayAnswer | ReplayAnswer[]> = {},
  pageSize?: number,
  clock?: () => number,
) {
  const replay = replayFetch(google(overrides));
  const extraction = createGa4Extraction(
    { env: REAL_ENV, sandboxBaseUrl: () => null, http, fetch: replay.fetch },
    { ...(pageSize ? { pageSize } : {}), ...(clock ? { clock } : {}) },
  );
  return { extraction, requests: replay.requests };
}

/** A report request for a template's defaults (or the given metrics) over a window. */
export function reportRequest(
  templateId: string,
  metrics?: string[],
  from = '2024-03-01',
  to = '2024-03-03',
): ReportRequest {
  const template = findGa4Template(templateId)!;
  return {
    template,
    account: ACCOUNT,
    dimensions: [...template.defaultDimensions],
    metrics: metrics ?? [...template.defaultMetrics],
    settings: {},
    from,
    to,
  };
}

/** The metrics of `run_report_traffic_daily_response.json`, as columns. */
export const TRAFFIC_METRICS = [
  'sessions',
  'screen_page_views',
  'key_events',
  'total_revenue',
  'engagement_rate',
  'average_session_duration',
];
