/**
 * LinkedIn OAuth against the sandbox: consent page, code exchange (single use, 30 minutes, exact
 * redirect_uri, client credentials, PKCE when a challenge was sent), declined scopes, refresh (same
 * refresh token, its year not extended), token expiry on the real clock, introspection, revocation and
 * `/v2/userinfo`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from './constants.ts';
import { findUserByEmail } from './seed.ts';
import {
  analyticsQuery,
  approve,
  authorizeUrl,
  BASE,
  exchange,
  getUrl,
  loginTokens,
  postForm,
  REDIRECT_URI,
  refresh,
  rest,
  startSandbox,
  type TestSandbox,
  utcDate,
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

const userinfo = (token: string) =>
  getUrl(sandbox, `${BASE}/v2/userinfo`, { authorization: `Bearer ${token}` });
const alexAccount = findUserByEmail('alex@example.com')!.accounts[0]!.id;

describe('consent page', () => {
  it('lists every seeded member with an accessible Allow button, the scopes as checkboxes, and Cancel', async () => {
    const page = await getUrl(sandbox, authorizeUrl());
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('aria-label="Allow as Alex Morgan (alex@example.com)"');
    expect(page.text).toContain('aria-label="Allow as Sam Lee (sam.lee@example.org)"');
    expect(page.text).toContain('name="sandbox_scopes" value="r_ads_reporting" checked');
    expect(page.text).toContain('name="sandbox_deny" value="1"');
    // The request's own parameters ride along in the form, escaped.
    expect(page.text).toContain(`name="redirect_uri" value="${REDIRECT_URI.replace('&', '&amp;')}"`);
  });

  it('approves with a code and the state; denies with user_cancelled_authorize', async () => {
    const approved = await approve(sandbox, 'alex@example.com');
    expect(approved.origin + approved.pathname).toBe('https://app.example.test/oauth/callback');
    expect(approved.searchParams.get('source')).toBe('linkedin');
    expect(approved.searchParams.get('state')).toBe('state-123');
    expect(approved.searchParams.get('code')).toMatch(/^[\w-]{40,}$/);
    const denied = await getUrl(sandbox, authorizeUrl({ sandbox_deny: '1' }));
    const location = new URL(String(denied.headers.location));
    expect([denied.status, location.searchParams.get('error'), location.searchParams.get('state')]).toEqual([
      302,
      'user_cancelled_authorize',
      'state-123',
    ]);
  });

  it('refuses an unknown client on the page, and a scope the app lacks by redirect', async () => {
    const badClient = await getUrl(sandbox, authorizeUrl({ client_id: 'nope' }));
    expect(badClient.status).toBe(400);
    const badScope = await getUrl(sandbox, authorizeUrl({ scope: 'r_ads w_member_social' }));
    expect(new URL(String(badScope.headers.location)).searchParams.get('error')).toBe(
      'unauthorized_scope_error',
    );
    const unknownMember = await getUrl(sandbox, authorizeUrl({ sandbox_approve: 'who@example.com' }));
    expect(unknownMember.status).toBe(400);
  });
});

describe('code exchange', () => {
  it('returns a 60-day token, the refresh token with its year, and the granted scopes comma-separated', async () => {
    const tokens = await loginTokens(sandbox, 'alex@example.com');
    expect(tokens.expires_in).toBe(5_184_000);
    expect(tokens.refresh_token_expires_in).toBeGreaterThan(31_535_990);
    expect(tokens.refresh_token_expires_in).toBeLessThanOrEqual(31_536_000);
    expect(tokens.scope).toBe('r_ads,r_ads_reporting,openid,profile,email');
    expect(typeof tokens.refresh_token).toBe('string');
    const issued = await getUrl(sandbox, '/sandbox/_control/tokens');
    const kinds = issued.json.tokens
      .filter((token: { value: string }) => [tokens.access_token, tokens.refresh_token].includes(token.value))
      .map((token: { kind: string }) => token.kind)
      .sort();
    expect(kinds).toEqual(['access_token', 'refresh_token']);
  });

  it('codes are single use, expire after 30 minutes, and need the same redirect_uri and app secret', async () => {
    const code = (await approve(sandbox, 'alex@example.com')).searchParams.get('code')!;
    expect((await exchange(sandbox, code, { client_secret: 'wrong' })).json).toEqual({
      error: 'invalid_client',
      error_description: 'Client authentication failed',
    });
    expect(
      (await exchange(sandbox, code, { redirect_uri: 'https://app.example.test/oauth/callback' })).json.error,
    ).toBe('invalid_request');
    expect((await exchange(sandbox, code)).status).toBe(200);
    const again = await exchange(sandbox, code);
    expect([again.status, again.json.error]).toEqual([400, 'invalid_request']);
    const late = (await approve(sandbox, 'alex@example.com')).searchParams.get('code')!;
    sandbox.state.advance(31 * 60 * 1000);
    expect((await exchange(sandbox, late)).status).toBe(400);
    const missing = await postForm(sandbox, 'accessToken', { client_id: SANDBOX_CLIENT_ID });
    expect(missing.json).toEqual({
      error: 'invalid_request',
      error_description: 'A required parameter "grant_type" is missing',
    });
  });

  it('checks the PKCE verifier when the authorization carried a challenge', async () => {
    const verifier = 'a-verifier-that-is-long-enough-for-pkce-0123456789';
    const { createHash } = await import('node:crypto');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const code = (
      await approve(sandbox, 'alex@example.com', { code_challenge: challenge, code_challenge_method: 'S256' })
    ).searchParams.get('code')!;
    expect((await exchange(sandbox, code, { code_verifier: 'wrong' })).status).toBe(400);
    expect((await exchange(sandbox, code, { code_verifier: verifier })).status).toBe(200);
  });

  it('a member who unticks the ads permissions gets a token without them, refused by the API', async () => {
    const tokens = await loginTokens(sandbox, 'alex@example.com', { sandbox_scopes: 'openid,profile,email' });
    expect(tokens.scope).toBe('openid,profile,email');
    const accounts = await rest(sandbox, '/adAccounts', 'q=search', tokens.access_token);
    expect([accounts.status, accounts.json.code]).toEqual([403, 'ACCESS_DENIED']);
    const reportOnly = await loginTokens(sandbox, 'alex@example.com', { sandbox_scopes: 'r_ads,openid' });
    const report = await rest(
      sandbox,
      '/adAnalytics',
      analyticsQuery({ from: utcDate(sandbox, -2), accounts: [alexAccount] }),
      reportOnly.access_token,
    );
    expect([report.status, report.json.serviceErrorCode]).toEqual([403, 100]);
    expect(report.json.message).toMatch(/^Not enough permissions to access: adAnalytics/);
    expect((await userinfo(reportOnly.access_token)).json).toEqual({
      sub: findUserByEmail('alex@example.com')!.sub,
    });
  });
});

describe('refresh and expiry (real clock)', () => {
  it('refresh hands back a new access token and the same refresh token, its year not extended', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const tokens = await loginTokens(sandbox, 'sam.lee@example.com');
    vi.setSystemTime(Date.now() + 10 * 86_400_000);
    const refreshed = await refresh(sandbox, tokens.refresh_token);
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.refresh_token).toBe(tokens.refresh_token);
    expect(refreshed.json.access_token).not.toBe(tokens.access_token);
    expect(refreshed.json.expires_in).toBe(5_184_000);
    expect(tokens.refresh_token_expires_in - refreshed.json.refresh_token_expires_in).toBeGreaterThanOrEqual(
      864_000,
    );
    expect(tokens.refresh_token_expires_in - refreshed.json.refresh_token_expires_in).toBeLessThan(864_010);
    // 61 days on, the first access token has expired; the refreshed one (issued day 10) still works.
    vi.setSystemTime(Date.now() + 51 * 86_400_000);
    const expired = await userinfo(tokens.access_token);
    expect([expired.status, expired.json.code, expired.json.serviceErrorCode]).toEqual([
      401,
      'EXPIRED_ACCESS_TOKEN',
      65601,
    ]);
    expect((await userinfo(refreshed.json.access_token)).status).toBe(200);
    // A year after the grant the refresh token is over, whatever was refreshed in between.
    vi.setSystemTime(Date.now() + 320 * 86_400_000);
    expect((await refresh(sandbox, tokens.refresh_token)).json.error).toBe('invalid_grant');
  });

  it('an unknown refresh token is invalid_grant', async () => {
    const response = await refresh(sandbox, 'not-a-refresh-token');
    expect([response.status, response.json.error]).toEqual([400, 'invalid_grant']);
  });
});

describe('introspection, revocation and userinfo', () => {
  it('introspects a live token as active with its scopes', async () => {
    const tokens = await loginTokens(sandbox, 'alex@example.com');
    const form = {
      client_id: SANDBOX_CLIENT_ID,
      client_secret: SANDBOX_CLIENT_SECRET,
      token: tokens.access_token,
    };
    const live = await postForm(sandbox, 'introspectToken', form);
    expect(live.json).toMatchObject({ active: true, status: 'active', scope: tokens.scope, auth_type: '3L' });
    expect(live.json.expires_at - live.json.created_at).toBe(5_184_000);
    expect((await postForm(sandbox, 'introspectToken', { ...form, token: 'nope' })).json).toEqual({
      active: false,
    });
  });

  it('revocation ends the access token and the refresh token', async () => {
    const tokens = await loginTokens(sandbox, 'alex@example.com');
    const revoked = await postForm(sandbox, 'revoke', {
      client_id: SANDBOX_CLIENT_ID,
      client_secret: SANDBOX_CLIENT_SECRET,
      token: tokens.access_token,
    });
    expect(revoked.status).toBe(200);
    const after = await userinfo(tokens.access_token);
    expect([after.status, after.json.code]).toEqual([401, 'REVOKED_ACCESS_TOKEN']);
    expect((await refresh(sandbox, tokens.refresh_token)).json.error).toBe('invalid_grant');
  });

  it('userinfo names the member by sub, name and email; a foreign token gets the recorded 401', async () => {
    const tokens = await loginTokens(sandbox, 'sam.lee@example.org');
    const member = findUserByEmail('sam.lee@example.org')!;
    expect((await userinfo(tokens.access_token)).json).toMatchObject({
      sub: member.sub,
      name: 'Sam Lee',
      email: 'sam.lee@example.org',
      email_verified: true,
    });
    const foreign = await userinfo('not-a-token');
    expect([foreign.status, foreign.json]).toEqual([
      401,
      { status: 401, serviceErrorCode: 65600, message: 'Invalid access token' },
    ]);
    const none = await getUrl(sandbox, `${BASE}/v2/userinfo`);
    expect(none.status).toBe(401);
  });
});
