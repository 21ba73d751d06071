/**
 * The hardening list at the API: security headers on every kind of response, the body size limit, the per-client
 * rate limit, and the refusals that keep the product from being a proxy to internal addresses (provider base URL
 * overrides, webhook URLs, PostgreSQL destination URLs).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiFailure, startTestApp, type TestApp } from './harness.ts';

const CSP =
  /default-src 'self'.*script-src 'self'.*object-src 'none'.*base-uri 'self'.*form-action 'self'.*frame-ancestors 'none'/;

function expectLockedDown(response: Response): void {
  expect(response.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  expect(response.headers.get('x-frame-options')).toBe('DENY');
}

describe('security headers, body size, webhook and destination targets', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp('pglite');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('puts the headers on API answers, API errors, the web app and its assets', async () => {
    const index = await fetch(`${app.url}/connections`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toMatch(CSP);
    expect(index.headers.get('cross-origin-opener-policy')).toBe('same-origin');
    expectLockedDown(index);
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(await index.text())?.[1];
    const responses = [
      await fetch(`${app.url}/api/v1/health`),
      await fetch(`${app.url}/api/v1/nothing-here`),
      await fetch(`${app.url}/api/v1/connections/not-a-uuid`),
      ...(asset ? [await fetch(`${app.url}${asset}`)] : []),
    ];
    expect(responses.map((response) => response.status).slice(1, 2)).toEqual([404]);
    for (const response of responses) {
      expectLockedDown(response);
      expect(response.headers.get('content-security-policy')).toMatch(CSP);
    }
  });

  it('lets a sandbox consent page keep its own stricter policy', async () => {
    const created = await app.api.call('createConnection', { body: { dataSource: 'meta-ads' } });
    const page = await fetch(created.authorizationUrl!);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; style-src 'unsafe-inline'/,
    );
    expectLockedDown(page);
  });

  it('refuses a 2 MiB body with 413 and our error body', async () => {
    const response = await fetch(`${app.url}/api/v1/connections`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dataSource: 'meta-ads', padding: 'x'.repeat(2 * 1024 * 1024) }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({
      error: { code: 'payload_too_large', message: expect.any(String) },
    });
    expectLockedDown(response);
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data/', /link-local/],
    ['http://[fd00:ec2::254]/', /metadata/],
    ['http://metadata.google.internal/computeMetadata/v1/', /metadata/],
    ['http://[::ffff:169.254.169.254]/', /link-local/],
  ])('refuses a webhook to %s', async (url, reason) => {
    const error = await apiFailure(app.api.call('createWebhook', { body: { url, events: [] } }));
    expect({ status: error.status, code: error.code }).toEqual({ status: 400, code: 'validation_failed' });
    expect(error.message).toMatch(reason);
    expect((await app.api.call('listWebhooks')).items).toEqual([]);
  });

  it('accepts webhooks on loopback and private networks (receivers beside a self-hosted server)', async () => {
    for (const url of ['http://127.0.0.1:9/hook', 'http://10.1.2.3/hook', 'https://hooks.example.com/t']) {
      const created = await app.api.call('createWebhook', { body: { url, events: [] } });
      await app.api.call('deleteWebhook', { params: { id: created.id } });
    }
  });

  it.each([
    'postgres://tributary@169.254.169.254:5432/warehouse',
    'postgres://tributary@[fd00:ec2::254]:5432/warehouse',
    'postgres://tributary@127.0.0.1:5432/warehouse?host=169.254.169.254',
  ])('refuses a PostgreSQL destination at %s before connecting', async (url) => {
    const error = await apiFailure(
      app.api.call('createDestination', { body: { kind: 'postgres', name: 'Metadata', url, schema: 'wh' } }),
    );
    expect({ status: error.status, code: error.code }).toEqual({ status: 400, code: 'validation_failed' });
    expect(error.message).toMatch(/link-local|metadata/);
    expect(error.message).not.toContain('tributary@');
  });
});

describe('API rate limit', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp('pglite', { TRIBUTARY_API_RATE_LIMIT: '5' });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers 429 with Retry-After past the limit, per client, on /api/ only', async () => {
    // The harness's own setup calls (first-run owner setup) may have spent a token of this address's bucket.
    let passed = 0;
    let limited = await fetch(`${app.url}/api/v1/health`);
    while (limited.status === 200 && passed < 10) {
      passed += 1;
      limited = await fetch(`${app.url}/api/v1/health`);
    }
    expect(passed).toBeGreaterThanOrEqual(3);
    expect(passed).toBeLessThanOrEqual(5);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    // 5 per minute: one token comes back every 12 s.
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(12);
    expect(await limited.json()).toMatchObject({
      error: { code: 'rate_limited_api', details: { limitPerMinute: 5, retryAfterSeconds: retryAfter } },
    });
    expectLockedDown(limited);
    // Another client (its own token) has its own bucket; the web app and the sandbox are not counted.
    const other = await fetch(`${app.url}/api/v1/health`, {
      headers: { authorization: 'Bearer someone-else' },
    });
    expect(other.status).not.toBe(429);
    expect((await fetch(`${app.url}/connections`)).status).toBe(200);
    expect((await fetch(`${app.url}/api/v1/health`)).status).toBe(429);
  });
});

describe('provider base URL overrides', () => {
  const realApps = {
    META_APP_ID: 'app',
    META_APP_SECRET: 'secret',
    TIKTOK_APP_ID: 'app',
    TIKTOK_APP_SECRET: 'secret',
    LINKEDIN_CLIENT_ID: 'client',
    LINKEDIN_CLIENT_SECRET: 'secret',
    GA4_CLIENT_ID: 'client',
    GA4_CLIENT_SECRET: 'secret',
    GOOGLE_ADS_CLIENT_ID: 'client',
    GOOGLE_ADS_CLIENT_SECRET: 'secret',
    GOOGLE_ADS_DEVELOPER_TOKEN: 'token',
  };
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
  });
  async function start(env: Record<string, string>) {
    const app = await startTestApp('pglite', { ...realApps, ...env });
    apps.push(app);
    return app;
  }

  it('refuses an override off the provider hosts before any request, naming the variable and the hosts', async () => {
    const app = await start({
      META_GRAPH_BASE_URL: 'http://169.254.169.254',
      TIKTOK_API_BASE_URL: 'http://10.0.0.1',
      LINKEDIN_AUTH_BASE_URL: 'https://evil.example',
      GOOGLE_ADS_API_BASE_URL: 'http://googleads.googleapis.com',
    });
    const cases = [
      ['meta-ads', 'META_GRAPH_BASE_URL', 'graph.facebook.com'],
      ['tiktok-ads', 'TIKTOK_API_BASE_URL', 'business-api.tiktok.com'],
      ['linkedin-ads', 'LINKEDIN_AUTH_BASE_URL', 'www.linkedin.com'],
      ['google-ads', 'GOOGLE_ADS_API_BASE_URL', 'googleads.googleapis.com'],
    ] as const;
    for (const [dataSource, variable, host] of cases) {
      const error = await apiFailure(app.api.call('createConnection', { body: { dataSource } }));
      expect({ status: error.status, code: error.code }).toEqual({
        status: 400,
        code: 'provider_not_configured',
      });
      expect(error.message).toContain(variable);
      expect(error.message).toContain(host);
      expect(error.details).toMatchObject({ variable, allowedHosts: expect.arrayContaining([host]) });
    }
    expect((await app.api.call('listConnections', { query: {} })).items).toEqual([]);
  });

  it('allows a loopback override only with the sandbox on or TRIBUTARY_ALLOW_LOOPBACK_PROVIDERS=1', async () => {
    const loopback = {
      META_GRAPH_BASE_URL: 'http://127.0.0.1:9',
      META_DIALOG_BASE_URL: 'http://127.0.0.1:9',
    };
    const sandboxOn = await start(loopback);
    const sandboxOff = await start({ ...loopback, TRIBUTARY_SANDBOX: 'off' });
    const allowed = await start({
      ...loopback,
      TRIBUTARY_SANDBOX: 'off',
      TRIBUTARY_ALLOW_LOOPBACK_PROVIDERS: '1',
    });

    const refused = await apiFailure(
      sandboxOff.api.call('createConnection', { body: { dataSource: 'meta-ads' } }),
    );
    expect(refused.code).toBe('provider_not_configured');
    expect(refused.message).toMatch(/loopback.*TRIBUTARY_ALLOW_LOOPBACK_PROVIDERS=1/);
    for (const app of [sandboxOn, allowed]) {
      const created = await app.api.call('createConnection', { body: { dataSource: 'meta-ads' } });
      expect(created.authorizationUrl).toMatch(/^http:\/\/127\.0\.0\.1:9\/v\d+\.\d+\/dialog\/oauth\?/);
    }
  });
});
