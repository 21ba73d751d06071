/**
 * OAuth hardening at the callback and around it: a forged, replayed, expired or cross-session `state` is refused
 * with `invalid_oauth_state` and changes nothing; a code issued for another redirect URI is refused by the
 * provider (the sandboxes check it as Meta, Google and LinkedIn do); `returnTo` takes only our own paths; PKCE
 * where the provider supports it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiSession, signInOverHttp } from '../src/access/apiSignIn.ts';
import { createApiClient } from '../src/contract/client.ts';
import { DEFAULT_WORKSPACE_ID } from '../src/domain/access.ts';
import {
  apiFailure,
  approveInSandbox,
  authorizeSandboxUser,
  backends,
  startTestApp,
  type TestApp,
  testOwner,
  waitFor,
} from './harness.ts';
import { addMember, settledSnapshot, storeSnapshot } from './storeSnapshot.ts';

const changedTables = (before: Record<string, string>, after: Record<string, string>) =>
  Object.keys({ ...before, ...after }).filter((table) => after[table] !== before[table]);

/** Opens the sandbox consent with `sandbox_approve` and returns the callback URL it sends the browser to. */
async function consent(authorizationUrl: string, email: string): Promise<string> {
  const url = new URL(authorizationUrl);
  url.searchParams.set('sandbox_approve', email);
  const response = await fetch(url, { redirect: 'manual' });
  const location = response.headers.get('location');
  if (!location)
    throw new Error(`No redirect from the sandbox: HTTP ${response.status} ${await response.text()}`);
  return location;
}

/** Calls our callback as a browser would, with whatever cookie it has, asking for JSON errors. */
async function callback(location: string, cookie?: string) {
  const response = await fetch(location, {
    redirect: 'manual',
    headers: { accept: 'application/json', ...(cookie ? { cookie } : {}) },
  });
  const text = await response.text();
  let code: string | null = null;
  try {
    code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? null;
  } catch {
    // The success page is HTML.
  }
  return { status: response.status, code, location: response.headers.get('location'), text };
}

for (const backend of await backends()) {
  describe(`OAuth state, redirects and PKCE on ${backend}`, () => {
    let app: TestApp;
    let owner: ApiSession;
    let other: ApiSession;
    const db = () => app.runtime.context.db;

    /** The API as a signed-in browser of `session` (cookie + CSRF header). */
    const asBrowser = (session: ApiSession) =>
      createApiClient({ baseUrl: app.url, headers: session.headers(DEFAULT_WORKSPACE_ID) });

    async function connectionState(id: string) {
      const [row] = await db().query<{ status: string; credentials: number }>(
        `SELECT c.status, (SELECT count(*)::int FROM credentials WHERE connection_id = c.id) AS credentials
         FROM connections c WHERE c.id = $1`,
        [id],
      );
      return row;
    }

    beforeAll(async () => {
      app = await startTestApp(backend, { TRIBUTARY_API_RATE_LIMIT: '1000000' });
      owner = await signInOverHttp(app.url, testOwner.email, testOwner.password);
      const editor = await addMember(app, DEFAULT_WORKSPACE_ID, 'editor');
      other = await signInOverHttp(app.url, editor.email, editor.password);
    });
    afterAll(async () => {
      await app?.close();
    });

    it('refuses a forged state and changes nothing', async () => {
      const before = await settledSnapshot(app);
      for (const state of ['forged', 'x'.repeat(43), '']) {
        const refused = await callback(`${app.url}/api/v1/oauth/callback?state=${state}&code=anything`);
        expect([refused.status, refused.code], state).toEqual([400, 'invalid_oauth_state']);
      }
      expect(changedTables(before, await storeSnapshot(app))).toEqual([]);
    });

    it('completes a token-started authorization without a browser session once, and refuses its replay', async () => {
      // The CLI (an API token) prints the link for any browser, signed in to Tributary or not.
      const created = await app.api.call('createConnection', { body: { dataSource: 'meta-ads' } });
      const location = await consent(created.authorizationUrl!, 'alex@example.com');
      expect((await callback(location)).status).toBe(200);
      await waitFor(
        () => app.api.call('getConnection', { params: { id: created.connection.id } }),
        (connection) => connection.accountStatus === 'ready',
      );
      const before = await settledSnapshot(app);
      const replay = await callback(location);
      expect([replay.status, replay.code]).toEqual([400, 'invalid_oauth_state']);
      const withSession = await callback(location, owner.cookie);
      expect([withSession.status, withSession.code]).toEqual([400, 'invalid_oauth_state']);
      expect(changedTables(before, await storeSnapshot(app))).toEqual([]);
    });

    it('refuses an expired state, leaving the connection unauthorized', async () => {
      const created = await app.api.call('createConnection', { body: { dataSource: 'meta-ads' } });
      const location = await consent(created.authorizationUrl!, 'alex@example.com');
      // Eleven minutes later (links last ten): the row's expiry is moved, the clock is not.
      await db().query(
        `UPDATE oauth_states SET expires_at = now() - interval '1 minute' WHERE connection_id = $1`,
        [created.connection.id],
      );
      const before = await settledSnapshot(app);
      const refused = await callback(location);
      expect([refused.status, refused.code]).toEqual([400, 'invalid_oauth_state']);
      expect(refused.text).toContain('expired');
      // Only the spent state is gone; the connection and its (absent) credential are as they were.
      expect(changedTables(before, await storeSnapshot(app))).toEqual(['oauth_states']);
      expect(await connectionState(created.connection.id)).toEqual({ status: 'pending', credentials: 0 });
    });

    it("binds a browser-started state to that session: another user's cookie, or none, cannot finish it", async () => {
      const created = await asBrowser(owner).call('createConnection', { body: { dataSource: 'meta-ads' } });
      const [row] = await db().query<{ session_hash: string | null }>(
        'SELECT session_hash FROM oauth_states WHERE connection_id = $1',
        [created.connection.id],
      );
      expect(row?.session_hash).toMatch(/^[0-9a-f]{64}$/);
      const location = await consent(created.authorizationUrl!, 'alex@example.com');
      const before = await settledSnapshot(app);
      for (const [who, cookie] of [
        ["another user's session", other.cookie],
        ['no session', undefined],
        ['an unknown session cookie', `tributary_session=trs_${'x'.repeat(43)}`],
      ] as const) {
        const refused = await callback(location, cookie);
        expect([refused.status, refused.code], who).toEqual([400, 'invalid_oauth_state']);
      }
      // Nothing moved, not even the state: the browser that started it still finishes it.
      expect(changedTables(before, await storeSnapshot(app))).toEqual([]);
      expect(await connectionState(created.connection.id)).toEqual({ status: 'pending', credentials: 0 });
      const finished = await callback(location, owner.cookie);
      expect(finished.status).toBe(200);
      expect(await connectionState(created.connection.id)).toEqual({ status: 'active', credentials: 1 });
      await settledSnapshot(app);

      // A reconnect started in a session is bound the same way.
      const reconnect = await asBrowser(owner).call('reconnectConnection', {
        params: { id: created.connection.id },
      });
      const again = await consent(reconnect.authorizationUrl!, 'alex@example.com');
      expect((await callback(again, other.cookie)).code).toBe('invalid_oauth_state');
      expect((await callback(again, owner.cookie)).status).toBe(200);
    });

    it('is refused by the provider when the code was issued for another redirect URI', async () => {
      // The browser is sent to a look-alike callback (localhost instead of 127.0.0.1): our callback still runs,
      // but exchanges the code with the redirect URI it registered, and the provider refuses the mismatch.
      // TikTok is not here: its token endpoint takes no redirect_uri at all (app_id, secret, auth_code), so the
      // real provider checks the URI only against the app's registered one, when it shows the consent page.
      for (const provider of ['meta-ads', 'google-ads', 'linkedin-ads']) {
        const { id, callback: answer } = await authorizeSandboxUser(
          app,
          'alex@example.com',
          provider,
          (url) => {
            const redirect = new URL(url.searchParams.get('redirect_uri')!);
            redirect.hostname = 'localhost';
            url.searchParams.set('redirect_uri', redirect.toString());
          },
        );
        const body = await answer.text();
        // The provider's refusal of the exchange is reported as the provider's answer (502 provider_error page),
        // with the provider's reason; nothing was stored.
        expect([400, 401, 403, 502], `${provider}: ${body.slice(-600)}`).toContain(answer.status);
        expect(body, provider).toMatch(/redirect[_ ]uri|redirect_uri_mismatch|Bad Request/i);
        expect(await connectionState(id), provider).toMatchObject({ credentials: 0 });
        expect((await connectionState(id))?.status, provider).not.toBe('active');
      }
    });

    it('takes returnTo only as a path on this server', async () => {
      const before = await settledSnapshot(app);
      const [existing] = await db().query<{ id: string }>(
        `SELECT id FROM connections WHERE status = 'active' LIMIT 1`,
      );
      for (const returnTo of [
        'https://evil.example',
        '//evil.example',
        '/\\evil.example',
        'javascript:alert(1)',
        '/\t/evil.example',
        ' /connections',
      ]) {
        const created = await apiFailure(
          app.api.call('createConnection', { body: { dataSource: 'meta-ads', returnTo } }),
        );
        expect([created.status, created.code], returnTo).toEqual([400, 'validation_failed']);
        const reconnect = await apiFailure(
          app.api.call('reconnectConnection', { params: { id: existing!.id }, body: { returnTo } }),
        );
        expect([reconnect.status, reconnect.code], returnTo).toEqual([400, 'validation_failed']);
      }
      expect(changedTables(before, await storeSnapshot(app))).toEqual([]);

      // Our own path is kept, and the callback sends the browser there (same origin: a path, not a URL).
      const created = await app.api.call('createConnection', {
        body: { dataSource: 'meta-ads', returnTo: '/connections?tab=all' },
      });
      const answer = await approveInSandbox(created.authorizationUrl!, 'alex@example.com');
      expect(answer.status).toBe(303);
      expect(answer.headers.get('location')).toBe(`/connections?tab=all&connection=${created.connection.id}`);
    });

    it('uses PKCE (S256) with every provider that supports it, and says which do not', async () => {
      const connectors = app.runtime.context.connectors;
      // Meta (Facebook Login) and Google (Google Ads, GA4) accept a code_challenge. LinkedIn's 3-legged flow for web
      // apps and TikTok's Marketing API authorization have no PKCE parameter: there the client secret (server side
      // only) and the single-use state protect the code.
      const pkce = Object.fromEntries(
        ['meta-ads', 'google-ads', 'ga4', 'linkedin-ads', 'tiktok-ads'].map((id) => [
          id,
          connectors.get(id)?.oauth?.pkce,
        ]),
      );
      expect(pkce).toEqual({
        'meta-ads': true,
        'google-ads': true,
        ga4: true,
        'linkedin-ads': false,
        'tiktok-ads': false,
      });
      for (const dataSource of ['meta-ads', 'google-ads', 'linkedin-ads', 'tiktok-ads']) {
        const created = await app.api.call('createConnection', { body: { dataSource } });
        const url = new URL(created.authorizationUrl!);
        const [row] = await db().query<{ sealed_verifier: string | null }>(
          'SELECT sealed_verifier FROM oauth_states WHERE connection_id = $1',
          [created.connection.id],
        );
        if (pkce[dataSource]) {
          expect(url.searchParams.get('code_challenge_method'), dataSource).toBe('S256');
          expect(url.searchParams.get('code_challenge'), dataSource).toMatch(/^[A-Za-z0-9_-]{43}$/);
          // The verifier is kept sealed by the vault, never in plaintext.
          expect(row?.sealed_verifier, dataSource).toMatch(/^v1\./);
        } else {
          expect(url.searchParams.has('code_challenge'), dataSource).toBe(false);
          expect(row?.sealed_verifier, dataSource).toBeNull();
        }
      }
    });
  });
}
