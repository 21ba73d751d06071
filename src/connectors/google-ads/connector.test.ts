import { describe, expect, it } from 'vitest';
import * as kit from '../kit/connectorTestKit.ts';
import { googleAdsConnector } from './index.ts';
import {
  build,
  CLIENT_ID,
  CLIENT_SECRET,
  CODE,
  DEVELOPER_TOKEN,
  errorFixture,
  google,
  REAL_ENV,
  REDIRECT,
  SANDBOX_URL,
  TOKEN,
} from './replay-fetch.ts';

describe('modes', () => {
  it('declares its id, auth type and env vars', () => {
    expect(googleAdsConnector).toMatchObject({ id: 'google-ads', name: 'Google Ads', authType: 'oauth2' });
    expect(googleAdsConnector.envVars).toEqual([
      'GOOGLE_ADS_CLIENT_ID',
      'GOOGLE_ADS_CLIENT_SECRET',
      'GOOGLE_ADS_DEVELOPER_TOKEN',
      'GOOGLE_ADS_LOGIN_CUSTOMER_ID',
      'GOOGLE_ADS_API_BASE_URL',
    ]);
  });

  it('is real with the OAuth client, sandbox without it, unconfigured with neither', () => {
    kit.expectAppCredentialModes(build, google, SANDBOX_URL, { GOOGLE_ADS_CLIENT_ID: CLIENT_ID });
  });

  it('refuses calls when unconfigured', async () => {
    const { connector } = build(google(), {});
    await expect(connector.identify(TOKEN)).rejects.toMatchObject({ code: 'provider_not_configured' });
  });

  it('ships its docs', () => {
    const { connector } = build(google());
    expect(connector.docs.setupGuide).toContain('# Google Ads — setup guide');
    expect(connector.docs.troubleshooting).toContain('REQUESTED_METRICS_FOR_MANAGER');
  });
});

describe('OAuth', () => {
  it('builds Google’s consent URL with PKCE, offline access and a forced consent', () => {
    const { connector } = build(google());
    expect(connector.oauth?.pkce).toBe(true);
    const url = new URL(
      connector.oauth!.authorizationUrl({
        state: 's-1',
        redirectUri: REDIRECT,
        codeChallenge: 'challenge-1',
      }),
    );
    expect(`${url.origin}${url.pathname}`).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'https://www.googleapis.com/auth/adwords openid email',
      state: 's-1',
      access_type: 'offline',
      prompt: 'consent',
      code_challenge: 'challenge-1',
      code_challenge_method: 'S256',
    });
  });

  it('real mode without a developer token is refused before the consent page, naming the variable', () => {
    const env = { GOOGLE_ADS_CLIENT_ID: CLIENT_ID, GOOGLE_ADS_CLIENT_SECRET: CLIENT_SECRET };
    const { connector } = build(google(), env);
    expect(connector.configured).toBe(true);
    let error: unknown;
    try {
      connector.oauth!.authorizationUrl({ state: 's', redirectUri: REDIRECT, codeChallenge: 'c' });
    } catch (failure) {
      error = failure;
    }
    expect(error).toMatchObject({ code: 'provider_not_configured' });
    expect((error as Error).message).toContain('GOOGLE_ADS_DEVELOPER_TOKEN');
    expect((error as Error).message).toContain('API Center');
  });

  it('uses the sandbox client and host in sandbox mode', () => {
    const { connector } = build(google(), {}, () => SANDBOX_URL);
    const url = new URL(
      connector.oauth!.authorizationUrl({ state: 's', redirectUri: REDIRECT, codeChallenge: 'c' }),
    );
    expect(url.toString()).toContain(`${SANDBOX_URL}/o/oauth2/v2/auth?`);
    expect(url.searchParams.get('client_id')).toBe('tributary-sandbox.apps.googleusercontent.com');
  });

  it('exchanges the code in a form POST with the PKCE verifier; keeps refresh token, expiry and scopes', async () => {
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
        'https://www.googleapis.com/auth/adwords',
        'openid',
        'https://www.googleapis.com/auth/userinfo.email',
      ],
    });
    kit.expectExpiresIn(token.expiresAt, before, 3_599_000);
    kit.expectFormPost(requests[0]!, 'https://oauth2.googleapis.com/token', {
      code: CODE,
      redirect_uri: REDIRECT,
      code_verifier: 'v-1',
      grant_type: 'authorization_code',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
  });

  it('sandbox exchange sends the sandbox client to the sandbox token path', async () => {
    const route = google({
      'POST 127.0.0.1:4400/sandbox/google-ads/token': { body: { access_token: 'a', expires_in: 3599 } },
    });
    const { connector, requests } = build(route, {}, () => SANDBOX_URL);
    await connector.oauth!.exchangeCode({ code: CODE, redirectUri: REDIRECT, codeVerifier: 'v' });
    expect(requests[0]!.url.toString()).toBe(`${SANDBOX_URL}/token`);
    expect(new URLSearchParams(requests[0]!.body).get('client_secret')).toBe('tributary-sandbox-secret');
  });

  it('a used or expired code (invalid_grant) is oauth_denied, without the code or secret in the message', async () => {
    const route = google({ 'POST oauth2.googleapis.com/token': errorFixture('oauth_invalid_grant.json') });
    const error = (await build(route)
      .connector.oauth!.exchangeCode({ code: CODE, redirectUri: REDIRECT })
      .catch((e: unknown) => e)) as Error & { code: string };
    expect(error).toMatchObject({ name: 'TributaryError', code: 'oauth_denied' });
    expect(error.message).toContain('invalid_grant (Bad Request)');
    expect(error.message).not.toContain(CODE);
    expect(error.message).not.toContain(CLIENT_SECRET);
  });

  it('a wrong client secret (invalid_client) is a configuration error', async () => {
    const route = google({ 'POST oauth2.googleapis.com/token': errorFixture('oauth_invalid_client.json') });
    const error = await build(route)
      .connector.oauth!.exchangeCode({ code: CODE, redirectUri: REDIRECT })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'provider_not_configured' });
  });
});

describe('refresh and revoke', () => {
  it('refreshes with the refresh_token grant and keeps the refresh token Google does not resend', async () => {
    const { connector, requests } = build(google());
    const fresh = await connector.refresh!({
      ...TOKEN,
      scopes: ['old'],
      expiresAt: '2000-01-01T00:00:00.000Z',
    });
    expect(fresh.accessToken).toBe('ya29.fixture-access-token-0002');
    expect(fresh.refreshToken).toBe(TOKEN.refreshToken);
    expect(Date.parse(fresh.expiresAt!)).toBeGreaterThan(Date.now() + 3_500_000);
    expect(fresh.scopes).toContain('https://www.googleapis.com/auth/adwords');
    expect(kit.formOf(requests[0]!)).toEqual({
      refresh_token: TOKEN.refreshToken,
      grant_type: 'refresh_token',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
  });

  it('takes a rotated refresh token when Google sends one', async () => {
    const route = google({
      'POST oauth2.googleapis.com/token': {
        body: { access_token: 'a2', expires_in: 3599, refresh_token: 'r2' },
      },
    });
    expect(await build(route).connector.refresh!(TOKEN)).toMatchObject({
      accessToken: 'a2',
      refreshToken: 'r2',
    });
  });

  it.each([
    ['oauth_invalid_grant_revoked.json', 'auth_token_revoked'],
    ['oauth_invalid_grant.json', 'auth_token_revoked'],
    ['oauth_invalid_client.json', 'provider_not_configured'],
  ])('a refresh answered %s -> %s', async (fixture, code) => {
    const route = google({ 'POST oauth2.googleapis.com/token': errorFixture(fixture) });
    const error = (await build(route).connector.refresh!(TOKEN).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code });
    expect(error.message).not.toContain(TOKEN.refreshToken);
  });

  it('a credential without a refresh token cannot be refreshed: auth_token_revoked, no call', async () => {
    const bare = { accessToken: 'a', scopes: [] };
    await kit.expectRefusedAfter(
      build(google()),
      (connector) => connector.refresh!(bare),
      'auth_token_revoked',
      0,
    );
  });

  it('a 503 of the token endpoint is retried', async () => {
    const route = google({
      'POST oauth2.googleapis.com/token': [
        { status: 503, body: 'busy', raw: true },
        { body: { access_token: 'a3' } },
      ],
    });
    const { connector, requests } = build(route);
    expect((await connector.refresh!(TOKEN)).accessToken).toBe('a3');
    expect(requests).toHaveLength(2);
  });

  it('revokes the grant with the refresh token in a form body; an unknown token counts as revoked', async () => {
    const built = build(google());
    const revocation = await kit.expectRevokePost(built, TOKEN, 'https://oauth2.googleapis.com/revoke');
    expect(revocation.body).toBe(`token=${encodeURIComponent(TOKEN.refreshToken)}`);
    const gone = google({
      'POST oauth2.googleapis.com/revoke': {
        status: 400,
        body: { error: 'invalid_token', error_description: 'Token expired or revoked' },
      },
    });
    await expect(build(gone).connector.revoke!(TOKEN)).resolves.toBeUndefined();
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

  it('falls back to the name when the email scope was not granted', async () => {
    const route = google({
      'GET openidconnect.googleapis.com/v1/userinfo': { body: { sub: '42', name: 'Dana' } },
    });
    expect(await build(route).connector.identify(TOKEN)).toEqual({
      businessAccount: 'Dana',
      businessAccountId: '42',
    });
  });

  it('an invalid token is category auth; a body without sub is malformed', async () => {
    const bad = google({
      'GET openidconnect.googleapis.com/v1/userinfo': {
        status: 401,
        body: { error: 'invalid_request', error_description: 'Invalid Credentials' },
      },
    });
    const error = (await build(bad)
      .connector.identify(TOKEN)
      .catch((e: unknown) => e)) as Error & { category: string };
    expect(error.category).toBe('auth');
    expect(error.message).toContain('Invalid Credentials');
    const empty = google({
      'GET openidconnect.googleapis.com/v1/userinfo': { body: { email: 'x@example.com' } },
    });
    await expect(build(empty).connector.identify(TOKEN)).rejects.toMatchObject({
      code: 'provider_malformed_response',
    });
  });

  it('never sends the developer token to Google’s OAuth endpoints', async () => {
    const { connector, requests } = build(google(), REAL_ENV);
    await connector.identify(TOKEN);
    await connector.refresh!(TOKEN);
    for (const request of requests) expect(request.headers.get('developer-token')).toBeNull();
    expect(JSON.stringify(requests.map((r) => r.body))).not.toContain(DEVELOPER_TOKEN);
  });
});
