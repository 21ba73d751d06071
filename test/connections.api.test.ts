/**
 * The Connected Sources flow through the HTTP API, against the built-in Meta Ads sandbox, on
 * PGlite and on PostgreSQL: create → authorize → accounts discovered → list/search/sort →
 * fault → reconnect → delete, plus the bad-input and bad-callback cases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiFailure,
  approveInSandbox,
  backends,
  connectSandboxUser,
  injectFault,
  startTestApp,
  type TestApp,
  waitFor,
} from './harness.ts';

type Api = TestApp['api'];

async function connect(app: TestApp, email: string) {
  return (await connectSandboxUser(app, email)).id;
}

async function settled(api: Api, id: string) {
  return waitFor(
    () => api.call('getConnection', { params: { id } }),
    (connection) => connection.accountStatus !== 'loading',
  );
}

/** The error body of a raw response. */
async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  return ((await response.json()) as { error: { code: string; message: string } }).error;
}

for (const backend of await backends()) {
  describe(`connections API on ${backend}`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp(backend);
    });
    afterAll(async () => {
      await app?.close();
    });

    it('lists the data source catalog and a source with its guides and schema', async () => {
      const list = await app.api.call('listDataSources');
      expect(list.items).toContainEqual({
        id: 'meta-ads',
        name: 'Meta Ads',
        authType: 'oauth2',
        sandbox: true,
        configured: true,
        formAuthType: null,
      });
      const meta = await app.api.call('getDataSource', { params: { id: 'meta-ads' } });
      expect(meta.setupGuide.length).toBeGreaterThan(200);
      expect(meta.troubleshooting).toMatch(/190/);
      expect(meta.schema.metrics.find((metric) => metric.name === 'spend')?.type).toBe('money');
      expect(meta.schema.dimensions.length).toBeGreaterThan(3);
      const unknown = await apiFailure(app.api.call('getDataSource', { params: { id: 'myspace-ads' } }));
      expect([unknown.status, unknown.code]).toEqual([400, 'unknown_data_source']);
    });

    it('creates, authorizes and discovers accounts', async () => {
      const created = await app.api.call('createConnection', { body: { dataSource: 'meta-ads' } });
      expect(created.connection).toMatchObject({
        status: 'pending',
        accountStatus: 'loading',
        lastAuthorizedAt: null,
        businessAccount: null,
        actions: { extract: false, reconnect: true, delete: true },
      });
      const authorize = new URL(created.authorizationUrl!);
      expect(authorize.pathname).toBe('/sandbox/meta-ads/v25.0/dialog/oauth');
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorize.searchParams.get('redirect_uri')).toBe(`${app.url}/api/v1/oauth/callback`);

      const callback = await approveInSandbox(created.authorizationUrl!, 'alex@example.com');
      expect(callback.status).toBe(200);
      expect(await callback.text()).toContain('Connection authorized');

      const connection = await settled(app.api, created.connection.id);
      expect(connection).toMatchObject({
        status: 'active',
        statusDetails: null,
        accountStatus: 'ready',
        accountsCount: 3,
        businessAccount: 'alex@example.com',
        actions: { extract: true, reconnect: true, delete: true },
      });
      expect(connection.businessAccountId).toMatch(/^\d+$/);
      expect(connection.lastAuthorizedAt).not.toBeNull();
      expect(connection.accountsSyncedAt).not.toBeNull();
      expect(connection.configuration.scopes).toContain('ads_read');
      expect(Date.parse(connection.configuration.tokenExpiresAt!)).toBeGreaterThan(
        Date.now() + 50 * 86_400_000,
      );
      const accounts = await app.api.call('listConnectionAccounts', { params: { id: connection.id } });
      expect(accounts.items).toHaveLength(3);
      for (const account of accounts.items) {
        expect(account.id).toMatch(/^\d+$/);
        expect(account.currency).toMatch(/^[A-Z]{3}$/);
        expect(account.timezone).toMatch(/\//);
        expect(account.lostAt).toBeNull();
      }
    });

    it('shows no accounts, many accounts, and tells same-named users apart', async () => {
      const nora = await settled(app.api, await connect(app, 'nora@example.com'));
      expect([nora.accountStatus, nora.accountsCount, nora.actions.extract]).toEqual(['none', 0, false]);

      const agency = await settled(app.api, await connect(app, 'agency@example.com'));
      expect([agency.accountStatus, agency.accountsCount]).toEqual(['ready', 1200]);
      const ids = new Set(agency.accounts.map((account) => account.id));
      expect(ids.size).toBe(1200);
      expect(agency.accounts.some((account) => account.status !== 'active')).toBe(true);

      const samCom = await settled(app.api, await connect(app, 'sam.lee@example.com'));
      const samOrg = await settled(app.api, await connect(app, 'sam.lee@example.org'));
      expect(samCom.businessAccountId).not.toBe(samOrg.businessAccountId);
      expect([samCom.accountsCount, samOrg.accountsCount]).toEqual([2, 1]);
    });

    it('searches by data source name or business account, case-insensitively', async () => {
      const byName = await app.api.call('listConnections', { query: { search: 'mEtA' } });
      expect(byName.items.length).toBe(5);
      const byAccount = await app.api.call('listConnections', { query: { search: 'SAM.LEE' } });
      expect(byAccount.items.map((item) => item.businessAccount).sort()).toEqual([
        'sam.lee@example.com',
        'sam.lee@example.org',
      ]);
      const none = await app.api.call('listConnections', { query: { search: '100%_' } });
      expect(none.items).toEqual([]);
    });

    it('sorts by every allowed key in both orders, and pages with a stable cursor', async () => {
      const all = await app.api.call('listConnections', { query: { limit: 200 } });
      for (const sort of [
        'businessAccount',
        'accountStatus',
        'createdAt',
        'lastAuthorizedAt',
        'dataSource',
      ] as const) {
        for (const order of ['asc', 'desc'] as const) {
          const seen: string[] = [];
          let cursor: string | undefined;
          do {
            const page = await app.api.call('listConnections', { query: { sort, order, limit: 2, cursor } });
            seen.push(...page.items.map((item) => item.id));
            cursor = page.nextCursor ?? undefined;
          } while (cursor);
          expect(new Set(seen).size).toBe(all.items.length);
          expect(seen.length).toBe(all.items.length);
        }
      }
      const asc = await app.api.call('listConnections', { query: { sort: 'businessAccount', order: 'asc' } });
      const accounts = asc.items.map((item) => (item.businessAccount ?? '').toLowerCase());
      expect(accounts).toEqual([...accounts].sort());
      const desc = await app.api.call('listConnections', { query: { sort: 'accountStatus', order: 'desc' } });
      expect(desc.items[0]?.accountsCount).toBe(1200);
    });

    it('refuses bad list parameters with a 400 that names the problem', async () => {
      for (const sort of ['status', 'actions', 'bogus']) {
        const error = await apiFailure(
          app.api.call('listConnections', { query: { sort: sort as 'createdAt' } }),
        );
        expect([error.status, error.code]).toEqual([400, 'invalid_sort']);
        expect(error.message).toContain('dataSource, businessAccount, accountStatus');
      }
      const forged = await apiFailure(app.api.call('listConnections', { query: { cursor: 'not-a-cursor' } }));
      expect([forged.status, forged.code]).toEqual([400, 'invalid_cursor']);
      const page = await app.api.call('listConnections', { query: { limit: 1 } });
      const reused = await apiFailure(
        app.api.call('listConnections', {
          query: { limit: 1, sort: 'dataSource', cursor: page.nextCursor! },
        }),
      );
      expect(reused.code).toBe('invalid_cursor');
      const limit = await apiFailure(app.api.call('listConnections', { query: { limit: 0 } }));
      expect(limit.message).toContain('limit');
      const extra = await fetch(`${app.url}/api/v1/connections?colour=red`, { headers: app.authHeaders });
      expect(extra.status).toBe(400);
      expect((await errorOf(extra)).message).toContain('colour');
    });

    it('refuses bad bodies and unknown ids without a 5xx', async () => {
      const post = (body: string, type = 'application/json') =>
        fetch(`${app.url}/api/v1/connections`, {
          method: 'POST',
          headers: { ...app.authHeaders, 'content-type': type },
          body,
        });
      const cases: [Response, number, string][] = [
        [await post('{"dataSource":'), 400, 'invalid_json'],
        [await post('{"dataSource":"meta-ads","extra":1}'), 400, 'validation_failed'],
        [await post('{"dataSource":42}'), 400, 'validation_failed'],
        [await post(JSON.stringify({ dataSource: 'x'.repeat(500) })), 400, 'validation_failed'],
        [await post('{"dataSource":"tiktok-myspace"}'), 400, 'unknown_data_source'],
        [await post('{"dataSource":"meta-ads","credentials":{"token":"x"}}'), 400, 'wrong_auth_type'],
        [
          await post('{"dataSource":"meta-ads","returnTo":"https://evil.example/"}'),
          400,
          'validation_failed',
        ],
        [await post('dataSource=meta-ads', 'text/plain'), 415, 'unsupported_media_type'],
      ];
      for (const [response, status, code] of cases) {
        expect(response.status).toBe(status);
        const error = await errorOf(response);
        expect(error.code).toBe(code);
        expect(error.message.length).toBeGreaterThan(5);
      }
      for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', "1' OR '1'='1"]) {
        const error = await apiFailure(app.api.call('getConnection', { params: { id } }));
        expect([error.status, error.code]).toEqual([404, 'not_found']);
      }
      const route = await fetch(`${app.url}/api/v1/nothing-here`);
      expect([route.status, (await errorOf(route)).code]).toEqual([404, 'route_not_found']);
    });

    it('records a provider fault during sync-accounts, and a later sync clears it', async () => {
      const id = await connect(app, 'sam.lee@example.com');
      await settled(app.api, id);

      await injectFault(app, 'token_expired', 1);
      const accepted = await app.api.call('syncConnectionAccounts', { params: { id } });
      expect(accepted.connection.accountStatus).toBe('loading');
      const failed = await settled(app.api, id);
      expect(failed).toMatchObject({ status: 'error', accountStatus: 'error', actions: { extract: false } });
      expect(failed.statusDetails).toMatchObject({ code: 'auth_token_expired', category: 'auth' });
      expect(failed.statusDetails!.remedy).toMatch(/Reconnect/);
      expect(failed.accounts).toHaveLength(2);

      await app.api.call('syncConnectionAccounts', { params: { id } });
      const healed = await settled(app.api, id);
      expect(healed).toMatchObject({
        status: 'active',
        statusDetails: null,
        accountStatus: 'ready',
        accountsCount: 2,
      });

      await injectFault(app, 'server_error', 10);
      await app.api.call('syncConnectionAccounts', { params: { id } });
      const transient = await settled(app.api, id);
      expect(transient).toMatchObject({ status: 'active', accountStatus: 'error' });
      expect(transient.statusDetails).toMatchObject({ code: 'provider_unavailable', category: 'transient' });
      await fetch(`${app.url}/sandbox/_control/faults`, { method: 'DELETE' });

      for (const [fault, code, category] of [
        ['rate_limited', 'rate_limited', 'quota'],
        ['permission_denied', 'permission_denied', 'permission'],
        ['malformed', 'provider_malformed_response', 'provider'],
        ['revoked', 'auth_token_revoked', 'auth'],
      ] as const) {
        await injectFault(app, fault, 1);
        await app.api.call('syncConnectionAccounts', { params: { id } });
        const broken = await settled(app.api, id);
        expect(broken.statusDetails).toMatchObject({ code, category });
        expect(broken.accounts).toHaveLength(2);
        await app.api.call('syncConnectionAccounts', { params: { id } });
        expect((await settled(app.api, id)).statusDetails).toBeNull();
      }
    });

    it('reconnects as the same user keeping the id and accounts, and refuses another user', async () => {
      const id = await connect(app, 'alex@example.com');
      const before = await settled(app.api, id);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const reconnect = await app.api.call('reconnectConnection', { params: { id } });
      expect((await approveInSandbox(reconnect.authorizationUrl!, 'alex@example.com')).status).toBe(200);
      const after = await settled(app.api, id);
      expect(after.id).toBe(id);
      expect(after.accounts.map((account) => account.id).sort()).toEqual(
        before.accounts.map((account) => account.id).sort(),
      );
      expect(Date.parse(after.lastAuthorizedAt!)).toBeGreaterThan(Date.parse(before.lastAuthorizedAt!));

      const other = await app.api.call('reconnectConnection', { params: { id } });
      const refused = await approveInSandbox(other.authorizationUrl!, 'nora@example.com');
      expect(refused.status).toBe(409);
      expect(refused.headers.get('x-error-code')).toBe('business_account_mismatch');
      const unchanged = await app.api.call('getConnection', { params: { id } });
      expect(unchanged).toMatchObject({
        businessAccount: 'alex@example.com',
        businessAccountId: before.businessAccountId,
        status: 'active',
        accountsCount: 3,
      });
    });

    it('refuses bad, replayed and expired callback states without changing anything', async () => {
      const created = await app.api.call('createConnection', { body: { dataSource: 'meta-ads' } });
      const json = { headers: { accept: 'application/json' }, redirect: 'manual' as const };
      const bad = await fetch(`${app.url}/api/v1/oauth/callback?code=abc&state=forged`, json);
      expect([bad.status, (await errorOf(bad)).code]).toEqual([400, 'invalid_oauth_state']);
      const missing = await fetch(`${app.url}/api/v1/oauth/callback?code=abc`, json);
      expect(missing.status).toBe(400);

      const url = new URL(created.authorizationUrl!);
      url.searchParams.set('sandbox_approve', 'alex@example.com');
      const location = (await fetch(url, { redirect: 'manual' })).headers.get('location')!;
      expect((await fetch(location, json)).status).toBe(200);
      const replay = await fetch(location, json);
      expect([replay.status, (await errorOf(replay)).code]).toEqual([400, 'invalid_oauth_state']);

      const second = await app.api.call('createConnection', { body: { dataSource: 'meta-ads' } });
      await app.runtime.context.db.query(
        "UPDATE oauth_states SET expires_at = now() - interval '1 minute' WHERE connection_id = $1",
        [second.connection.id],
      );
      const expired = await approveInSandbox(second.authorizationUrl!, 'alex@example.com');
      expect(expired.status).toBe(400);
      const still = await app.api.call('getConnection', { params: { id: second.connection.id } });
      expect([still.status, still.lastAuthorizedAt]).toEqual(['pending', null]);
    });

    it('puts a connection in error when the user denies the authorization', async () => {
      const created = await app.api.call('createConnection', { body: { dataSource: 'meta-ads' } });
      const url = new URL(created.authorizationUrl!);
      url.searchParams.set('sandbox_deny', '1');
      const location = (await fetch(url, { redirect: 'manual' })).headers.get('location')!;
      const denied = await fetch(location, { redirect: 'manual' });
      expect(denied.status).toBe(400);
      const connection = await app.api.call('getConnection', { params: { id: created.connection.id } });
      expect(connection.status).toBe('error');
      expect(connection.statusDetails).toMatchObject({ code: 'oauth_denied', category: 'auth' });
    });

    it('deletes a connection and its credential; a second delete is a 404', async () => {
      const id = await connect(app, 'sam.lee@example.org');
      await settled(app.api, id);
      const tokens = (await (await fetch(`${app.url}/sandbox/_control/tokens`)).json()) as {
        tokens: { kind: string; value: string; user: string }[];
      };
      const latest = tokens.tokens
        .filter((token) => token.user === 'sam.lee@example.org' && token.kind === 'access_token')
        .at(-1)!;
      const me = (token: string) =>
        fetch(`${app.url}/sandbox/meta-ads/v25.0/me`, { headers: { authorization: `Bearer ${token}` } });
      expect((await me(latest.value)).status).toBe(200);
      await app.api.call('deleteConnection', { params: { id } });
      // Deleting revokes the credential at the provider too.
      expect((await me(latest.value)).status).toBe(400);
      const again = await apiFailure(app.api.call('deleteConnection', { params: { id } }));
      expect([again.status, again.code]).toEqual([404, 'not_found']);
      const rows = await app.runtime.context.db.query(
        'SELECT count(*)::int AS n FROM credentials WHERE connection_id = $1',
        [id],
      );
      expect(rows[0]?.n).toBe(0);
      const accounts = await app.runtime.context.db.query(
        'SELECT count(*)::int AS n FROM accounts WHERE connection_id = $1',
        [id],
      );
      expect(accounts[0]?.n).toBe(0);
    });

    it('serves health and an OpenAPI document generated from the contract', async () => {
      const health = await app.api.call('health');
      expect(health).toMatchObject({ status: 'ok', store: backend });
      const openapi = (await (await fetch(`${app.url}/api/v1/openapi.json`)).json()) as {
        openapi: string;
        paths: Record<
          string,
          Record<string, { parameters: { name: string; schema: { enum?: string[] } }[] }>
        >;
      };
      expect(openapi.openapi).toBe('3.1.0');
      expect(Object.keys(openapi.paths)).toContain('/api/v1/connections/{id}/sync-accounts');
      const sort = openapi.paths['/api/v1/connections']?.get?.parameters.find(
        (parameter) => parameter.name === 'sort',
      );
      expect(sort?.schema.enum).toEqual([
        'dataSource',
        'businessAccount',
        'accountStatus',
        'businessAccountId',
        'createdAt',
        'lastAuthorizedAt',
      ]);
    });
  });
}
