/**
 * Test support: the recorded TikTok Marketing API payloads from `fixtures/`, replayed through
 * `environment.fetch` by the kit's replaying fetch (`../kit/replay-fetch.ts`), so the connector runs its real code
 * path against provider-shaped responses.
 */
import {
  type RecordedRequest,
  type ReplayAnswer,
  type ReplayFetchOptions,
  type ReplayRoute,
  recordedFixtures,
  replayBuilder,
} from '../kit/replay-fetch.ts';
import { createTiktokAdsConnector } from './connector.ts';

export * from '../kit/replay-fetch.ts';

/** Readers of `fixtures/`: parsed JSON, a 200 answer, an error answer from `fixtures/errors/`. */
export const { loadFixture, okFixture, errorFixture } = recordedFixtures(
  new URL('./fixtures/', import.meta.url),
);

/** TikTok's answer for an unknown path (including a missing trailing slash). */
export const TIKTOK_NOT_FOUND: ReplayFetchOptions = {
  notFound: () => new Response('page not found', { status: 404 }),
};

// ---- The recorded TikTok Marketing API, shared by the connector tests. ----

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
export const build = replayBuilder(createTiktokAdsConnector, TIKTOK_NOT_FOUND, REAL_ENV);
