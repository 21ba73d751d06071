import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from './constants.ts';
import {
  apiGet,
  approve,
  assertion,
  authorizeUrl,
  BASE,
  consentPageFaults,
  exchangeCode,
  getUrl,
  jwtGrant,
  login,
  pkcePair,
  postForm,
  REDIRECT_URI,
  serviceLogin,
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

describe('consent page', () => {
  it('lists every seeded user with an accessible link, and a cancel link', async () => {
    const page = await getUrl(sandbox, authorizeUrl());
    expect(consentPageFaults(page)).toEqual([]);
    expect(page.text).toContain(`aria-label="Continue as`);
    expect(page.text).toContain('280 properties');
    expect(page.text).toContain('>Cancel</a>');
  });

  it('approve redirects with code, state and the granted scopes, keeping the redirect URI query', async () => {
    const location = await approve(sandbox, 'alex@example.com');
    expect(location.origin + location.pathname).toBe('https://app.example.test/oauth/callback');
    expect(location.searchParams.get('source')).toBe('ga4');
    expect(location.searchParams.get('state')).toBe('state-123');
    expect(location.searchParams.get('code')).toMatch(/^4\/0A/);
    expect(location.searchParams.get('scope')).toBe(
      'https://www.googleapis.com/auth/analytics.readonly openid https://www.googleapis.com/auth/userinfo.email',
    );
  });

  it('deny redirects with access_denied and the state', async () => {
    const response = await getUrl(sandbox, authorizeUrl({ sandbox_deny: '1' }));
    const location = new URL(String(response.headers.location));
    expect([response.status, location.searchParams.get('error'), location.searchParams.get('state')]).toEqual(
      [302, 'access_denied', 'state-123'],
    );
  });

  it.each([
    [{ client_id: 'other.apps.googleusercontent.com' }, 401, 'invalid_client'],
    [{ redirect_uri: 'not a url' }, 400, 'redirect_uri_mismatch'],
    [{ response_type: 'token' }, 400, 'unsupported_response_type'],
    [{ scope: 'https://www.googleapis.com/auth/adwords' }, 400, 'invalid_scope'],
    [{ code_challenge: 'short', code_challenge_method: 'S256' }, 400, 'invalid_request'],
  ])('refuses %j with an error page', async (extra, status, code) => {
    const page = await getUrl(sandbox, authorizeUrl(extra));
    expect(page.status).toBe(status);
    expect(page.text).toContain(code);
  });
});

describe('authorization code exchange', () => {
  it('returns Google token JSON; the access token reads userinfo', async () => {
    const location = await approve(sandbox, 'alex@example.com');
    const response = await exchangeCode(sandbox, location.searchParams.get('code')!);
    expect(response.status).toBe(200);
    expect(Object.keys(response.json).sort()).toEqual([
      'access_token',
      'expires_in',
      'id_token',
      'refresh_token',
      'scope',
      'token_type',
    ]);
    expect([response.json.expires_in, response.json.token_type]).toEqual([3599, 'Bearer']);
    const idClaims = JSON.parse(Buffer.from(response.json.id_token.split('.')[1], 'base64url').toString());
    expect([idClaims.aud, idClaims.email]).toEqual([SANDBOX_CLIENT_ID, 'alex@example.com']);
    const me = await apiGet(sandbox, '/v1/userinfo', response.json.access_token);
    expect(me.status).toBe(200);
    expect(me.json).toEqual({ sub: idClaims.sub, email: 'alex@example.com', email_verified: true });
  });

  it('codes are single use and bound to the redirect URI and client', async () => {
    const code = (await approve(sandbox, 'alex@example.com')).searchParams.get('code')!;
    expect((await exchangeCode(sandbox, code, { redirect_uri: `${REDIRECT_URI}&x=1` })).json.error).toBe(
      'redirect_uri_mismatch',
    );
    expect((await exchangeCode(sandbox, code, { client_secret: 'wrong' })).json).toEqual({
      error: 'invalid_client',
      error_description: 'Unauthorized',
    });
    expect((await exchangeCode(sandbox, code, { client_id: 'x.apps.googleusercontent.com' })).status).toBe(
      401,
    );
    expect((await exchangeCode(sandbox, code)).status).toBe(200);
    expect((await exchangeCode(sandbox, code)).json.error).toBe('invalid_grant');
    expect((await exchangeCode(sandbox, 'not-a-code')).json).toEqual({
      error: 'invalid_grant',
      error_description: 'Malformed auth code.',
    });
  });

  it('accepts HTTP Basic client authentication', async () => {
    const code = (await approve(sandbox, 'nora@example.com')).searchParams.get('code')!;
    const basic = Buffer.from(`${SANDBOX_CLIENT_ID}:${SANDBOX_CLIENT_SECRET}`).toString('base64');
    const response = await postForm(
      sandbox,
      '/token',
      { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI },
      { authorization: `Basic ${basic}` },
    );
    expect(response.status).toBe(200);
  });

  it('verifies PKCE when the authorize request carried a challenge', async () => {
    const { verifier, challenge } = pkcePair();
    const extra = { code_challenge: challenge, code_challenge_method: 'S256' };
    const code = (await approve(sandbox, 'alex@example.com', extra)).searchParams.get('code')!;
    expect((await exchangeCode(sandbox, code)).json.error_description).toBe('Missing code verifier.');
    expect((await exchangeCode(sandbox, code, { code_verifier: pkcePair().verifier })).json.error).toBe(
      'invalid_grant',
    );
    expect((await exchangeCode(sandbox, code, { code_verifier: verifier })).status).toBe(200);
  });

  it('issues no refresh token without access_type=offline', async () => {
    const code = (await approve(sandbox, 'alex@example.com', { access_type: 'online' })).searchParams.get(
      'code',
    )!;
    const response = await exchangeCode(sandbox, code);
    expect(response.status).toBe(200);
    expect(response.json.refresh_token).toBeUndefined();
  });

  it('refuses unknown grant types and missing parameters', async () => {
    expect((await postForm(sandbox, '/token', { grant_type: 'password' })).json).toEqual({
      error: 'unsupported_grant_type',
      error_description: 'Invalid grant_type: password',
    });
    const missing = await postForm(sandbox, '/token', {
      grant_type: 'authorization_code',
      client_id: SANDBOX_CLIENT_ID,
      client_secret: SANDBOX_CLIENT_SECRET,
    });
    expect([missing.status, missing.json.error]).toEqual([400, 'invalid_request']);
  });
});

describe('refresh and revoke', () => {
  const refresh = (token: string) =>
    postForm(sandbox, '/token', {
      grant_type: 'refresh_token',
      refresh_token: token,
      client_id: SANDBOX_CLIENT_ID,
      client_secret: SANDBOX_CLIENT_SECRET,
    });

  it('refresh gives a new access token and no new refresh token', async () => {
    const { access, refresh: refreshToken } = await login(sandbox, 'alex@example.com');
    const response = await refresh(refreshToken);
    expect(response.status).toBe(200);
    expect(response.json.access_token).not.toBe(access);
    expect(response.json.refresh_token).toBeUndefined();
    expect(response.json.expires_in).toBe(3599);
    expect((await apiGet(sandbox, '/admin/v1beta/accountSummaries', response.json.access_token)).status).toBe(
      200,
    );
  });

  it('revoking the access token kills the grant: refresh → invalid_grant, calls → 401', async () => {
    const { access, refresh: refreshToken } = await login(sandbox, 'alex@example.com');
    const revoked = await postForm(sandbox, '/revoke', { token: access });
    expect(revoked.status).toBe(200);
    expect((await refresh(refreshToken)).json).toEqual({
      error: 'invalid_grant',
      error_description: 'Token has been expired or revoked.',
    });
    const call = await apiGet(sandbox, '/admin/v1beta/accountSummaries', access);
    expect([call.status, call.json.error.status]).toEqual([401, 'UNAUTHENTICATED']);
    expect((await postForm(sandbox, '/revoke', { token: access })).json.error).toBe('invalid_token');
  });

  it('unknown refresh tokens are invalid_grant', async () => {
    expect((await refresh('1//0unknown')).json.error).toBe('invalid_grant');
  });
});

describe('service accounts (JWT bearer)', () => {
  it('serves the committed key files', async () => {
    const email = 'reporting@tributary-sandbox.iam.gserviceaccount.com';
    const response = await getUrl(sandbox, `${BASE}/_control/service-account-key?email=${email}`);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      type: 'service_account',
      client_email: email,
      token_uri: 'https://oauth2.googleapis.com/token',
    });
    expect(response.json.private_key).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect((await getUrl(sandbox, `${BASE}/_control/service-account-key?email=x@y.z`)).status).toBe(404);
  });

  it('a signed assertion gets a one-hour token without refresh token', async () => {
    const response = await jwtGrant(
      sandbox,
      assertion('reporting@tributary-sandbox.iam.gserviceaccount.com'),
    );
    expect(response.status).toBe(200);
    expect(Object.keys(response.json).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
    expect(response.json.expires_in).toBe(3599);
  });

  it("accepts the sandbox's own token URL as audience", async () => {
    const signed = assertion('reporting@tributary-sandbox.iam.gserviceaccount.com', {
      aud: 'http://localhost:80/sandbox/ga4/token',
    });
    expect((await jwtGrant(sandbox, signed)).status).toBe(200);
  });

  it.each([
    ['a wrong signature', (good: string) => `${good.slice(0, -6)}AAAAAA`, 'Invalid JWT Signature.'],
    [
      'a key id of another key',
      () => assertion('reporting@tributary-sandbox.iam.gserviceaccount.com', {}, { kid: '0'.repeat(40) }),
      'Invalid JWT Signature.',
    ],
    [
      'a key signing for another account',
      () =>
        assertion('no-access@tributary-sandbox.iam.gserviceaccount.com', {
          iss: 'reporting@tributary-sandbox.iam.gserviceaccount.com',
        }),
      'Invalid JWT Signature.',
    ],
  ])('%s → 400 invalid_grant', async (_name, make, description) => {
    const good = assertion('reporting@tributary-sandbox.iam.gserviceaccount.com');
    const response = await jwtGrant(sandbox, make(good));
    expect([response.status, response.json]).toEqual([
      400,
      { error: 'invalid_grant', error_description: description },
    ]);
  });

  it('refuses long-lived, expired and wrong-audience assertions, and a missing scope', async () => {
    const email = 'reporting@tributary-sandbox.iam.gserviceaccount.com';
    const now = Math.floor(Date.now() / 1000);
    const long = await jwtGrant(sandbox, assertion(email, { exp: now + 7200 }));
    expect(long.json.error_description).toMatch(/^Invalid JWT: Token must be a short-lived token/);
    const old = await jwtGrant(sandbox, assertion(email, { iat: now - 7200, exp: now - 3600 }));
    expect(old.json.error).toBe('invalid_grant');
    const audience = await jwtGrant(sandbox, assertion(email, { aud: 'https://example.test/token' }));
    expect(audience.json.error_description).toMatch(/audience/);
    const noScope = await jwtGrant(sandbox, assertion(email, { scope: '' }));
    expect(noScope.json.error).toBe('invalid_scope');
  });

  it('the no-access account authenticates but sees nothing', async () => {
    const token = await serviceLogin(sandbox, 'no-access@tributary-sandbox.iam.gserviceaccount.com');
    const response = await apiGet(sandbox, '/admin/v1beta/accountSummaries', token);
    expect([response.status, response.json]).toEqual([200, {}]);
  });
});
