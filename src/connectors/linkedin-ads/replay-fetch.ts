/**
 * Test support: the recorded LinkedIn payloads from `fixtures/`, replayed through `environment.fetch` by the kit's
 * replaying fetch (`../kit/replay-fetch.ts`), so the connector runs its real code path against provider-shaped
 * responses.
 */
import {
  type RecordedRequest,
  type ReplayAnswer,
  type ReplayFetchOptions,
  type ReplayRoute,
  recordedFixtures,
  replayEnvironment,
} from '../kit/replay-fetch.ts';
import type { HttpSettings, ReportRequest } from '../kit/types.ts';
import { createLinkedInAdsConnector } from './connector.ts';
import type { AnalyticsPlan } from './report-windows.ts';

export * from '../kit/replay-fetch.ts';

/** Readers of `fixtures/`: parsed JSON, a 200 answer, an error answer from `fixtures/errors/`. */
export const { loadFixture, okFixture, errorFixture } = recordedFixtures(
  new URL('./fixtures/', import.meta.url),
);

/** LinkedIn's JSON answer for an unknown path. */
export const LINKEDIN_NOT_FOUND: ReplayFetchOptions = {
  notFound: () => Response.json({ status: 404, message: 'Not Found' }, { status: 404 }),
};

// ---- The recorded LinkedIn API, shared by the connector tests. ----

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
  const { environment, requests } = replayEnvironment(route, LINKEDIN_NOT_FOUND, {
    env,
    sandboxBaseUrl,
    http: httpSettings,
  });
  const plans: { plan: AnalyticsPlan; request: ReportRequest }[] = [];
  const connector = createLinkedInAdsConnector(environment, {
    onPlan: (plan, request) => plans.push({ plan, request }),
  });
  return { connector, requests, plans };
}
