/**
 * Provider modes: the sandbox by default, the real Meta hosts once app credentials are set, and
 * nothing at all (a clear 400) with the sandbox off and no credentials. Also the daily discovery schedule.
 */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/contract/client.ts';
import { startTestApp } from './harness.ts';

describe('provider modes', () => {
  it('refuses connections clearly when the sandbox is off and no app is configured', async () => {
    const app = await startTestApp('pglite', { TRIBUTARY_SANDBOX: 'off' });
    try {
      const catalog = await app.api.call('listDataSources');
      expect(catalog.items.find((item) => item.id === 'meta-ads')).toMatchObject({
        sandbox: false,
        configured: false,
      });
      const error = await app.api
        .call('createConnection', { body: { dataSource: 'meta-ads' } })
        .catch((e) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect([(error as ApiError).status, (error as ApiError).code]).toEqual([
        400,
        'provider_not_configured',
      ]);
      expect((await fetch(`${app.url}/sandbox/_control/users`)).status).toBe(404);
      const connections = await app.api.call('listConnections');
      expect(connections.items).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('authorizes at facebook.com with the configured app once META_APP_ID/SECRET are set', async () => {
    const app = await startTestApp('pglite', {
      META_APP_ID: '1234567890',
      META_APP_SECRET: 'app-secret-value',
    });
    try {
      const source = await app.api.call('getDataSource', { params: { id: 'meta-ads' } });
      expect(source).toMatchObject({ sandbox: false, configured: true });
      const created = await app.api.call('createConnection', { body: { dataSource: 'meta-ads' } });
      const url = new URL(created.authorizationUrl!);
      expect(url.origin).toBe('https://www.facebook.com');
      expect(url.pathname).toBe('/v25.0/dialog/oauth');
      expect(url.searchParams.get('client_id')).toBe('1234567890');
      expect(url.searchParams.get('scope')).toBe('ads_read,business_management,email');
      expect(url.searchParams.get('state')?.length).toBeGreaterThanOrEqual(40);
      expect(JSON.stringify(created)).not.toContain('app-secret-value');
    } finally {
      await app.close();
    }
  });

  it('schedules the daily account re-discovery in the job queue', async () => {
    const app = await startTestApp('pglite');
    try {
      const rows = await app.runtime.context.db.query<{ name: string; cron: string; timezone: string }>(
        'SELECT name, cron, timezone FROM pgboss.schedule',
      );
      expect(rows).toContainEqual({ name: 'daily-account-discovery', cron: '17 3 * * *', timezone: 'UTC' });
    } finally {
      await app.close();
    }
  });
});
