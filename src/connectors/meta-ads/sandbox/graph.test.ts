import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUserByEmail, seedUsers } from './seed.ts';
import { allPages, get, graph, login, type RunningSandbox, startSandbox } from './test-harness.ts';

const ACCOUNT_FIELDS = 'id,account_id,name,account_status,currency,timezone_name';

let sandbox: RunningSandbox;
let agencyToken: string;
let alexToken: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  agencyToken = (await login(sandbox, 'agency@example.com')).longToken;
  alexToken = (await login(sandbox, 'alex@example.com')).longToken;
});
afterAll(async () => {
  await sandbox.close();
});

describe('/me', () => {
  it('returns id and name by default, and exactly the requested fields', async () => {
    const alex = findUserByEmail('alex@example.com')!;
    expect((await graph(sandbox, '/me', alexToken)).json).toEqual({ id: alex.userId, name: 'Alex Morgan' });
    const full = await graph(sandbox, '/me?fields=id,name,email', alexToken);
    expect(full.json).toEqual({ id: alex.userId, name: 'Alex Morgan', email: 'alex@example.com' });
    expect(Object.keys(full.json)).toEqual(['id', 'name', 'email']);
    // Graph always adds the node id.
    expect((await graph(sandbox, '/me?fields=first_name', alexToken)).json).toEqual({
      first_name: 'Alex',
      id: alex.userId,
    });
    // The same route by numeric user id, as Graph's `next` links use it.
    expect((await graph(sandbox, `/${alex.userId}?fields=name`, alexToken)).json.name).toBe('Alex Morgan');
  });

  it('hides the email unless the email permission was granted', async () => {
    const { longToken } = await login(sandbox, 'nora@example.com', ['ads_read']);
    const me = await graph(sandbox, '/me?fields=id,name,email', longToken);
    expect(me.status).toBe(200);
    expect(me.json).toEqual({ id: findUserByEmail('nora@example.com')!.userId, name: 'Nora Quinn' });
  });

  it('rejects unknown fields and other users', async () => {
    const bad = await graph(sandbox, '/me?fields=id,shoe_size', alexToken);
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({
      message: '(#100) Tried accessing nonexisting field (shoe_size) on node type (User)',
      code: 100,
    });
    const other = await graph(sandbox, `/${findUserByEmail('nora@example.com')!.userId}`, alexToken);
    expect(other.status).toBe(400);
    expect(other.json.error).toMatchObject({ type: 'GraphMethodException', code: 100, error_subcode: 33 });
  });

  it('tells the two Sam Lee users apart by id', async () => {
    const com = await login(sandbox, 'sam.lee@example.com');
    const org = await login(sandbox, 'sam.lee@example.org');
    const a = (await graph(sandbox, '/me?fields=id,name,email', com.longToken)).json;
    const b = (await graph(sandbox, '/me?fields=id,name,email', org.longToken)).json;
    expect(a.name).toBe('Sam Lee');
    expect(b.name).toBe('Sam Lee');
    expect(a.id).not.toBe(b.id);
    expect([a.email, b.email]).toEqual(['sam.lee@example.com', 'sam.lee@example.org']);
  });
});

describe('authentication', () => {
  it('answers a missing token with 2500 and an unknown one with 190', async () => {
    const missing = await graph(sandbox, '/me');
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({
      error: {
        message: 'An active access token must be used to query information about the current user.',
        type: 'OAuthException',
        code: 2500,
        fbtrace_id: expect.any(String),
      },
    });
    const unknown = await graph(sandbox, '/me', 'EAAnotatoken');
    expect(unknown.status).toBe(400);
    expect(unknown.json.error).toMatchObject({
      message: 'Invalid OAuth access token - Cannot parse access token',
      type: 'OAuthException',
      code: 190,
    });
    expect(unknown.json.error.error_subcode).toBeUndefined();
  });

  it('takes the token from the access_token query parameter too', async () => {
    const me = await get(`${sandbox.base}/v25.0/me?access_token=${alexToken}`);
    expect(me.status).toBe(200);
    expect(me.json.name).toBe('Alex Morgan');
  });

  it('sends Graph headers on every response', async () => {
    for (const response of [await graph(sandbox, '/me', alexToken), await graph(sandbox, '/me')]) {
      expect(response.headers.get('content-type')).toBe('application/json; charset=UTF-8');
      expect(response.headers.get('x-fb-trace-id')).toMatch(/^A[A-Za-z0-9]{10,}$/);
      const usage = JSON.parse(response.headers.get('x-app-usage')!);
      expect(Object.keys(usage).sort()).toEqual(['call_count', 'total_cputime', 'total_time']);
      expect(Object.values(usage).every((value) => typeof value === 'number')).toBe(true);
    }
    const missing = await graph(sandbox, '/me');
    expect(missing.json.error.fbtrace_id).toBe(missing.headers.get('x-fb-trace-id'));
  });
});

describe('/me/permissions', () => {
  it('lists the granted scopes plus public_profile', async () => {
    const permissions = await graph(sandbox, '/me/permissions', alexToken);
    expect(permissions.json).toEqual({
      data: [
        { permission: 'ads_read', status: 'granted' },
        { permission: 'business_management', status: 'granted' },
        { permission: 'email', status: 'granted' },
        { permission: 'public_profile', status: 'granted' },
      ],
    });
  });

  it('DELETE revokes every token of that user for the app (190/458)', async () => {
    const first = await login(sandbox, 'sam.lee@example.com');
    const second = await login(sandbox, 'sam.lee@example.com');
    const other = await login(sandbox, 'sam.lee@example.org');
    const revoked = await graph(sandbox, '/me/permissions', first.longToken, { method: 'DELETE' });
    expect(revoked.status).toBe(200);
    expect(revoked.json).toEqual({ success: true });
    for (const token of [first.shortToken, first.longToken, second.longToken]) {
      const me = await graph(sandbox, '/me', token);
      expect(me.status).toBe(400);
      expect(me.json.error).toMatchObject({ type: 'OAuthException', code: 190, error_subcode: 458 });
    }
    expect((await graph(sandbox, '/me', other.longToken)).status).toBe(200);
    // Logging in again grants a working token.
    expect(
      (await graph(sandbox, '/me', (await login(sandbox, 'sam.lee@example.com')).longToken)).status,
    ).toBe(200);
  });
});

describe('/me/adaccounts', () => {
  it('pages through all 1,200 agency accounts without duplicates', async () => {
    const pages = await allPages(
      `${sandbox.base}/v25.0/me/adaccounts?fields=${ACCOUNT_FIELDS}&limit=100`,
      agencyToken,
    );
    expect(pages).toHaveLength(12);
    const accounts = pages.flatMap((page) => page.data);
    expect(accounts).toHaveLength(1200);
    expect(new Set(accounts.map((account) => account.id)).size).toBe(1200);
    for (const account of accounts) {
      expect(Object.keys(account)).toEqual([
        'id',
        'account_id',
        'name',
        'account_status',
        'currency',
        'timezone_name',
      ]);
      expect(account.id).toBe(`act_${account.account_id}`);
      expect(account.account_id).toMatch(/^\d+$/);
      expect(typeof account.account_status).toBe('number');
    }
    const statuses = new Set(accounts.map((account) => account.account_status));
    expect(statuses).toContain(1);
    expect(statuses).toContain(2);
    expect(statuses).toContain(101);
    expect(new Set(accounts.map((account) => account.currency)).size).toBeGreaterThan(5);
    expect(pages.at(-1).paging.next).toBeUndefined();
    expect(pages.at(-1).paging.previous).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sandbox\/meta-ads\/v25\.0\//);
    for (const page of pages.slice(0, -1)) {
      expect(page.paging.next.startsWith(`${sandbox.base}/v25.0/`)).toBe(true);
      const next = new URL(page.paging.next);
      expect(next.searchParams.get('fields')).toBe(ACCOUNT_FIELDS);
      expect(next.searchParams.get('limit')).toBe('100');
      expect(next.searchParams.get('after')).toBe(page.paging.cursors.after);
      // The token was sent in a header, so the link must not carry it.
      expect(next.searchParams.has('access_token')).toBe(false);
    }
    expect(pages[0].paging.previous).toBeUndefined();
  });

  it('uses a default page of 25 and clamps big limits to 500', async () => {
    const first = await graph(sandbox, '/me/adaccounts', agencyToken);
    expect(first.json.data).toHaveLength(25);
    // Without `fields`, Graph returns account_id and id.
    expect(Object.keys(first.json.data[0]).sort()).toEqual(['account_id', 'id']);
    expect(first.headers.get('x-business-use-case-usage')).toBeTruthy();
    const usage = JSON.parse(first.headers.get('x-business-use-case-usage')!);
    const [entry] = Object.values(usage)[0] as Record<string, unknown>[];
    expect(Object.keys(entry!).sort()).toEqual([
      'call_count',
      'estimated_time_to_regain_access',
      'total_cputime',
      'total_time',
      'type',
    ]);
    const clamped = await graph(sandbox, '/me/adaccounts?limit=5000', agencyToken);
    expect(clamped.json.data).toHaveLength(500);
    expect(new URL(clamped.json.paging.next).searchParams.get('limit')).toBe('500');
  });

  it('walks back with previous/before', async () => {
    const first = await graph(sandbox, '/me/adaccounts?limit=10', agencyToken);
    const second = await get(first.json.paging.next, { headers: { authorization: `Bearer ${agencyToken}` } });
    const back = await get(second.json.paging.previous, {
      headers: { authorization: `Bearer ${agencyToken}` },
    });
    expect(back.json.data).toEqual(first.json.data);
  });

  it('rejects forged cursors and cursors of another user', async () => {
    const forged = await graph(sandbox, '/me/adaccounts?after=QVFIUmZAforged', agencyToken);
    expect(forged.status).toBe(400);
    expect(forged.json.error).toMatchObject({ code: 2642, type: 'OAuthException' });
    const agencyPage = await graph(sandbox, '/me/adaccounts?limit=1', agencyToken);
    const stolen = await graph(
      sandbox,
      `/me/adaccounts?after=${agencyPage.json.paging.cursors.after}`,
      alexToken,
    );
    expect(stolen.status).toBe(400);
  });

  it('returns an empty list without paging for a user with no accounts', async () => {
    const { longToken } = await login(sandbox, 'nora@example.com');
    const empty = await graph(sandbox, `/me/adaccounts?fields=${ACCOUNT_FIELDS}`, longToken);
    expect(empty.status).toBe(200);
    expect(empty.json).toEqual({ data: [] });
  });

  it('carries the access token in next when the request did (as Graph does)', async () => {
    const page = await get(`${sandbox.base}/v25.0/me/adaccounts?limit=2&access_token=${agencyToken}`);
    expect(new URL(page.json.paging.next).searchParams.get('access_token')).toBe(agencyToken);
    expect((await get(page.json.paging.next)).status).toBe(200);
  });

  it('refuses a token without ads permissions and unknown fields', async () => {
    const { longToken } = await login(sandbox, 'alex@example.com', ['email']);
    const denied = await graph(sandbox, '/me/adaccounts', longToken);
    expect(denied.status).toBe(400);
    expect(denied.json).toEqual({
      error: { message: '(#100) Missing permissions', type: 'OAuthException', code: 100 },
    });
    const badField = await graph(sandbox, '/me/adaccounts?fields=id,colour', alexToken);
    expect(badField.json.error.message).toBe(
      '(#100) Tried accessing nonexisting field (colour) on node type (AdAccount)',
    );
  });

  it('matches the control API: every user has exactly the accounts paging finds', async () => {
    const control = await get(`${sandbox.origin}/sandbox/_control/users`);
    const provider = control.json.providers.find(
      (entry: { provider: string }) => entry.provider === 'meta-ads',
    );
    expect(provider.users.map((user: { email: string }) => user.email)).toEqual(
      seedUsers.map((user) => user.email),
    );
    for (const user of provider.users) {
      const { longToken } = await login(sandbox, user.email);
      const pages = await allPages(`${sandbox.base}/v25.0/me/adaccounts?limit=500`, longToken);
      const ids = new Set(pages.flatMap((page) => page.data.map((account: { id: string }) => account.id)));
      expect(ids.size, user.email).toBe(user.accounts);
      expect((await graph(sandbox, '/me', longToken)).json.id).toBe(user.userId);
    }
  });
});

describe('unknown paths', () => {
  it('answer in the Graph error envelope', async () => {
    const edge = await graph(sandbox, '/me/feed', alexToken);
    expect(edge.status).toBe(400);
    expect(edge.json.error).toMatchObject({ code: 2500, message: 'Unknown path components: /feed' });
    const object = await get(`${sandbox.base}/v25.0/123/abc/def`);
    expect(object.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    expect(object.json.error.code).toBeTypeOf('number');
    const version = await get(`${sandbox.base}/latest/me`);
    expect(version.status).toBe(400);
    expect(version.json.error).toMatchObject({ code: 100, error_subcode: 33 });
  });
});
