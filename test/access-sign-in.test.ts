/**
 * Signing in and staying signed in: wrong passwords are throttled per email (even the right password waits out the
 * lock), a revoked token stops at once, an expired session is refused, a password change ends the other sessions,
 * invitations expire and work once, and the first-run setup is refused once an owner exists (and the server will
 * not listen beyond loopback before one does).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInOverHttp } from '../src/access/apiSignIn.ts';
import { hashSecret } from '../src/access/secrets.ts';
import { signInThrottle } from '../src/access/signIn.ts';
import { createApiClient } from '../src/contract/client.ts';
import { DEFAULT_WORKSPACE_ID } from '../src/domain/access.ts';
import { apiFailure, backends, startTestApp, type TestApp, testOwner } from './harness.ts';
import { addMember, storeSnapshot } from './storeSnapshot.ts';

const changedTables = (before: Record<string, string>, after: Record<string, string>) =>
  Object.keys({ ...before, ...after }).filter((table) => after[table] !== before[table]);

async function post(app: TestApp, path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${app.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    error: (text ? (JSON.parse(text) as { error?: { code: string; details?: Record<string, unknown> } }) : {})
      .error,
  };
}

for (const backend of await backends()) {
  describe(`sign-in, sessions and tokens on ${backend}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp(backend, { TRIBUTARY_API_RATE_LIMIT: '1000000' });
    });
    afterAll(async () => {
      await app?.close();
    });

    it('throttles wrong passwords per email: after 5, even the right one waits, with Retry-After', async () => {
      expect(signInThrottle.email).toMatchObject({ limit: 5, windowMs: 15 * 60_000 });
      const user = await addMember(app, DEFAULT_WORKSPACE_ID, 'viewer');
      const statuses: string[] = [];
      for (let attempt = 1; attempt <= 5; attempt += 1) {
        const wrong = await post(app, '/api/v1/auth/sign-in', {
          email: user.email,
          password: `wrong ${attempt}`,
        });
        statuses.push(`${wrong.status} ${wrong.error?.code}`);
      }
      // The fifth failure sets the lock and says so.
      expect(statuses).toEqual([...Array(4).fill('401 sign_in_failed'), '429 sign_in_throttled']);
      const right = await post(app, '/api/v1/auth/sign-in', {
        email: user.email.toUpperCase(),
        password: user.password,
      });
      expect([right.status, right.error?.code]).toEqual([429, 'sign_in_throttled']);
      const seconds = Number(right.retryAfter);
      expect(seconds).toBeGreaterThan(14 * 60);
      expect(seconds).toBeLessThanOrEqual(15 * 60);
      const retryAt = Date.parse(String(right.error?.details?.retryAt));
      expect(Math.abs(retryAt - (Date.now() + seconds * 1000))).toBeLessThan(5_000);
      // Another email from the same address is not locked by it (the per-address limit is higher: 30).
      const owner = await post(app, '/api/v1/auth/sign-in', {
        email: testOwner.email,
        password: testOwner.password,
      });
      expect(owner.status).toBe(200);
    });

    it('stops a revoked token at once', async () => {
      const created = await app.api.call('createToken', { body: { name: 'short-lived', role: 'viewer' } });
      const api = createApiClient({
        baseUrl: app.url,
        headers: { authorization: `Bearer ${created.token}` },
      });
      expect((await api.call('listConnections')).items).toBeDefined();
      await app.api.call('revokeToken', { params: { id: created.item.id } });
      const refused = await apiFailure(api.call('listConnections'));
      expect([refused.status, refused.code]).toEqual([401, 'authentication_required']);
      // Listed as revoked, never again accepted.
      const listed = (await app.api.call('listTokens')).items.find((token) => token.id === created.item.id);
      expect(listed?.revokedAt).not.toBeNull();
      // An expired token is refused the same way.
      const expiring = await app.api.call('createToken', { body: { name: 'expiring', expiresInDays: 1 } });
      await app.runtime.context.db.query(
        `UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`,
        [expiring.item.id],
      );
      const expired = createApiClient({
        baseUrl: app.url,
        headers: { authorization: `Bearer ${expiring.token}` },
      });
      expect((await apiFailure(expired.call('listConnections'))).code).toBe('authentication_required');
    });

    it('refuses an expired session cookie', async () => {
      const session = await signInOverHttp(app.url, testOwner.email, testOwner.password);
      const api = createApiClient({ baseUrl: app.url, headers: session.headers() });
      expect((await api.call('getSession')).user.email).toBe(testOwner.email);
      const sessionSecret = /tributary_session=([^;]+)/.exec(session.cookie)![1]!;
      await app.runtime.context.db.query(
        `UPDATE sessions SET expires_at = now() - interval '1 second' WHERE id_hash = $1`,
        [hashSecret(sessionSecret)],
      );
      const refused = await apiFailure(api.call('getSession'));
      expect([refused.status, refused.code]).toEqual([401, 'authentication_required']);
    });

    it('ends the other sessions when the password changes', async () => {
      const user = await addMember(app, DEFAULT_WORKSPACE_ID, 'editor');
      const first = await signInOverHttp(app.url, user.email, user.password);
      const second = await signInOverHttp(app.url, user.email, user.password);
      const asFirst = createApiClient({ baseUrl: app.url, headers: first.headers() });
      const asSecond = createApiClient({ baseUrl: app.url, headers: second.headers() });
      await asFirst.call('changePassword', {
        body: { currentPassword: user.password, newPassword: 'a brand new passphrase' },
      });
      expect((await asFirst.call('getSession')).user.email).toBe(user.email);
      expect((await apiFailure(asSecond.call('getSession'))).code).toBe('authentication_required');
      const old = await post(app, '/api/v1/auth/sign-in', { email: user.email, password: user.password });
      expect([old.status, old.error?.code]).toEqual([401, 'sign_in_failed']);
      await signInOverHttp(app.url, user.email, 'a brand new passphrase');
      // Signing out ends this session too.
      await asFirst.call('signOut');
      expect((await apiFailure(asFirst.call('getSession'))).code).toBe('authentication_required');
    });

    it('refuses an expired or used invitation, changing nothing', async () => {
      const email = `invitee-${Date.now()}@example.com`;
      const created = await app.api.call('createInvitation', { body: { email, role: 'viewer' } });
      const token = new URL(created.url).searchParams.get('token')!;
      await app.runtime.context.db.query(
        `UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1`,
        [created.invitation.id],
      );
      const before = await storeSnapshot(app);
      const inspect = await fetch(`${app.url}/api/v1/auth/invitation?token=${encodeURIComponent(token)}`);
      expect(inspect.status).toBe(400);
      const accepted = await post(app, '/api/v1/auth/invitation', {
        token,
        password: 'a long enough password',
      });
      expect([accepted.status, accepted.error?.code]).toEqual([400, 'invitation_invalid']);
      expect(changedTables(before, await storeSnapshot(app))).toEqual([]);

      const fresh = await app.api.call('createInvitation', {
        body: { email: `again-${email}`, role: 'viewer' },
      });
      const freshToken = new URL(fresh.url).searchParams.get('token')!;
      const first = await post(app, '/api/v1/auth/invitation', {
        token: freshToken,
        password: 'a long enough password',
      });
      expect(first.status).toBe(200);
      const second = await post(app, '/api/v1/auth/invitation', {
        token: freshToken,
        password: 'a long enough password',
      });
      expect([second.status, second.error?.code]).toEqual([400, 'invitation_invalid']);
    });

    it('refuses the first-run setup once the owner exists', async () => {
      const before = await storeSnapshot(app);
      const status = await (await fetch(`${app.url}/api/v1/auth/setup`)).json();
      expect(status).toEqual({ setupRequired: false, setupAllowed: false });
      const refused = await post(app, '/api/v1/auth/setup', {
        email: 'intruder@example.com',
        password: 'a long enough password',
      });
      expect([refused.status, refused.error?.code]).toEqual([403, 'setup_not_allowed']);
      expect(changedTables(before, await storeSnapshot(app))).toEqual([]);
    });
  });
}

describe('setup beyond loopback', () => {
  it('will not listen on a non-loopback address before the owner exists', async () => {
    // The setup handler also refuses a caller that is not on this machine (`fromLoopback`). That rule cannot be
    // reached over the network on its own: a server without an owner never listens beyond loopback (below), and
    // once the owner exists setup is refused for that reason first. Faking the remote address would mean mocking
    // our own request handling, so the startup refusal is what this suite checks.
    await expect(startTestApp('pglite', { HOST: '0.0.0.0' })).rejects.toThrow(
      /would let anyone on the network/,
    );
  });
});
