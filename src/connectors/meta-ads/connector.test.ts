import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ErrorCode } from '../../domain/errors.ts';
import * as kit from '../kit/connectorTestKit.ts';
import {
  APP_ID,
  APP_SECRET,
  build,
  CODE,
  collect,
  errorFixture,
  graph,
  LONG_TOKEN,
  okFixture,
  REDIRECT,
  SHORT_TOKEN,
  TOKEN,
  VERIFIER,
  withPaging,
} from './replay-fetch.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('OAuth', () => {
  it('builds the login dialog URL with PKCE and comma-joined scopes', () => {
    const { connector } = build(graph());
    expect(connector.oauth?.pkce).toBe(true);
    const url = new URL(
      connector.oauth!.authorizationUrl({ state: 's-1', redirectUri: REDIRECT, codeChallenge: 'cc' }),
    );
    expect(`${url.origin}${url.pathname}`).toBe('https://www.facebook.com/v25.0/dialog/oauth');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: APP_ID,
      redirect_uri: REDIRECT,
      state: 's-1',
      response_type: 'code',
      scope: 'ads_read,business_management,email',
      code_challenge: 'cc',
      code_challenge_method: 'S256',
    });
  });

  it('exchanges the code, then swaps for the long-lived token and reads granted permissions', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-04T12:00:00.000Z'));
    const { connector, requests } = build(graph());
    const token = await connector.oauth!.exchangeCode({
      code: CODE,
      redirectUri: REDIRECT,
      codeVerifier: VERIFIER,
    });

    expect(token).toEqual({
      accessToken: LONG_TOKEN,
      expiresAt: new Date(Date.parse('2026-03-04T12:00:00.000Z') + 5183944 * 1000).toISOString(),
      scopes: ['ads_read', 'business_management', 'email', 'public_profile'],
    });
    expect(token.refreshToken).toBeUndefined();
    expect(requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      'GET /v25.0/oauth/access_token',
      'GET /v25.0/oauth/access_token',
      'GET /v25.0/me/permissions',
    ]);
    const [codeCall, longCall, permissionsCall] = requests;
    expect(Object.fromEntries(codeCall!.url.searchParams)).toEqual({
      client_id: APP_ID,
      redirect_uri: REDIRECT,
      client_secret: APP_SECRET,
      code: CODE,
      code_verifier: VERIFIER,
    });
    expect(Object.fromEntries(longCall!.url.searchParams)).toEqual({
      grant_type: 'fb_exchange_token',
      client_id: APP_ID,
      client_secret: APP_SECRET,
      fb_exchange_token: SHORT_TOKEN,
    });
    expect(permissionsCall!.headers.get('authorization')).toBe(`Bearer ${LONG_TOKEN}`);
    expect(permissionsCall!.url.search).toBe('');
  });

  it('surfaces a failed exchange as a TributaryError without the code or secret', async () => {
    const { connector } = build(
      graph({ 'GET /oauth/access_token': errorFixture('error_190_458_app_not_authorized.json') }),
    );
    const failure = connector.oauth!.exchangeCode({
      code: CODE,
      redirectUri: REDIRECT,
      codeVerifier: VERIFIER,
    });
    await expect(failure).rejects.toMatchObject({ name: 'TributaryError', code: 'auth_token_revoked' });
    const error = (await failure.catch((e: unknown) => e)) as Error;
    expect(error.message).not.toContain(CODE);
    expect(error.message).not.toContain(APP_SECRET);
  });
});

describe('identify', () => {
  it('reads /me with the token in the Authorization header only', async () => {
    const built = build(graph());
    await kit.expectIdentity(built, TOKEN, {
      identity: { businessAccount: 'dana.fixture@example.com', businessAccountId: '10229876543210987' },
      url: 'https://graph.facebook.com/v25.0/me?fields=id%2Cname%2Cemail',
      headers: { authorization: `Bearer ${TOKEN.accessToken}` },
    });
    expect(built.requests).toHaveLength(1);
  });

  it('falls back to the name when Meta hides the email', async () => {
    const { connector } = build(graph({ 'GET /me': { body: { id: '42', name: 'No Email' } } }));
    expect(await connector.identify(TOKEN)).toEqual({ businessAccount: 'No Email', businessAccountId: '42' });
  });

  it.each([
    ['error_190_463_token_expired.json', 'auth_token_expired', 1],
    ['error_190_460_password_changed.json', 'auth_token_revoked', 1],
    ['error_200_requires_business_management.json', 'permission_denied', 1],
    ['error_80004_ads_management_rate_limit.json', 'rate_limited', 1],
    ['error_2_service_unavailable_transient.json', 'provider_unavailable', 3],
    ['error_1_99_unknown_500.json', 'provider_unavailable', 3],
  ] as [string, ErrorCode, number][])('%s -> %s after %i call(s)', async (fixture, code, calls) => {
    const built = build(graph({ 'GET /me': errorFixture(fixture) }));
    await kit.expectRefusedAfter(built, kit.identifying(TOKEN), code, calls);
  });

  it('retries a transient 500 and then succeeds', async () => {
    const built = build(
      graph({ 'GET /me': [errorFixture('error_1_99_unknown_500.json'), okFixture('me_response.json')] }),
    );
    await kit.expectIdentifiedAfter(built, TOKEN, '10229876543210987', 2);
  });

  it('rejects a 200 that is not JSON, without retrying', async () => {
    const built = build(graph({ 'GET /me': { body: '<html>hi</html>', raw: true } }));
    await kit.expectRefusedAfter(built, kit.identifying(TOKEN), 'provider_malformed_response', 1);
  });
});

describe('discoverAccounts', () => {
  it('follows paging.next across two recorded pages', async () => {
    const { connector, requests } = build(graph());
    const pages = await collect(connector.discoverAccounts(TOKEN));
    expect(pages.map((page) => page.map((a) => `${a.id}:${a.status}`))).toEqual([
      ['120000000000001:active', '120000000000002:disabled', '120000000000003:unsettled'],
      ['120000000000004:closed', '120000000000005:in_grace_period'],
    ]);
    expect(pages[0]![1]).toEqual({
      id: '120000000000002',
      name: 'Northwind Retail EU',
      currency: 'EUR',
      timezone: 'Europe/Berlin',
      status: 'disabled',
    });
    expect(requests).toHaveLength(2);
    expect(Object.fromEntries(requests[0]!.url.searchParams)).toEqual({
      fields: 'id,account_id,name,account_status,currency,timezone_name',
      limit: '500',
    });
    expect(requests[1]!.url.searchParams.get('after')).toBe('QVFIUmZAfixtureAfterCursor1');
    for (const request of requests) {
      expect(request.headers.get('authorization')).toBe(`Bearer ${TOKEN.accessToken}`);
      expect(request.url.toString()).not.toContain(TOKEN.accessToken);
    }
  });

  it('keeps following empty pages that still have a next link', async () => {
    const empty = {
      body: { data: [], paging: { next: 'https://graph.facebook.com/v25.0/me/adaccounts?after=c2' } },
    };
    const { connector, requests } = build(
      graph({ 'GET /me/adaccounts': [empty, okFixture('adaccounts_last_page.json')] }),
    );
    const pages = await collect(connector.discoverAccounts(TOKEN));
    expect(pages.map((page) => page.length)).toEqual([2]);
    expect(requests).toHaveLength(2);
  });

  it('refuses a next link to a foreign origin and never calls it', async () => {
    const { connector, requests } = build(
      graph({
        'GET /me/adaccounts': withPaging(
          'https://graph.facebook.com.evil.example/v25.0/me/adaccounts?after=x',
        ),
      }),
    );
    await expect(collect(connector.discoverAccounts(TOKEN))).rejects.toMatchObject({
      code: 'provider_malformed_response',
    });
    expect(requests.map((r) => r.url.hostname)).toEqual(['graph.facebook.com']);
  });

  it('strips an access_token echoed into a next link', async () => {
    const next =
      'https://graph.facebook.com/v25.0/me/adaccounts?after=c2&access_token=EAAleakedTokenFromNext';
    const { connector, requests } = build(
      graph({ 'GET /me/adaccounts': [withPaging(next), okFixture('adaccounts_last_page.json')] }),
    );
    await collect(connector.discoverAccounts(TOKEN));
    expect(requests[1]!.url.searchParams.has('access_token')).toBe(false);
    expect(requests[1]!.url.searchParams.get('after')).toBe('c2');
  });

  it.each([
    ['a page without data', { paging: {} }],
    ['an account without account_id', { data: [{ id: 'act_1', name: 'x' }] }],
    ['an account without id', { data: [{ account_id: '1', name: 'x' }] }],
  ])('rejects %s as malformed', async (_, body) => {
    const { connector } = build(graph({ 'GET /me/adaccounts': { body } }));
    await expect(collect(connector.discoverAccounts(TOKEN))).rejects.toMatchObject({
      code: 'provider_malformed_response',
    });
  });

  it('surfaces a rate limit with its retryAt', async () => {
    const { connector } = build(
      graph({ 'GET /me/adaccounts': errorFixture('error_80004_ads_management_rate_limit.json') }),
    );
    const error = await collect(connector.discoverAccounts(TOKEN)).catch(
      (e: { code: string; retryAt: Date }) => e,
    );
    expect(error).toMatchObject({ code: 'rate_limited' });
    const waitMinutes = ((error as { retryAt: Date }).retryAt.getTime() - Date.now()) / 60_000;
    expect(waitMinutes).toBeGreaterThan(11.9);
    expect(waitMinutes).toBeLessThanOrEqual(12);
  });
});

describe('revoke', () => {
  it('sends DELETE /me/permissions with the token header', async () => {
    const { connector, requests } = build(graph());
    await connector.revoke!(TOKEN);
    expect(requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual(['DELETE /v25.0/me/permissions']);
    expect(requests[0]!.headers.get('authorization')).toBe(`Bearer ${TOKEN.accessToken}`);
  });

  it('treats an already dead token as revoked, but reports an outage', async () => {
    const dead = build(graph({ 'DELETE /me/permissions': errorFixture('error_190_463_token_expired.json') }));
    await expect(dead.connector.revoke!(TOKEN)).resolves.toBeUndefined();
    const down = build(graph({ 'DELETE /me/permissions': errorFixture('error_1_99_unknown_500.json') }));
    await expect(down.connector.revoke!(TOKEN)).rejects.toMatchObject({ code: 'provider_unavailable' });
  });
});

describe('secrets stay out of labels and messages', () => {
  it('names the call, not the token, code or secret, when the network fails', async () => {
    const { connector } = build(() => {
      throw new TypeError('fetch failed');
    });
    const failures = await Promise.all([
      connector.identify(TOKEN).catch((e: Error) => e),
      connector.revoke!(TOKEN).catch((e: Error) => e),
      collect(connector.discoverAccounts(TOKEN)).catch((e: Error) => e),
      connector
        .oauth!.exchangeCode({ code: CODE, redirectUri: REDIRECT, codeVerifier: VERIFIER })
        .catch((e: Error) => e),
    ]);
    expect(failures.map((e) => (e as Error).message)).toEqual([
      'GET /me failed: fetch failed',
      'DELETE /me/permissions failed: fetch failed',
      'GET /me/adaccounts failed: fetch failed',
      'GET /oauth/access_token (authorization code) failed: fetch failed',
    ]);
    for (const failure of failures) {
      const text = `${(failure as Error).message} ${JSON.stringify((failure as { details?: unknown }).details ?? {})}`;
      for (const secret of [TOKEN.accessToken, CODE, VERIFIER, APP_SECRET])
        expect(text).not.toContain(secret);
    }
  });
});
