import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../domain/errors.ts';
import * as kit from '../kit/connectorTestKit.ts';
import { linkedinAdsConnector } from './index.ts';
import {
  build,
  CLIENT_ID,
  CLIENT_SECRET,
  CODE,
  collect,
  errorFixture,
  linkedin,
  loadFixture,
  REDIRECT,
  SANDBOX_URL,
  TOKEN,
} from './replay-fetch.ts';

const DAY_MS = 86_400_000;

describe('modes', () => {
  it('declares its id, auth type and env vars', () => {
    expect(linkedinAdsConnector).toMatchObject({
      id: 'linkedin-ads',
      name: 'LinkedIn Ads',
      authType: 'oauth2',
    });
    expect(linkedinAdsConnector.envVars).toEqual([
      'LINKEDIN_CLIENT_ID',
      'LINKEDIN_CLIENT_SECRET',
      'LINKEDIN_VERSION',
      'LINKEDIN_API_BASE_URL',
      'LINKEDIN_AUTH_BASE_URL',
    ]);
  });

  it('is real with app credentials, sandbox without them, unconfigured with neither', () => {
    kit.expectAppCredentialModes(build, linkedin, SANDBOX_URL, { LINKEDIN_CLIENT_ID: CLIENT_ID });
    // A version that is not YYYYMM is a configuration error, not a silent default.
    expect(
      build(linkedin(), { ...{ LINKEDIN_VERSION: 'latest' } }, () => SANDBOX_URL).connector.configured,
    ).toBe(false);
  });

  it('refuses calls when unconfigured', async () => {
    const { connector } = build(linkedin(), {});
    await expect(connector.identify(TOKEN)).rejects.toMatchObject({ code: 'provider_not_configured' });
  });

  it('ships its docs', () => {
    const { connector } = build(linkedin());
    expect(connector.docs.setupGuide).toContain('# LinkedIn Ads — setup guide');
    expect(connector.docs.troubleshooting).toContain('EXPIRED_ACCESS_TOKEN');
  });
});

describe('OAuth', () => {
  it('builds the authorization URL without PKCE, scopes space-separated', () => {
    const { connector } = build(linkedin());
    expect(connector.oauth?.pkce).toBe(false);
    const text = connector.oauth!.authorizationUrl({ state: 's-1', redirectUri: REDIRECT });
    expect(text).toContain('scope=r_ads%20r_ads_reporting%20openid%20profile%20email');
    const url = new URL(text);
    expect(`${url.origin}${url.pathname}`).toBe('https://www.linkedin.com/oauth/v2/authorization');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT,
      state: 's-1',
      scope: 'r_ads r_ads_reporting openid profile email',
    });
  });

  it('uses the sandbox app and URL in sandbox mode', () => {
    const { connector } = build(linkedin(), {}, () => SANDBOX_URL);
    const url = new URL(connector.oauth!.authorizationUrl({ state: 's', redirectUri: REDIRECT }));
    expect(url.toString()).toContain(`${SANDBOX_URL}/oauth/v2/authorization?`);
    expect(url.searchParams.get('client_id')).toBe('tributary-sandbox-client');
  });

  it('exchanges the code in a form body and forecasts both expiries', async () => {
    const { connector, requests } = build(linkedin());
    const before = Date.now();
    const token = await connector.oauth!.exchangeCode({ code: CODE, redirectUri: REDIRECT });
    expect(token).toMatchObject({ accessToken: '<opaque token>', scopes: ['r_ads', 'r_ads_reporting'] });
    expect(token.refreshToken).toContain('opaque refresh token');
    const expires = Date.parse(token.expiresAt!) - before;
    const refreshExpires = Date.parse(token.refreshExpiresAt!) - before;
    expect(Math.round(expires / DAY_MS)).toBe(60);
    expect(Math.round(refreshExpires / DAY_MS)).toBe(365);
    kit.expectFormPost(requests[0]!, 'https://www.linkedin.com/oauth/v2/accessToken', {
      grant_type: 'authorization_code',
      code: CODE,
      redirect_uri: REDIRECT,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
  });

  it.each([
    ['r_ads_reporting,openid,profile,email', ['r_ads']],
    ['r_ads,openid', ['r_ads_reporting']],
    ['openid,profile,email', ['r_ads', 'r_ads_reporting']],
  ])('refuses a token granted only %s, naming %j', async (scope, missing) => {
    const body = { access_token: 'AQVtoken', expires_in: 5184000, scope };
    const { connector } = build(linkedin({ 'POST /oauth/v2/accessToken': { body } }));
    const error = await connector.oauth!.exchangeCode({ code: CODE, redirectUri: REDIRECT }).catch((e) => e);
    expect(error).toMatchObject({ code: 'permission_denied', details: { missingScopes: missing } });
    for (const name of missing) expect(error.message).toContain(name);
    expect(error.message).toContain('reconnect');
    expect(error.message).not.toContain('AQVtoken');
  });

  it('a refused exchange names the OAuth error without the code or secret', async () => {
    const { connector } = build(
      linkedin({ 'POST /oauth/v2/accessToken': errorFixture('error_401_invalid_client.json') }),
    );
    const error = await connector.oauth!.exchangeCode({ code: CODE, redirectUri: REDIRECT }).catch((e) => e);
    expect(error).toMatchObject({ name: 'TributaryError', code: 'provider_not_configured' });
    expect(error.message).toContain('invalid_client');
    expect(error.message).not.toContain(CODE);
    expect(error.message).not.toContain(CLIENT_SECRET);
  });

  it('refresh sends the refresh token, keeps it when none comes back and keeps its forecast', async () => {
    const answer = { access_token: 'AQVnew', expires_in: 5184000, scope: 'r_ads,r_ads_reporting' };
    const { connector, requests } = build(linkedin({ 'POST /oauth/v2/accessToken': { body: answer } }));
    const old = {
      ...TOKEN,
      refreshToken: 'AQXrefresh',
      expiresAt: new Date().toISOString(),
      refreshExpiresAt: '2031-01-01T00:00:00.000Z',
    };
    const token = await connector.refresh!(old);
    expect(token).toMatchObject({
      accessToken: 'AQVnew',
      refreshToken: 'AQXrefresh',
      refreshExpiresAt: '2031-01-01T00:00:00.000Z',
    });
    expect(Math.round((Date.parse(token.expiresAt!) - Date.now()) / DAY_MS)).toBe(60);
    expect(kit.formOf(requests[0]!)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: 'AQXrefresh',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
  });

  it('refresh forecasts the refresh expiry from what is left of its year', async () => {
    const answer = {
      access_token: 'AQVnew',
      expires_in: 5184000,
      refresh_token: 'AQXrefresh',
      refresh_token_expires_in: 100 * 86400,
      scope: 'r_ads,r_ads_reporting',
    };
    const { connector } = build(linkedin({ 'POST /oauth/v2/accessToken': { body: answer } }));
    const token = await connector.refresh!({ ...TOKEN, refreshToken: 'AQXrefresh' });
    expect(Math.round((Date.parse(token.refreshExpiresAt!) - Date.now()) / DAY_MS)).toBe(100);
  });

  it('refresh: invalid_grant -> auth_token_revoked; no refresh token -> auth_token_expired without a call', async () => {
    const built = build(
      linkedin({ 'POST /oauth/v2/accessToken': errorFixture('error_400_invalid_grant.json') }),
    );
    const gone = { ...TOKEN, refreshToken: 'AQXgone' };
    await kit.expectRefusedAfter(built, (connector) => connector.refresh!(gone), 'auth_token_revoked', 1);
    // Still the one request of the first refresh: without a refresh token there is nothing to send.
    await kit.expectRefusedAfter(built, (connector) => connector.refresh!(TOKEN), 'auth_token_expired', 1);
  });

  it('revokes the access token; an already dead token counts as revoked', async () => {
    const built = build(linkedin());
    const revocation = await kit.expectRevokePost(built, TOKEN, 'https://www.linkedin.com/oauth/v2/revoke');
    expect(kit.formOf(revocation).token).toBe(TOKEN.accessToken);
    const dead = build(linkedin({ 'POST /oauth/v2/revoke': errorFixture('error_400_invalid_grant.json') }));
    await expect(dead.connector.revoke!(TOKEN)).resolves.toBeUndefined();
  });
});

describe('identify', () => {
  it('reads /v2/userinfo with the bearer token, without version headers', async () => {
    await kit.expectIdentity(build(linkedin()), TOKEN, {
      identity: { businessAccount: 'robin.fixture@example.com', businessAccountId: 'Xq4Rk2fixture' },
      url: 'https://api.linkedin.com/v2/userinfo',
      headers: { authorization: `Bearer ${TOKEN.accessToken}`, 'linkedin-version': null },
    });
  });

  it('falls back to the name when the email scope was not granted', async () => {
    const body = { sub: 'abc', name: 'No Email' };
    const { connector } = build(linkedin({ 'GET /v2/userinfo': { body } }));
    expect(await connector.identify(TOKEN)).toEqual({
      businessAccount: 'No Email',
      businessAccountId: 'abc',
    });
  });

  it.each([
    ['error_401_expired_access_token.json', 'auth_token_expired', 1],
    ['error_401_token_expired_legacy_v1.json', 'auth_token_expired', 1],
    ['error_401_revoked_access_token.json', 'auth_token_revoked', 1],
    ['error_401_invalid_access_token.json', 'auth_token_revoked', 1],
    ['error_403_access_denied.json', 'permission_denied', 1],
    ['error_429_too_many_requests.json', 'rate_limited', 1],
    ['error_426_nonexistent_version.json', 'provider_error', 1],
    ['error_400_too_many_fields.json', 'provider_error', 1],
    ['error_500_internal.json', 'provider_unavailable', 3],
  ] as [string, ErrorCode, number][])('%s -> %s after %i call(s)', async (fixture, code, calls) => {
    const built = build(linkedin({ 'GET /v2/userinfo': errorFixture(fixture) }));
    await kit.expectRefusedAfter(built, kit.identifying(TOKEN), code, calls);
  });
});

describe('discovery', () => {
  it('follows metadata.nextPageToken to the last page, with versioned Rest.li headers', async () => {
    const { connector, requests } = build(linkedin());
    const pages = await collect(connector.discoverAccounts(TOKEN));
    expect(pages.map((page) => page.map((account) => account.id))).toEqual([
      ['508000101', '508000102'],
      ['508000103'],
    ]);
    expect(pages.flat()).toContainEqual({
      id: '508000102',
      name: 'Fixture Outfitters — Old',
      currency: 'USD',
      timezone: 'UTC',
      status: 'canceled',
    });
    expect(pages[1]![0]!.status).toBe('pending_deletion');
    expect(requests[0]!.query).toBe(
      'q=search&search=(status:(values:List(ACTIVE,CANCELED,DRAFT,PENDING_DELETION,REMOVED)))&pageSize=1000',
    );
    expect(requests[1]!.query).toContain('&pageToken=DgEAAAGTfixturePage2');
    for (const request of requests) {
      expect(request.headers.get('linkedin-version')).toBe('202511');
      expect(request.headers.get('x-restli-protocol-version')).toBe('2.0.0');
    }
  });

  it('reads the documented account search examples (ids as longs)', async () => {
    for (const fixture of [
      'ad_accounts_search_response_postman.json',
      'ad_accounts_search_response_postman_reference.json',
    ]) {
      const { connector } = build(linkedin({ 'GET /rest/adAccounts': { body: loadFixture(fixture) } }));
      const accounts = (await collect(connector.discoverAccounts(TOKEN))).flat();
      expect(accounts).toHaveLength(2);
      for (const account of accounts) expect(account.id).toMatch(/^\d+$/);
    }
  });

  it('sends LINKEDIN_VERSION when set', async () => {
    const { connector, requests } = build(
      linkedin(),
      { ...{ LINKEDIN_VERSION: '202410' } },
      () => SANDBOX_URL,
    );
    await collect(connector.discoverAccounts(TOKEN));
    expect(requests[0]!.url.toString().startsWith(`${SANDBOX_URL}/rest/adAccounts?`)).toBe(true);
    expect(requests[0]!.headers.get('linkedin-version')).toBe('202410');
  });

  it('gives no page for a member without accounts, and refuses a token that pages in a circle', async () => {
    const empty = { paging: { start: 0, count: 0, links: [] }, elements: [] };
    expect(
      await collect(
        build(linkedin({ 'GET /rest/adAccounts': { body: empty } })).connector.discoverAccounts(TOKEN),
      ),
    ).toEqual([]);
    const loop = { elements: [], metadata: { nextPageToken: 'same' } };
    const looping = build(linkedin({ 'GET /rest/adAccounts': { body: loop } }));
    await expect(collect(looping.connector.discoverAccounts(TOKEN))).rejects.toMatchObject({
      code: 'provider_malformed_response',
    });
    expect(looping.requests).toHaveLength(2);
  });

  it('a page without elements is malformed', async () => {
    const { connector } = build(linkedin({ 'GET /rest/adAccounts': { body: { paging: {} } } }));
    await expect(collect(connector.discoverAccounts(TOKEN))).rejects.toMatchObject({
      code: 'provider_malformed_response',
    });
  });
});
