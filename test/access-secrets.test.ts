/**
 * Secrets stay secret: provider access and refresh tokens, authorization codes, a GA4 service-account key, a
 * PostgreSQL destination password, a webhook signing secret, API tokens, session and CSRF cookies, passwords and
 * invitation links are seeded through the product, then searched for in every API response (every GET endpoint
 * crawled with every id we have, and error bodies), every log line, the audit log (API and its export to a
 * destination), and a text dump of every table of the store. Secrets shown once (a new token, a webhook secret,
 * an invitation link) may appear in their own creation response only.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInOverHttp } from '../src/access/apiSignIn.ts';
import { testRequirements } from '../src/config.ts';
import { type Endpoint, endpoints } from '../src/contract/endpoints.ts';
import {
  approveInSandbox,
  backends,
  connectSandboxUser,
  runEnded,
  startTestApp,
  type TestApp,
  testOwner,
  waitFor,
} from './harness.ts';
import { postgresAvailable } from './postgres.ts';
import { storeDump } from './storeSnapshot.ts';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const withPostgres = await postgresAvailable();

for (const backend of await backends()) {
  describe(`secrets on ${backend}`, () => {
    let app: TestApp;
    const warehouseSchema = `sec_${crypto.randomBytes(5).toString('hex')}`;
    /** Every response body an API client could see (creation responses that show a secret once excepted). */
    const responses: string[] = [];
    /** Secrets this test handed to the product or was given by it. */
    const secrets = new Map<string, string>();
    /** The creation responses that show a secret once. */
    const shownOnce: string[] = [];

    /** Calls the API and keeps the body for the search; `shownOnce` keeps it out (its secret is meant for it). */
    async function call(
      method: string,
      path: string,
      options: { body?: unknown; headers?: Record<string, string>; shownOnce?: boolean } = {},
    ): Promise<{ status: number; text: string; json: () => Record<string, unknown> }> {
      const response = await fetch(`${app.url}${path}`, {
        method,
        redirect: 'manual',
        headers: {
          ...app.authHeaders,
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
        body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      });
      const text = await response.text();
      // The path is left out: a query may carry what the caller sent (an invitation token), not what we answered.
      if (options.shownOnce) shownOnce.push(text);
      else responses.push(`${method} ${path.split('?')[0]} → ${response.status} ${text}`);
      return { status: response.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
    }

    beforeAll(async () => {
      app = await startTestApp(backend, { LOG_LEVEL: 'debug', TRIBUTARY_API_RATE_LIMIT: '1000000' });
    });
    afterAll(async () => {
      await app?.close();
      if (withPostgres) {
        const client = new pg.Client({ connectionString: testRequirements().postgresUrl });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${warehouseSchema}" CASCADE`);
        await client.end();
      }
    });

    it('never shows, logs, audits, exports or stores a secret in plaintext', async () => {
      secrets.set('owner password', testOwner.password);
      secrets.set('harness API token', app.token);
      secrets.set('owner session cookie', /tributary_session=([^;]+)/.exec(app.session.cookie)![1]!);
      secrets.set('owner CSRF token', app.session.csrf);
      secrets.set('master key', app.config.masterKey!);
      secrets.set('sandbox client secret', 'tributary-sandbox-secret');

      // Meta through OAuth (access tokens, codes), Google Ads (refresh tokens), GA4 with a service-account key.
      const meta = (
        await call('POST', '/api/v1/connections', { body: { dataSource: 'meta-ads' } })
      ).json() as {
        connection: { id: string };
        authorizationUrl: string;
      };
      responses.push(await (await approveInSandbox(meta.authorizationUrl, 'alex@example.com')).text());
      await waitFor(
        async () => (await call('GET', `/api/v1/connections/${meta.connection.id}`)).json(),
        (connection) => connection.accountStatus === 'ready',
      );
      const googleAds = await connectSandboxUser(app, 'alex@example.com', { provider: 'google-ads' });
      const saEmail = 'reporting@tributary-sandbox.iam.gserviceaccount.com';
      const key = await (
        await fetch(
          `${app.url}/sandbox/ga4/_control/service-account-key?email=${encodeURIComponent(saEmail)}`,
        )
      ).text();
      const parsedKey = JSON.parse(key) as { private_key: string; private_key_id: string };
      const pem = parsedKey.private_key.replace(/-----[A-Z ]+-----|\s/g, '');
      secrets.set('GA4 private key', pem.slice(100, 160));
      secrets.set('GA4 private key id', parsedKey.private_key_id);
      const ga4 = (
        await call('POST', '/api/v1/connections', { body: { dataSource: 'ga4', credentials: { key } } })
      ).json() as { connection: { id: string } };
      // A key the product refuses must not come back in the error either.
      const brokenKey = JSON.stringify({ ...JSON.parse(key), client_email: 'not-an-email' });
      const refusedKey = await call('POST', '/api/v1/connections', {
        body: { dataSource: 'ga4', credentials: { key: brokenKey } },
      });
      expect(refusedKey.status).toBe(400);

      // A PostgreSQL destination whose URL carries a password (trust auth here: any password connects).
      const pgPassword = `Pw-${crypto.randomBytes(9).toString('hex')}`;
      secrets.set('PostgreSQL destination password', pgPassword);
      const pgUrl = new URL(testRequirements().postgresUrl);
      pgUrl.password = pgPassword;
      if (withPostgres) {
        const created = await call('POST', '/api/v1/destinations', {
          body: { kind: 'postgres', name: 'Warehouse', url: pgUrl.toString(), schema: warehouseSchema },
        });
        expect(created.status, created.text).toBe(201);
      }
      const unreachable = new URL(pgUrl);
      unreachable.port = '1';
      const refusedDestination = await call('POST', '/api/v1/destinations', {
        body: { kind: 'postgres', name: 'Nowhere', url: unreachable.toString(), schema: 'nowhere' },
      });
      // Unreachable is the destination's state, not bad input: 503 destination_unavailable, password left out.
      expect(refusedDestination.text).toContain('destination_unavailable');

      // Shown once: a webhook secret, an API token, an invitation link.
      const webhook = (
        await call('POST', '/api/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook' }, shownOnce: true })
      ).json() as { secret: string };
      secrets.set('webhook secret', webhook.secret);
      const token = (
        await call('POST', '/api/v1/tokens', { body: { name: 'ci' }, shownOnce: true })
      ).json() as {
        token: string;
      };
      secrets.set('created API token', token.token);
      const invitation = (
        await call('POST', '/api/v1/invitations', {
          body: { email: 'new.hire@example.com', role: 'editor' },
          shownOnce: true,
        })
      ).json() as { url: string };
      const invitationToken = new URL(invitation.url).searchParams.get('token')!;
      secrets.set('invitation token', invitationToken);
      const invitee = {
        first: `first ${crypto.randomBytes(8).toString('hex')}`,
        second: `second ${crypto.randomBytes(8).toString('hex')}`,
      };
      secrets.set('invitee password', invitee.first);
      secrets.set('invitee new password', invitee.second);
      const inspected = await call(
        'GET',
        `/api/v1/auth/invitation?token=${encodeURIComponent(invitationToken)}`,
        {
          headers: {},
        },
      );
      expect(inspected.status).toBe(200);
      const accepted = await call('POST', '/api/v1/auth/invitation', {
        body: { token: invitationToken, password: invitee.first, name: 'New Hire' },
      });
      expect(accepted.status, accepted.text).toBe(200);
      const inviteeSession = await signInOverHttp(app.url, 'new.hire@example.com', invitee.first);
      secrets.set('invitee session cookie', /tributary_session=([^;]+)/.exec(inviteeSession.cookie)![1]!);
      const changed = await call('POST', '/api/v1/auth/password', {
        body: { currentPassword: invitee.first, newPassword: invitee.second },
        headers: { authorization: '', ...inviteeSession.headers() },
      });
      expect(changed.status, changed.text).toBe(204);
      const wrong = await call('POST', '/api/v1/auth/sign-in', {
        body: { email: 'new.hire@example.com', password: invitee.first },
        headers: { authorization: '' },
      });
      expect(wrong.status).toBe(401);

      // A run on Meta (its Graph API takes the token as a query parameter) and its log.
      const extraction = (
        await call('POST', '/api/v1/extractions', {
          body: { connectionId: meta.connection.id, templateId: 'meta-ads.account_daily' },
        })
      ).json() as { id: string };
      const run = (
        await call('POST', `/api/v1/extractions/${extraction.id}/runs`, {
          body: { from: day(-2), to: day(-1) },
        })
      ).json() as { id: string };
      await runEnded(app, run.id);

      // Crawl every GET endpoint with every id we have (ids of the wrong kind give error bodies: searched too).
      const ids = [
        meta.connection.id,
        googleAds.id,
        ga4.connection.id,
        extraction.id,
        run.id,
        'meta-ads',
        'google-ads',
        'ga4',
      ];
      let crawled = 0;
      for (const endpoint of Object.values(endpoints) as Endpoint[]) {
        if (endpoint.method !== 'GET') continue;
        const candidates = endpoint.path.includes(':') ? ids : [null];
        for (const id of candidates) {
          const path = endpoint.path.replace(/:([a-zA-Z]+)/g, () => encodeURIComponent(id ?? ''));
          await call('GET', path.includes('/auth/invitation') ? `${path}?token=${invitationToken}` : path);
          crawled += 1;
        }
      }
      await call('GET', '/api/v1/openapi.json');
      await call('GET', '/api/v1/connections?limit=200');

      // The audit log, through the API and exported to the default (DuckDB) destination.
      const audit = (await call('GET', '/api/v1/audit?limit=500')).json() as { items: unknown[] };
      expect(audit.items.length).toBeGreaterThan(5);
      const destinations = (await call('GET', '/api/v1/destinations')).json() as {
        items: { id: string; kind: string }[];
      };
      const duckdb = destinations.items.find((destination) => destination.kind === 'duckdb')!;
      const exported = (
        await call('POST', '/api/v1/audit/export', { body: { destinationId: duckdb.id } })
      ).json() as {
        table: string;
        rows: number;
      };
      expect(exported.rows).toBeGreaterThan(5);
      const exportedRows = await (await app.runtime.context.destinations.get(duckdb.id)).preview(
        exported.table,
        1000,
      );
      expect(exportedRows.rows.length).toBe(exported.rows);
      const exportText = JSON.stringify(exportedRows.rows, (_key, value) =>
        typeof value === 'bigint' ? String(value) : value,
      );

      const issued = (await (await fetch(`${app.url}/sandbox/_control/tokens`)).json()) as {
        tokens: { provider: string; kind: string; value: string }[];
      };
      for (const issuedToken of issued.tokens)
        secrets.set(
          `${issuedToken.provider} ${issuedToken.kind} ${issuedToken.value.slice(0, 6)}`,
          issuedToken.value,
        );
      const kinds = new Set(issued.tokens.map((t) => `${t.provider}:${t.kind}`));
      expect([...kinds]).toEqual(expect.arrayContaining(['meta-ads:access_token', 'meta-ads:code']));
      expect([...kinds].some((kind) => kind.startsWith('google-ads:') && kind.includes('refresh'))).toBe(
        true,
      );

      await app.runtime.logger.flush();
      const logs = app.logs.join('');
      const store = await storeDump(app);
      expect(store.tables).toEqual(
        expect.arrayContaining(['credentials', 'api_tokens', 'sessions', 'audit_log']),
      );
      // The sealed envelopes are there; only their plaintext must not be.
      expect(store.text).toContain('v1.');

      const places = {
        'API responses': responses.join('\n'),
        logs,
        'audit log (API)': JSON.stringify(audit),
        'audit log (export)': exportText,
        store: store.text,
      };
      // The search can find what it looks for: each shown-once secret is in its own creation response, and the
      // logs hold the requests made.
      for (const name of ['webhook secret', 'created API token', 'invitation token'])
        expect(
          shownOnce.some((body) => body.includes(secrets.get(name)!)),
          name,
        ).toBe(true);
      expect(logs).toContain(meta.connection.id);
      const found: string[] = [];
      for (const [name, secret] of secrets) {
        expect(secret.length, name).toBeGreaterThanOrEqual(8);
        for (const [where, haystack] of Object.entries(places))
          if (haystack.includes(secret)) found.push(`${name} (${secret.slice(0, 6)}…) in ${where}`);
      }
      console.info(
        `secrets on ${backend}: ${secrets.size} secrets searched in ${responses.length} responses (${crawled} GET crawled), ${logs.length} bytes of logs, ${audit.items.length} audit entries, ${store.tables.length} tables`,
      );
      expect(found).toEqual([]);
    }, 180_000);
  });
}
