/**
 * Test support: the recorded Graph API payloads from `fixtures/`, replayed through `environment.fetch` by the kit's
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
import { createMetaAdsConnector } from './connector.ts';

export * from '../kit/replay-fetch.ts';

/** Readers of `fixtures/`: parsed JSON, a 200 answer, an error answer (with its recorded headers), error names. */
export const { loadFixture, okFixture, errorFixture, errorFixtureNames } = recordedFixtures(
  new URL('./fixtures/', import.meta.url),
);

/** Graph's answer for a path it does not know: a 400 OAuthException. */
export const GRAPH_NOT_FOUND: ReplayFetchOptions = {
  notFound: (url) =>
    Response.json(
      { error: { message: `Unknown path components: ${url.pathname}`, type: 'OAuthException', code: 2500 } },
      { status: 400 },
    ),
};

// ---- The recorded Meta Graph API, shared by the connector tests. ----

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

/** Builds a connector (real mode by default) wired to a replaying fetch, plus the requests it sent. */
export const build = replayBuilder(createMetaAdsConnector, GRAPH_NOT_FOUND, REAL_ENV);

/** The recorded first accounts page with its `paging.next` replaced. */
export function withPaging(next: string): ReplayAnswer {
  const page = loadFixture<{ paging: Record<string, unknown> }>('adaccounts_page.json');
  return { body: { ...page, paging: { ...page.paging, next } } };
}
