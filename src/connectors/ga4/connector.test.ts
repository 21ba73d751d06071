import { describe, expect, it } from 'vitest';
import * as kit from '../kit/connectorTestKit.ts';
import { ga4Connector } from './index.ts';
import {
  build,
  CLIENT_ID,
  CLIENT_SECRET,
  CODE,
  collect,
  errorFixture,
  google,
  okFixture,
  REDIRECT,
  SANDBOX_URL,
  TOKEN,
} from './replay-fetch.ts';

describe('modes', () => {
  it('declares its id, auth type and env vars', () => {
    expect(ga4Connector).toMatchObject({ id: 'ga4', name: 'Google Analytics 4', authType: 'oauth2' });
    expect(ga4Connector.envVars).toEqual([
      'GA4_CLIENT_ID',
      'GA4_CLIENT_SECRET',
      'GA4_ADMIN_API_BASE_URL',
      'GA4_DATA_API_BASE_URL',
    ]);
  });

  it('is real with the OAuth client, sandbox without it, service-account keys only with neither', () => {
    expect(build(google()).connector).toMatchObject({ sandbox: false, configured: true, authType: 'oauth2' });
    expect(build(google(), {}, () => SANDBOX_URL).connector).toMatchObject({
      sandbox: true,
      configured: true,
      authType: 'oauth2',
    });
    expect(build(google(), { GA4_CLIENT_ID: CLIENT_ID }, () => SANDBOX_URL).connector.sandbox).toBe(true);
  });

  it('without an OAuth client and sandbox, takes service-account keys only (no Google sign-in)', () => {
    const { connector } = build(google(), {});
    expect(connector).toMatchObject({ sandbox: false, configured: true, authType: 'service_account' });
    expect(connector.oauth).toBeUndefined();
    expect(connector.credentialForm?.authType).toBe('service_account');
  });

  it('ships its docs, both credential kinds, and a service-account form with one secret field', () => {
    const { connector } = build(google());
    expect(connector.docs.setupGuide).toContain('# Google Analytics 4 — setup guide');
    expect(connector.docs.setupGuide).toContain('Viewer');
    expect(connector.docs.troubleshooting).toContain('RESOURCE_EXHAUSTED');
    expect(connector.oauth).toBeDefined();
    expect(connector.credentialForm?.fields).toEqual([
      expect.objectContaining({ name: 'key', secret: true, maxLength: 16384 }),
    ]);
  });
});

describe('OAuth', () => {
  it('builds Google’s consent URL with PKCE S256, offline access and consent prompt', () => {
    const { connector } = build(google());
    expect(connector.oauth?.pkce).toBe(true);
    const url = new URL(
      connector.oauth!.authorizationUrl({ state: 's-1', redirectUri: REDIRECT, codeChallenge: 'challenge' }),
    );
    expect(`${url.origin}${url.pathname}`).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'https://www.googleapis.com/auth/analytics.readonly openid email',
      access_type: 'offline',
      prompt: 'consent',
      state: 's-1',
      code_challenge: 'challenge',
      code_challenge_method: 'S256',
    });
  });

  it('uses the sandbox client and paths in sandbox mode', () => {
    const { connector } = build(google(), {}, () => SANDBOX_URL);
    const url = new URL(connector.oauth!.authorizationUrl({ state: 's', redirectUri: REDIRECT }));
    expect(url.toString()).toContain(`${SANDBOX_URL}/o/oauth2/v2/auth?`);
    expect(url.searchParams.get('client_id')).toBe('tributary-sandbox-ga4.apps.googleusercontent.com');
    expect(url.searchParams.has('code_challenge')).toBe(false);
  });

  it('exchanges the code with the verifier in a form body; keeps refresh token, expiry and scopes', async () => {
    const { connector, requests } = build(google());
    const before = Date.now();
    const token = await connector.oauth!.exchangeCode({
      code: CODE,
      redirectUri: REDIRECT,
      codeVerifier: 'v-1',
    });
    expect(token).toMatchObject({
      accessToken: 'ya29.fixture-access-token-0001',
      refreshToken: '1//fixture-refresh-token-0001',
      scopes: [
        'openid',
        'https://www.googleapis.com/auth/userinfo.email',
        'https://www.googleapis.com/auth/analytics.readonly',
      ],
    });
    kit.expectExpiresIn(token.expiresAt, before, 3599_000);
    expect(requests).toHaveLength(1);
    kit.expectFormPost(requests[0]!, 'https://oauth2.googleapis.com/token', {
      grant_type: 'authorization_code',
      code: CODE,
      redirect_uri: REDIRECT,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      code_verifier: 'v-1',
    });
  });

  it('a used or expired code is oauth_denied, without the code or secret in the message', async () => {
    const { connector } = build(google({ 'POST token': errorFixture('oauth_invalid_grant.json') }));
    const error = (await connector
      .oauth!.exchangeCode({ code: CODE, redirectUri: REDIRECT })
      .catch((e) => e)) as Error;
    expect(error).toMatchObject({ code: 'oauth_denied' });
    expect(error.message).toContain('invalid_grant: Bad Request');
    expect(error.message).not.toContain(CODE);
    expect(error.message).not.toContain(CLIENT_SECRET);
  });

  it('a wrong client secret is provider_not_configured', async () => {
    const { connector } = build(google({ 'POST token': errorFixture('oauth_invalid_client.json') }));
    await expect(connector.oauth!.exchangeCode({ code: CODE, redirectUri: REDIRECT })).rejects.toMatchObject({
      code: 'provider_not_configured',
    });
  });
});

describe('refresh and revoke', () => {
  it('refreshes with the refresh_token grant and keeps the old refresh token when none comes back', async () => {
    const { connector, requests } = build(google());
    const token = await connector.refresh!({
      ...TOKEN,
      scopes: ['x'],
      refreshExpiresAt: '2030-01-01T00:00:00.000Z',
    });
    expect(token).toMatchObject({
      accessToken: 'ya29.fixture-access-token-0002',
      refreshToken: TOKEN.refreshToken,
      refreshExpiresAt: '2030-01-01T00:00:00.000Z',
    });
    expect(Date.parse(token.expiresAt!)).toBeGreaterThan(Date.now() + 3500_000);
    expect(kit.formOf(requests[0]!)).toEqual({
      grant_type: 'refresh_token',
      refresh_token: TOKEN.refreshToken,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
  });

  it('takes a rotated refresh token and its expiry when Google sends them', async () => {
    const rotated = {
      ...(okFixture('oauth_refresh_response.json').body as object),
      refresh_token: '1//rotated',
      refresh_token_expires_in: 604799,
    };
    const { connector } = build(google({ 'POST token': { body: rotated } }));
    const token = await connector.refresh!(TOKEN);
    expect(token.refreshToken).toBe('1//rotated');
    expect(Date.parse(token.refreshExpiresAt!)).toBeGreaterThan(Date.now() + 604_000_000);
  });

  it('invalid_grant on refresh -> auth_token_revoked; no refresh token -> auth_token_revoked without a call', async () => {
    const built = build(google({ 'POST token': errorFixture('oauth_invalid_grant.json') }));
    await kit.expectRefusedAfter(built, (connector) => connector.refresh!(TOKEN), 'auth_token_revoked', 1);
    // Still the one request of the first refresh: without a refresh token there is nothing to send.
    const bare = { accessToken: 'a', scopes: [] };
    await kit.expectRefusedAfter(built, (connector) => connector.refresh!(bare), 'auth_token_revoked', 1);
  });

  it('revokes the refresh token; an already revoked token is fine', async () => {
    const built = build(google());
    const revocation = await kit.expectRevokePost(built, TOKEN, 'https://oauth2.googleapis.com/revoke');
    expect(revocation.body).toBe(`token=${encodeURIComponent(TOKEN.refreshToken)}`);
    const gone = build(google({ 'POST revoke': errorFixture('revoke_invalid_token.json') }));
    await expect(gone.connector.revoke!(TOKEN)).resolves.toBeUndefined();
  });
});

describe('identify', () => {
  it('reads userinfo with the bearer token: email and sub', async () => {
    await kit.expectIdentity(build(google()), TOKEN, {
      identity: { businessAccount: 'dana.fixture@example.com', businessAccountId: '110248495921238986420' },
      url: 'https://openidconnect.googleapis.com/v1/userinfo',
      headers: { authorization: `Bearer ${TOKEN.accessToken}` },
    });
  });

  it('an unknown token is auth (401 UNAUTHENTICATED), not retried', async () => {
    const built = build(google({ 'GET userinfo': errorFixture('error_401_unauthenticated.json') }));
    await kit.expectRefusedAfter(built, kit.identifying(TOKEN), 'auth_token_expired', 1);
  });
});

describe('discovery', () => {
  it('pages account summaries and each account’s properties; a property is an account under its Analytics account', async () => {
    const { connector, requests } = build(google());
    const pages = await collect(connector.discoverAccounts(TOKEN));
    expect(pages).toEqual([
      [
        {
          id: '301000001',
          name: 'fixture.example — Web',
          currency: 'EUR',
          timezone: 'Europe/Berlin',
          status: 'active',
          managerPath: ['Fixture Studio'],
        },
      ],
      [expect.objectContaining({ id: '301000002', currency: 'USD', timezone: 'America/New_York' })],
      [expect.objectContaining({ id: '301000003', status: 'deleted', managerPath: ['Fixture Labs'] })],
    ]);
    const calls = requests.map((request) => `${request.url.pathname}?${request.url.searchParams}`);
    expect(calls).toEqual([
      '/v1beta/accountSummaries?pageSize=200',
      '/v1beta/properties?filter=parent%3Aaccounts%2F201000001&pageSize=200',
      '/v1beta/properties?filter=parent%3Aaccounts%2F201000001&pageSize=200&pageToken=fixture-properties-page-2',
      '/v1beta/accountSummaries?pageSize=200&pageToken=fixture-summaries-page-2',
      '/v1beta/properties?filter=parent%3Aaccounts%2F201000002&pageSize=200',
    ]);
    expect(requests[0]!.url.host).toBe('analyticsadmin.googleapis.com');
  });

  it('an empty account list ({}) is no accounts', async () => {
    const { connector } = build(google({ 'GET accountSummaries': { body: {} } }));
    expect(await collect(connector.discoverAccounts(TOKEN))).toEqual([]);
  });

  it('keeps a property the summary lists but the properties list does not return', async () => {
    const { connector } = build(google({ 'GET properties': { body: {} } }));
    const accounts = (await collect(connector.discoverAccounts(TOKEN))).flat();
    expect(accounts.map((account) => [account.id, account.timezone, account.managerPath])).toEqual([
      ['301000001', null, ['Fixture Studio']],
      ['301000002', null, ['Fixture Studio']],
      ['301000003', null, ['Fixture Labs']],
    ]);
  });

  it('uses the sandbox paths in sandbox mode', async () => {
    const { connector, requests } = build(google(), {}, () => SANDBOX_URL);
    await collect(connector.discoverAccounts(TOKEN));
    expect(requests[0]!.url.toString()).toBe(`${SANDBOX_URL}/admin/v1beta/accountSummaries?pageSize=200`);
  });

  it('a page token that repeats is a paging loop, not an endless discovery', async () => {
    const { connector } = build(
      google({
        'GET accountSummaries': okFixture('account_summaries_page1.json'),
        'GET properties': { body: {} },
      }),
    );
    await expect(collect(connector.discoverAccounts(TOKEN))).rejects.toMatchObject({
      code: 'provider_malformed_response',
    });
  });

  it('a 403 on discovery is permission_denied; a disabled API is provider_not_configured', async () => {
    const denied = build(
      google({ 'GET accountSummaries': errorFixture('error_403_permission_denied.json') }),
    );
    await expect(collect(denied.connector.discoverAccounts(TOKEN))).rejects.toMatchObject({
      code: 'permission_denied',
    });
    const off = build(google({ 'GET accountSummaries': errorFixture('error_403_service_disabled.json') }));
    await expect(collect(off.connector.discoverAccounts(TOKEN))).rejects.toMatchObject({
      code: 'provider_not_configured',
      message: expect.stringContaining('has not been used in project'),
    });
  });
});
