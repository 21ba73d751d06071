import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_APP_ID, SANDBOX_APP_SECRET } from './constants.ts';
import { findUserByEmail } from './seed.ts';
import {
  API,
  api,
  approve,
  authorizeUrl,
  BASE,
  consentPageFaults,
  exchange,
  getUrl,
  login,
  post,
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

describe('authorization page', () => {
  it('lists every seeded user with approve links and a cancel link, escaped', async () => {
    const page = await getUrl(sandbox, authorizeUrl());
    expect(consentPageFaults(page)).toEqual([]);
    expect(page.text).toContain('250 advertisers');
    expect(page.text).toContain('sandbox_approve=alex%40example.com');
    expect(page.text).toContain('sandbox_deny=1');
  });

  it('rejects an unknown app and a bad redirect_uri with an error page', async () => {
    expect((await getUrl(sandbox, authorizeUrl({}, 'someone-else'))).status).toBe(400);
    const bad = await getUrl(
      sandbox,
      `${BASE}/portal/auth?app_id=${SANDBOX_APP_ID}&redirect_uri=javascript:alert(1)`,
    );
    expect(bad.status).toBe(400);
  });

  it('approve redirects with auth_code, code and state, keeping the redirect URI query', async () => {
    const location = await approve(sandbox, 'alex@example.com');
    expect(`${location.origin}${location.pathname}`).toBe('https://app.example.test/oauth/callback');
    expect(location.searchParams.get('source')).toBe('tiktok');
    expect(location.searchParams.get('state')).toBe('state-123');
    const code = location.searchParams.get('auth_code');
    expect(code).toMatch(/^[0-9a-f]{40}$/);
    expect(location.searchParams.get('code')).toBe(code);
  });

  it('deny redirects with error=access_denied and the state', async () => {
    const response = await getUrl(sandbox, authorizeUrl({ sandbox_deny: '1' }));
    expect(response.status).toBe(302);
    const location = new URL(String(response.headers.location));
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('error_description')).toBeTruthy();
    expect(location.searchParams.get('state')).toBe('state-123');
    expect(location.searchParams.get('auth_code')).toBeNull();
  });

  it('an unknown sandbox user is an error page', async () => {
    expect((await getUrl(sandbox, authorizeUrl({ sandbox_approve: 'nobody@example.com' }))).status).toBe(400);
  });
});

describe('oauth2/access_token/', () => {
  it('exchanges a code for a long-term token with the advertiser ids and records both with the host', async () => {
    const location = await approve(sandbox, 'sam.lee@example.com');
    const code = location.searchParams.get('auth_code')!;
    const response = await exchange(sandbox, code);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ code: 0, message: 'OK' });
    expect(response.json.request_id).toMatch(/^\d{14}[0-9A-F]{18}$/);
    expect(response.headers['x-tt-logid']).toBe(response.json.request_id);
    const { data } = response.json;
    expect(Object.keys(data).sort()).toEqual(['access_token', 'advertiser_ids', 'scope']);
    expect(data.advertiser_ids).toEqual(
      findUserByEmail('sam.lee@example.com')!.advertisers.map((advertiser) => advertiser.advertiserId),
    );
    // Long-term: no expiry and no refresh token.
    expect(data).not.toHaveProperty('expires_in');
    expect(data).not.toHaveProperty('refresh_token');
    const issued = sandbox.state.issued.filter((token) => token.provider === 'tiktok-ads');
    expect(issued).toContainEqual(
      expect.objectContaining({ kind: 'code', value: code, user: 'sam.lee@example.com' }),
    );
    expect(issued).toContainEqual(
      expect.objectContaining({
        kind: 'access_token',
        value: data.access_token,
        user: 'sam.lee@example.com',
      }),
    );
  });

  it('a code works once', async () => {
    const code = (await approve(sandbox, 'alex@example.com')).searchParams.get('auth_code')!;
    expect((await exchange(sandbox, code)).json.code).toBe(0);
    const again = await exchange(sandbox, code);
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ code: 40110, data: {} });
    expect(again.json.message).toContain('already been used');
  });

  it('a code expires after an hour', async () => {
    const late = await startSandbox();
    try {
      const code = (await approve(late, 'alex@example.com')).searchParams.get('auth_code')!;
      late.state.advance(60 * 60 * 1000 + 1);
      expect((await exchange(late, code)).json).toMatchObject({ code: 40110 });
    } finally {
      await late.close();
    }
  });

  it('a wrong secret or app id fails without consuming the code', async () => {
    const code = (await approve(sandbox, 'alex@example.com')).searchParams.get('auth_code')!;
    const wrongSecret = await exchange(sandbox, code, { secret: 'not-the-secret' });
    expect(wrongSecret.status).toBe(200);
    expect(wrongSecret.json).toMatchObject({ code: 40101, data: {} });
    expect((await exchange(sandbox, code, { app_id: 'other-app' })).json.code).toBe(40101);
    expect((await exchange(sandbox, code)).json.code).toBe(0);
  });

  it('unknown codes and missing fields are TikTok errors naming the field', async () => {
    expect((await exchange(sandbox, 'f'.repeat(40))).json.code).toBe(40110);
    const missing = await post(sandbox, '/oauth2/access_token/', {
      app_id: SANDBOX_APP_ID,
      secret: SANDBOX_APP_SECRET,
    });
    expect(missing.json.code).toBe(40002);
    expect(missing.json.message).toMatch(/^auth_code: /);
    const notJson = await sandbox.app.inject({
      method: 'POST',
      url: `${API}/oauth2/access_token/`,
      headers: { 'content-type': 'application/json' },
      payload: '{not json',
    });
    expect(notJson.statusCode).toBe(200);
    expect(JSON.parse(notJson.body).code).toBe(40002);
  });
});

describe('Access-Token and revocation', () => {
  it('reads the token from the Access-Token header only', async () => {
    const token = await login(sandbox, 'alex@example.com');
    expect((await api(sandbox, '/user/info/', {}, token)).json.code).toBe(0);
    const missing = await api(sandbox, '/user/info/', {});
    expect(missing.status).toBe(200);
    expect(missing.json).toMatchObject({
      code: 40104,
      message: 'Access token is null, you should set it in http header with key Access-Token.',
      data: {},
    });
    // A Bearer header is not TikTok's scheme.
    const bearer = await getUrl(sandbox, `${API}/user/info/`, { authorization: `Bearer ${token}` });
    expect(bearer.json.code).toBe(40104);
    expect((await api(sandbox, '/user/info/', {}, 'f'.repeat(40))).json.code).toBe(40105);
  });

  it('revoke_token invalidates the token (40105 afterwards)', async () => {
    const token = await login(sandbox, 'alex@example.com');
    const body = { app_id: SANDBOX_APP_ID, secret: SANDBOX_APP_SECRET, access_token: token };
    expect((await post(sandbox, '/oauth2/revoke_token/', { ...body, secret: 'x' })).json.code).toBe(40101);
    const revoked = await post(sandbox, '/oauth2/revoke_token/', body);
    expect(revoked.json).toMatchObject({ code: 0, message: 'OK', data: {} });
    expect((await api(sandbox, '/user/info/', {}, token)).json.code).toBe(40105);
    expect((await post(sandbox, '/oauth2/revoke_token/', { ...body, access_token: 'nope' })).json.code).toBe(
      40105,
    );
  });

  it('user/info names who authorized', async () => {
    const token = await login(sandbox, 'sam.lee@example.org');
    const { json } = await api(sandbox, '/user/info/', {}, token);
    const user = findUserByEmail('sam.lee@example.org')!;
    expect(json.data).toEqual({
      core_user_id: user.coreUserId,
      display_name: 'Sam Lee',
      email: 'sam.lee@example.org',
      avatar_url: expect.stringMatching(/^https:\/\//),
      create_time: expect.any(Number),
    });
  });

  it('paths need their trailing slash (404 page not found otherwise)', async () => {
    const token = await login(sandbox, 'alex@example.com');
    const response = await getUrl(sandbox, `${API}/user/info`, { 'access-token': token });
    expect(response.status).toBe(404);
    expect(response.text).toBe('404 page not found');
    expect((await getUrl(sandbox, `${BASE}/open_api/v1.2/user/info/`)).status).toBe(404);
  });
});
