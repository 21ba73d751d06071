import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LONG_LIVED_SECONDS,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  SHORT_LIVED_SECONDS,
} from './constants.ts';
import { seedUsers } from './seed.ts';
import {
  approve,
  dialogUrl,
  get,
  graph,
  login,
  pkcePair,
  REDIRECT_URI,
  type RunningSandbox,
  startSandbox,
  tokenRequest,
} from './test-harness.ts';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});

describe('OAuth dialog', () => {
  it('renders a consent page listing every seeded user, with approve and cancel links', async () => {
    const page = await get(dialogUrl(sandbox, { scopes: ['ads_read', 'business_management'] }));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.text).toContain('<title>Sandbox — Meta Ads</title>');
    expect(page.text).toContain('ads_read');
    expect(page.text).toContain('business_management');
    expect(page.text).not.toMatch(/<script|<link|src=/i);
    for (const user of seedUsers) {
      expect(page.text).toContain(user.email);
      expect(page.text).toContain(`sandbox_approve=${encodeURIComponent(user.email)}`);
    }
    expect(page.text.match(/Continue as Sam Lee/g)).toHaveLength(2);
    expect(page.text).toContain('sandbox_deny=1');
    expect(page.text).toContain('>Cancel<');
  });

  it('approves through the page link itself', async () => {
    const url = dialogUrl(sandbox);
    const page = await get(url);
    const href = /href="([^"]*sandbox_approve=alex[^"]*)"/.exec(page.text)?.[1]?.replaceAll('&amp;', '&');
    expect(href).toBeDefined();
    const response = await fetch(new URL(href!, url), { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get('location')!).searchParams.get('code')).toMatch(/^AQ/);
  });

  it('escapes what it echoes', async () => {
    const hostile = '"><script>alert(1)</script>';
    const page = await get(dialogUrl(sandbox, { state: hostile }));
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('<script>');
    const unknown = await get(dialogUrl(sandbox, { extra: { sandbox_approve: `<b>${hostile}</b>` } }));
    expect(unknown.status).toBe(400);
    expect(unknown.text).not.toContain('<script>');
    expect(unknown.text).toContain('&lt;b&gt;');
  });

  it('redirects with code and state, keeping the redirect URI query', async () => {
    const location = await approve(sandbox, 'alex@example.com', { state: 'xyz' });
    expect(`${location.origin}${location.pathname}`).toBe('https://app.example.test/oauth/callback');
    expect(location.searchParams.get('source')).toBe('meta');
    expect(location.searchParams.get('state')).toBe('xyz');
    expect(location.searchParams.get('code')).toMatch(/^AQ[A-Za-z0-9]{40,}$/);
    // Facebook Login appends this fragment to every redirect.
    expect(location.hash).toBe('#_=_');
  });

  it("redirects a denial with Meta's parameters", async () => {
    const response = await fetch(dialogUrl(sandbox, { state: 'deny-me', extra: { sandbox_deny: '1' } }), {
      redirect: 'manual',
    });
    expect(response.status).toBe(302);
    const location = response.headers.get('location')!;
    expect(location).toContain(
      'error=access_denied&error_code=200&error_description=Permissions+error&error_reason=user_denied&state=deny-me',
    );
    expect(new URL(location).searchParams.get('source')).toBe('meta');
    expect(new URL(location).searchParams.get('code')).toBeNull();
  });

  it('refuses a wrong client id, a missing redirect_uri, an unknown user and unknown scopes with HTML', async () => {
    const wrongClient = await get(dialogUrl(sandbox, { clientId: 'someone-else' }));
    expect(wrongClient.status).toBe(400);
    expect(wrongClient.headers.get('content-type')).toMatch(/^text\/html/);

    const noRedirect = await get(
      `${sandbox.base}/v25.0/dialog/oauth?client_id=${SANDBOX_CLIENT_ID}&response_type=code&scope=ads_read`,
    );
    expect(noRedirect.status).toBe(400);
    expect(noRedirect.headers.get('content-type')).toMatch(/^text\/html/);

    const unknownUser = await get(dialogUrl(sandbox, { extra: { sandbox_approve: 'ghost@example.com' } }));
    expect(unknownUser.status).toBe(400);
    expect(unknownUser.text).toContain('ghost@example.com');

    const badScope = await get(dialogUrl(sandbox, { scopes: ['ads_read', 'read_minds'] }));
    expect(badScope.status).toBe(400);
    expect(badScope.text).toContain('read_minds');
  });
});

describe('token endpoint', () => {
  it('runs the full PKCE flow: code → short-lived → long-lived token', async () => {
    const { verifier, challenge } = pkcePair();
    const location = await approve(sandbox, 'alex@example.com', { challenge });
    const code = location.searchParams.get('code')!;

    const short = await tokenRequest(sandbox, { redirect_uri: REDIRECT_URI, code, code_verifier: verifier });
    expect(short.status).toBe(200);
    expect(short.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    expect(short.json).toEqual({
      access_token: expect.stringMatching(/^EAA[A-Za-z0-9]{100,}$/),
      token_type: 'bearer',
      expires_in: SHORT_LIVED_SECONDS,
    });

    const long = await tokenRequest(sandbox, {
      grant_type: 'fb_exchange_token',
      fb_exchange_token: short.json.access_token,
    });
    expect(long.status).toBe(200);
    expect(long.json).toEqual({
      access_token: expect.stringMatching(/^EAA/),
      token_type: 'bearer',
      expires_in: LONG_LIVED_SECONDS,
    });
    expect(long.json.access_token).not.toBe(short.json.access_token);

    const me = await graph(sandbox, '/me?fields=id,name,email', long.json.access_token);
    expect(me.json).toEqual({ id: seedUsers[0]!.userId, name: 'Alex Morgan', email: 'alex@example.com' });

    const issued = await get(`${sandbox.origin}/sandbox/_control/tokens`);
    const mine = issued.json.tokens.filter(
      (token: { provider: string; user: string }) => token.user === 'alex@example.com',
    );
    const values = mine.map((token: { value: string }) => token.value);
    expect(values).toEqual(expect.arrayContaining([code, short.json.access_token, long.json.access_token]));
    expect(mine.every((token: { provider: string }) => token.provider === 'meta-ads')).toBe(true);
  });

  it('accepts a form POST as well as a GET', async () => {
    const location = await approve(sandbox, 'nora@example.com');
    const response = await get(`${sandbox.base}/v25.0/oauth/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        client_id: SANDBOX_CLIENT_ID,
        client_secret: SANDBOX_CLIENT_SECRET,
        redirect_uri: REDIRECT_URI,
        code: location.searchParams.get('code')!,
      }).toString(),
    });
    expect(response.status).toBe(200);
    expect(response.json.expires_in).toBe(SHORT_LIVED_SECONDS);
  });

  it('refuses a code the second time (36009)', async () => {
    const location = await approve(sandbox, 'alex@example.com');
    const params = { redirect_uri: REDIRECT_URI, code: location.searchParams.get('code')! };
    expect((await tokenRequest(sandbox, params)).status).toBe(200);
    const again = await tokenRequest(sandbox, params);
    expect(again.status).toBe(400);
    expect(again.json.error).toMatchObject({
      message: 'This authorization code has been used.',
      type: 'OAuthException',
      code: 100,
      error_subcode: 36009,
      fbtrace_id: expect.any(String),
    });
  });

  it('refuses a different redirect_uri (36008) without burning the code', async () => {
    const location = await approve(sandbox, 'alex@example.com');
    const code = location.searchParams.get('code')!;
    const mismatch = await tokenRequest(sandbox, {
      redirect_uri: 'https://app.example.test/oauth/callback',
      code,
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.json.error).toMatchObject({ type: 'OAuthException', code: 100, error_subcode: 36008 });
    expect(mismatch.json.error.message).toContain('redirect_uri is identical');
    expect((await tokenRequest(sandbox, { redirect_uri: REDIRECT_URI, code })).status).toBe(200);
  });

  it('checks the PKCE verifier', async () => {
    const { challenge } = pkcePair();
    const location = await approve(sandbox, 'alex@example.com', { challenge });
    const code = location.searchParams.get('code')!;
    const missing = await tokenRequest(sandbox, { redirect_uri: REDIRECT_URI, code });
    expect(missing.status).toBe(400);
    expect(missing.json.error.code).toBe(100);
    const wrong = await tokenRequest(sandbox, {
      redirect_uri: REDIRECT_URI,
      code,
      code_verifier: pkcePair().verifier,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error.code).toBe(100);
  });

  it('refuses a bad secret, a wrong app id and an unknown code', async () => {
    const location = await approve(sandbox, 'alex@example.com');
    const code = location.searchParams.get('code')!;
    const badSecret = await get(
      `${sandbox.base}/v25.0/oauth/access_token?${new URLSearchParams({
        client_id: SANDBOX_CLIENT_ID,
        client_secret: 'nope',
        redirect_uri: REDIRECT_URI,
        code,
      })}`,
    );
    expect(badSecret.status).toBe(400);
    expect(badSecret.json.error).toMatchObject({
      message: 'Error validating client secret.',
      type: 'OAuthException',
      code: 1,
    });
    const badApp = await get(
      `${sandbox.base}/v25.0/oauth/access_token?${new URLSearchParams({
        client_id: '12345',
        client_secret: SANDBOX_CLIENT_SECRET,
        redirect_uri: REDIRECT_URI,
        code,
      })}`,
    );
    expect(badApp.json.error).toMatchObject({ code: 101, type: 'OAuthException' });
    const forged = await tokenRequest(sandbox, { redirect_uri: REDIRECT_URI, code: 'AQforged' });
    expect(forged.status).toBe(400);
    expect(forged.json.error).toMatchObject({ code: 100, message: 'Invalid verification code format.' });
  });

  it('expires codes after ten minutes (36007) and short-lived tokens after expires_in (190/463)', async () => {
    const late = await startSandbox();
    try {
      const location = await approve(late, 'alex@example.com');
      const fresh = await approve(late, 'alex@example.com');
      const short = await tokenRequest(late, {
        redirect_uri: REDIRECT_URI,
        code: fresh.searchParams.get('code')!,
      });
      late.state.advance(10 * 60 * 1000 + 1);
      const expired = await tokenRequest(late, {
        redirect_uri: REDIRECT_URI,
        code: location.searchParams.get('code')!,
      });
      expect(expired.status).toBe(400);
      expect(expired.json.error).toMatchObject({ code: 100, error_subcode: 36007 });

      late.state.advance(SHORT_LIVED_SECONDS * 1000);
      const me = await graph(late, '/me', short.json.access_token);
      expect(me.status).toBe(400);
      expect(me.json.error).toMatchObject({ type: 'OAuthException', code: 190, error_subcode: 463 });
      expect(me.json.error.message).toMatch(
        /^Error validating access token: Session has expired on \w+day, /,
      );
      const exchange = await tokenRequest(late, {
        grant_type: 'fb_exchange_token',
        fb_exchange_token: short.json.access_token,
      });
      expect(exchange.json.error).toMatchObject({ code: 190, error_subcode: 463 });
    } finally {
      await late.close();
    }
  });

  it('long-lived tokens outlive short-lived ones', async () => {
    const later = await startSandbox();
    try {
      const { shortToken, longToken } = await login(later, 'sam.lee@example.org');
      later.state.advance(2 * 3600 * 1000);
      expect((await graph(later, '/me', shortToken)).status).toBe(400);
      expect((await graph(later, '/me', longToken)).status).toBe(200);
    } finally {
      await later.close();
    }
  });
});
