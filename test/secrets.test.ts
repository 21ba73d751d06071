/**
 * The vault's promise: tokens, codes and app secrets are never returned by the API, never logged,
 * and never stored in plaintext. The test drives the whole flow, then looks for every secret the
 * sandbox issued in every response body, every log line and a dump of every table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveInSandbox, backends, startTestApp, type TestApp, testOwner, waitFor } from './harness.ts';

for (const backend of await backends()) {
  describe(`secrets on ${backend}`, () => {
    let app: TestApp;
    const responses: string[] = [];

    /** Fetches through the API and keeps every body for the search. */
    async function record(path: string, init?: RequestInit): Promise<string> {
      const response = await fetch(`${app.url}${path}`, {
        ...init,
        headers: { ...app.authHeaders, ...(init?.headers as Record<string, string> | undefined) },
      });
      const text = await response.text();
      responses.push(text);
      return text;
    }

    beforeAll(async () => {
      app = await startTestApp(backend, { LOG_LEVEL: 'debug' });
    });
    afterAll(async () => {
      await app?.close();
    });

    it('never returns, logs or stores a token in plaintext', async () => {
      const post = { method: 'POST', headers: { 'content-type': 'application/json' } };
      const created = JSON.parse(
        await record('/api/v1/connections', { ...post, body: JSON.stringify({ dataSource: 'meta-ads' }) }),
      ) as { connection: { id: string }; authorizationUrl: string };
      const id = created.connection.id;
      responses.push(await (await approveInSandbox(created.authorizationUrl, 'alex@example.com')).text());
      await waitFor(
        async () => JSON.parse(await record(`/api/v1/connections/${id}`)) as { accountStatus: string },
        (connection) => connection.accountStatus === 'ready',
      );
      await record(`/api/v1/connections/${id}/sync-accounts`, { method: 'POST' });
      await waitFor(
        async () => JSON.parse(await record(`/api/v1/connections/${id}`)) as { accountStatus: string },
        (connection) => connection.accountStatus === 'ready',
      );
      const reconnect = JSON.parse(
        await record(`/api/v1/connections/${id}/reconnect`, { method: 'POST' }),
      ) as {
        authorizationUrl: string;
      };
      responses.push(await (await approveInSandbox(reconnect.authorizationUrl, 'alex@example.com')).text());
      await record('/api/v1/connections?limit=200');
      await record(`/api/v1/connections/${id}/accounts`);
      await record('/api/v1/openapi.json');

      const issued = (await (await fetch(`${app.url}/sandbox/_control/tokens`)).json()) as {
        tokens: { kind: string; value: string }[];
      };
      const secrets = [
        ...issued.tokens.map((token) => token.value),
        'tributary-sandbox-secret',
        app.token,
        testOwner.password,
        app.config.masterKey!,
      ];
      expect(issued.tokens.filter((token) => token.kind === 'access_token').length).toBeGreaterThanOrEqual(4);
      expect(issued.tokens.filter((token) => token.kind === 'code').length).toBeGreaterThanOrEqual(2);

      await app.runtime.logger.flush();
      const logs = app.logs.join('');
      expect(logs).toContain('connection authorized');
      expect(logs).toContain('/api/v1/oauth/callback');

      const db = app.runtime.context.db;
      const tables = await db.query<{ schema: string; name: string }>(
        `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
         WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
           AND (table_schema = current_schema() OR table_schema LIKE '%jobs' OR table_schema = 'pgboss')`,
      );
      let dump = '';
      for (const table of tables) {
        const rows = await db.query(`SELECT * FROM "${table.schema}"."${table.name}"`);
        dump += JSON.stringify(rows);
      }
      expect(tables.map((table) => table.name)).toEqual(
        expect.arrayContaining(['credentials', 'connections', 'job']),
      );
      expect(dump).toContain('v1.');

      for (const secret of secrets) {
        for (const [where, haystack] of [
          ['API responses', responses.join('\n')],
          ['logs', logs],
          ['store', dump],
        ] as const) {
          expect(haystack.includes(secret), `${secret.slice(0, 8)}… found in ${where}`).toBe(false);
        }
      }
    });
  });
}
