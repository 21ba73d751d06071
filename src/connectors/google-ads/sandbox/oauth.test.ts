import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from './constants.ts';
import { findUserByEmail } from './seed.ts';
import {
  API,
  adsHeaders,
  approve,
  authorizeUrl,
  consentPageFaults,
  exchange,
  getUrl,
  login,
  loginTokens,
  pkcePair,
  postForm,
  startSandbox,
  type TestSandbox,
} from './test-harness.ts';

let sandbox: TestSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});
afterEach(() => {
  vi.useRealTimers();
});

const listAccessible = (token: string) =>
  getUrl(sandbox, `${API}/customers:listAccessibleCustomers`, adsHeaders(token));

describe('consent page', () => {
  it('lists every seeded account with an accessible approve link and a cancel link', async () => {
    const page = await getUrl(sandbox, authorizeUrl());
    expect(consentPageFaults(page)).toEqual([]);
    expect(page.text).toContain('aria-label="Continue as Alex Morgan (alex@example.com)"');
    expect(page.text).toContain('1252 Google Ads accounts');
    expect(page.text).toContain('sandbox_approve=alex%40example.com');
    expect(page.text).toContain('sandbox_deny=1');
  });

  it('refuses an unknown client, a missing redirect_uri, a bad response_type and an unknown scope', async () => {
    expect(
      (await getUrl(sandbox, authorizeUrl({ client_id: 'other.apps.googleusercontent.com' }))).status,
    ).toBe(401);
    const missing = await getUrl(sandbox, authorizeUrl().replace(/redirect_uri=[^&]+&/, ''));
    expect([missing.status, missing.text.includes('redirect_uri')]).toEqual([400, true]);
    expect((await getUrl(sandbox, authorizeUrl({ response_type: 'token' }))).text).toContain(
      'unsupported_response_type',
    );
    expect((await getUrl(sandbox, authorizeUrl({ scope: 'openid https://example.test/x' }))).text).toContain(
      'invalid_scope',
    );
  });

  it('approve redirects with code, state and the granted scopes, keeping the redirect URI query', async () => {
    const location = await approve(sandbox, 'alex@example.com');
    expect(`${location.origin}${location.pathname}`).toBe('https://app.example.test/oauth/callback');
    expect(location.searchParams.get('source')).toBe('google');
    expect(location.searchParams.get('state')).toBe('state-123');
    expect(location.searchParams.get('code')).toMatch(/^4\/0A/);
    expect(location.searchParams.get('scope')).toBe(
      'https://www.googleapis.com/auth/adwords openid https://www.googleapis.com/auth/userinfo.email',
    );
  });

  it('deny redirects with error=access_denied and the state', async () => {
    const response = await getUrl(sandbox, authorizeUrl({ sandbox_deny: '1' }));
    const location = new URL(String(response.headers.location));
    expect([response.status, location.searchParams.get('error'), location.searchParams.get('state')]).toEqual(
      [302, 'access_denied', 'state-123'],
    );
    expect(location.searchParams.get('code')).toBeNull();
  });
});

describe('token endpoint', () => {
  it('exchanges a code (PKCE S256) for Google token JSON with a refresh token and an id_token', async () => {
    const body = await loginTokens(sandbox, 'alex@example.com');
    expect(Object.keys(body)).toEqual([
      'access_token',
      'expires_in',
      'refresh_token',
      'scope',
      'token_type',
      'id_token',
    ]);
    expect(body).toMatchObject({ expires_in: 3599, token_type: 'Bearer' });
    expect(body.access_token).toMatch(/^ya29\./);
    expect(body.refresh_token).toMatch(/^1\/\//);
    const claims = JSON.parse(Buffer.from(body.id_token.split('.')[1], 'base64url').toString());
    expect(claims).toMatchObject({
      aud: SANDBOX_CLIENT_ID,
      sub: findUserByEmail('alex@example.com')!.sub,
      email: 'alex@example.com',
    });
  });

  it('codes are single use, short-lived, bound to their redirect_uri and PKCE verifier', async () => {
    const { verifier, challenge } = pkcePair();
    const pkce = { code_challenge: challenge, code_challenge_method: 'S256' };
    const code = (await approve(sandbox, 'sam.lee@example.com', pkce)).searchParams.get('code')!;
    expect((await exchange(sandbox, code)).json).toEqual({
      error: 'invalid_grant',
      error_description: 'Missing code verifier.',
    });
    expect(
      (await exchange(sandbox, code, { code_verifier: pkcePair().verifier })).json.error_description,
    ).toBe('Invalid code verifier.');
    expect(
      (
        await exchange(sandbox, code, {
          code_verifier: verifier,
          redirect_uri: 'https://app.example.test/other',
        })
      ).json.error,
    ).toBe('redirect_uri_mismatch');
    expect((await exchange(sandbox, code, { code_verifier: verifier })).status).toBe(200);
    expect((await exchange(sandbox, code, { code_verifier: verifier })).json).toEqual({
      error: 'invalid_grant',
      error_description: 'Bad Request',
    });
    const late = (await approve(sandbox, 'sam.lee@example.com')).searchParams.get('code')!;
    sandbox.state.advance(11 * 60 * 1000);
    expect((await exchange(sandbox, late)).json.error).toBe('invalid_grant');
  });

  it('checks the client credentials (body or HTTP Basic) and the grant type', async () => {
    const code = (await approve(sandbox, 'alex@example.com')).searchParams.get('code')!;
    const wrong = await exchange(sandbox, code, { client_secret: 'nope' });
    expect([wrong.status, wrong.json.error]).toEqual([401, 'invalid_client']);
    const unknown = await exchange(sandbox, code, { client_id: 'x.apps.googleusercontent.com' });
    expect([unknown.status, unknown.json.error_description]).toEqual([
      401,
      'The OAuth client was not found.',
    ]);
    const grant = await postForm(sandbox, '/token', {
      grant_type: 'password',
      client_id: SANDBOX_CLIENT_ID,
      client_secret: SANDBOX_CLIENT_SECRET,
    });
    expect([grant.status, grant.json.error]).toEqual([400, 'unsupported_grant_type']);
    const basic = Buffer.from(`${SANDBOX_CLIENT_ID}:${SANDBOX_CLIENT_SECRET}`).toString('base64');
    const viaBasic = await postForm(
      sandbox,
      '/token',
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: 'https://app.example.test/oauth/callback?source=google',
      },
      { authorization: `Basic ${basic}` },
    );
    expect(viaBasic.status).toBe(200);
  });

  it('gives no refresh token without access_type=offline', async () => {
    const code = (await approve(sandbox, 'alex@example.com', { access_type: 'online' })).searchParams.get(
      'code',
    )!;
    const body = (await exchange(sandbox, code)).json;
    expect(body.access_token).toBeDefined();
    expect(body.refresh_token).toBeUndefined();
  });

  it('refresh mints a new access token, keeps the refresh token valid and returns no new one', async () => {
    const first = await loginTokens(sandbox, 'alex@example.com');
    const refresh = () =>
      postForm(sandbox, '/token', {
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token,
        client_id: SANDBOX_CLIENT_ID,
        client_secret: SANDBOX_CLIENT_SECRET,
      });
    const again = await refresh();
    expect(again.status).toBe(200);
    expect(Object.keys(again.json)).toEqual([
      'access_token',
      'expires_in',
      'scope',
      'token_type',
      'id_token',
    ]);
    expect(again.json.access_token).not.toBe(first.access_token);
    expect((await listAccessible(again.json.access_token)).status).toBe(200);
    expect((await refresh()).status).toBe(200);
  });

  it('access tokens expire after an hour on the real clock (not the virtual one)', async () => {
    const token = await login(sandbox, 'alex@example.com');
    sandbox.state.advance(3 * 86_400_000);
    expect((await listAccessible(token)).status).toBe(200);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 3_601_000);
    const expired = await listAccessible(token);
    expect([expired.status, expired.json.error.details[0].errors[0].errorCode]).toEqual([
      401,
      { authenticationError: 'OAUTH_TOKEN_EXPIRED' },
    ]);
  });
});

describe('revoke and userinfo', () => {
  it('userinfo gives sub and email (name only with the profile scope); bad tokens get 401', async () => {
    const user = findUserByEmail('sam.lee@example.org')!;
    const token = await login(sandbox, user.email);
    const info = await getUrl(sandbox, '/sandbox/google-ads/v1/userinfo', {
      authorization: `Bearer ${token}`,
    });
    expect(info.json).toEqual({ sub: user.sub, email: user.email, email_verified: true });
    const code = (await approve(sandbox, user.email, { scope: 'openid email profile' })).searchParams.get(
      'code',
    )!;
    const profile = (await exchange(sandbox, code)).json.access_token;
    const named = await getUrl(sandbox, '/sandbox/google-ads/v1/userinfo', {
      authorization: `Bearer ${profile}`,
    });
    expect(named.json.name).toBe('Sam Lee');
    const bad = await getUrl(sandbox, '/sandbox/google-ads/v1/userinfo', { authorization: 'Bearer nope' });
    expect([bad.status, bad.json.error, String(bad.headers['www-authenticate'])]).toEqual([
      401,
      'invalid_request',
      'Bearer realm="https://accounts.google.com/", error="invalid_token"',
    ]);
  });

  it('a token without the AdWords scope is refused by the Ads API', async () => {
    const code = (await approve(sandbox, 'alex@example.com', { scope: 'openid email' })).searchParams.get(
      'code',
    )!;
    const token = (await exchange(sandbox, code)).json.access_token;
    const refused = await listAccessible(token);
    expect([refused.status, refused.json.error.status, refused.json.error.details[0].reason]).toEqual([
      403,
      'PERMISSION_DENIED',
      'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
    ]);
  });

  it('revoking the access token revokes its refresh token too', async () => {
    const tokens = await loginTokens(sandbox, 'alex@example.com');
    expect((await postForm(sandbox, '/revoke', { token: tokens.access_token })).status).toBe(200);
    const api = await listAccessible(tokens.access_token);
    expect([api.status, api.json.error.details[0].errors[0].errorCode.authenticationError]).toEqual([
      401,
      'OAUTH_TOKEN_REVOKED',
    ]);
    const refreshed = await postForm(sandbox, '/token', {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: SANDBOX_CLIENT_ID,
      client_secret: SANDBOX_CLIENT_SECRET,
    });
    expect([refreshed.status, refreshed.json]).toEqual([
      400,
      { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' },
    ]);
    const again = await postForm(sandbox, '/revoke', { token: tokens.refresh_token });
    expect([again.status, again.json.error]).toEqual([400, 'invalid_token']);
  });

  it('records every code, access token and refresh token with the host', async () => {
    const tokens = await loginTokens(sandbox, 'nora@example.com');
    const kinds = sandbox.state.issued
      .filter((entry) => entry.user === 'nora@example.com')
      .map((entry) => entry.kind);
    expect(kinds).toEqual(['code', 'refresh_token', 'access_token']);
    expect(sandbox.state.issued.some((entry) => entry.value === tokens.refresh_token)).toBe(true);
  });
});
