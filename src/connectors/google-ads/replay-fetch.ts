/**
 * Test support: the recorded Google payloads from `fixtures/`, replayed through `environment.fetch` by the kit's
 * replaying fetch (`../kit/replay-fetch.ts`), so the connector runs its real code path against provider-shaped
 * responses.
 */
import {
  type RecordedRequest,
  type ReplayAnswer,
  type ReplayFetchOptions,
  type ReplayRoute,
  recordedFixtures,
  replayBuilder,
} from '../kit/replay-fetch.ts';
import { createGoogleAdsConnector } from './connector.ts';

export * from '../kit/replay-fetch.ts';

/** Readers of `fixtures/`: parsed JSON, a 200 answer, an error answer from `fixtures/errors/`. */
export const { loadFixture, okFixture, errorFixture } = recordedFixtures(
  new URL('./fixtures/', import.meta.url),
);

/** Google's front end answers an unknown path with an HTML 404. */
export const GOOGLE_NOT_FOUND: ReplayFetchOptions = {
  notFound: () => new Response('<html>404 Not Found</html>', { status: 404 }),
};

// ---- The recorded Google APIs, shared by the connector tests. ----

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
export const build = replayBuilder(createGoogleAdsConnector, GOOGLE_NOT_FOUND, REAL_ENV);
