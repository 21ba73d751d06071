/**
 * Test support: the recorded and constructed Google payloads from `fixtures/`, replayed through
 * `environment.fetch` by the kit's replaying fetch (`../kit/replay-fetch.ts`), so the connector runs its real code
 * path against provider-shaped responses. Also a throwaway RSA key in the shape of a Google service-account key
 * file.
 */
import { generateKeyPairSync } from 'node:crypto';
import {
  type RecordedRequest,
  type ReplayAnswer,
  type ReplayFetchOptions,
  type ReplayRoute,
  recordedFixtures,
  replayBuilder,
  replayEnvironment,
} from '../kit/replay-fetch.ts';
import type { ReportRequest } from '../kit/types.ts';
import { createGa4Connector } from './connector.ts';
import { createGa4Extraction } from './extraction.ts';
import { findGa4Template } from './templates.ts';

export * from '../kit/replay-fetch.ts';

/** Readers of `fixtures/`: parsed JSON, a 200 answer, an error answer from `fixtures/errors/`. */
export const { loadFixture, okFixture, errorFixture } = recordedFixtures(
  new URL('./fixtures/', import.meta.url),
);

/** Google's JSON error for an unknown path; Google APIs send JSON with a charset. */
export const GOOGLE_API_REPLAY: ReplayFetchOptions = {
  notFound: (url) => {
    const notFound = { error: { code: 404, message: `Not found: ${url.pathname}`, status: 'NOT_FOUND' } };
    return new Response(JSON.stringify(notFound), { status: 404 });
  },
  jsonContentType: 'application/json; charset=UTF-8',
};

// ---- The recorded Google endpoints, shared by the connector tests. ----

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
export const build = replayBuilder(createGa4Connector, GOOGLE_API_REPLAY, REAL_ENV);

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
  const { environment, requests } = replayEnvironment(google(overrides), GOOGLE_API_REPLAY, {
    env: REAL_ENV,
  });
  const extraction = createGa4Extraction(environment, {
    ...(pageSize ? { pageSize } : {}),
    ...(clock ? { clock } : {}),
  });
  return { extraction, requests };
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
