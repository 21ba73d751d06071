/**
 * Webhooks: events reach a receiver on loopback, signed with HMAC-SHA256, retried with back-off
 * after a failure, filtered by type, and logged.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveInSandbox, injectFault, startTestApp, type TestApp, waitFor } from './harness.ts';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

describe('webhooks', () => {
  let app: TestApp;
  let receiver: http.Server;
  let url: string;
  const received: Received[] = [];
  let failuresLeft = 1;

  beforeAll(async () => {
    app = await startTestApp('pglite');
    receiver = http.createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => {
        body += String(chunk);
      });
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        // The first delivery fails, to prove the retry.
        response.statusCode = failuresLeft-- > 0 ? 503 : 204;
        response.end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  });
  afterAll(async () => {
    await app?.close();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('delivers signed events, retries a failure, and keeps a log', async () => {
    const created = await app.api.call('createWebhook', {
      body: { url, events: ['connection.error', 'connection.recovered'] },
    });
    expect(created.secret.length).toBeGreaterThanOrEqual(40);
    expect(JSON.stringify(await app.api.call('listWebhooks'))).not.toContain(created.secret);

    const connection = await app.api.call('createConnection', { body: { dataSource: 'meta-ads' } });
    await approveInSandbox(connection.authorizationUrl!, 'alex@example.com');
    const id = connection.connection.id;
    await waitFor(
      () => app.api.call('getConnection', { params: { id } }),
      (c) => c.accountStatus === 'ready',
    );
    await injectFault(app, 'revoked', 1);
    await app.api.call('syncConnectionAccounts', { params: { id } });
    await waitFor(
      () => app.api.call('getConnection', { params: { id } }),
      (c) => c.status === 'error',
    );
    await app.api.call('syncConnectionAccounts', { params: { id } });
    await waitFor(
      () => app.api.call('getConnection', { params: { id } }),
      (c) => c.status === 'active',
    );

    const deliveries = await waitFor(
      () => app.api.call('listWebhookDeliveries', { params: { id: created.id } }),
      (log) => log.items.length === 2 && log.items.every((item) => item.status === 'delivered'),
      20_000,
    );
    expect(deliveries.items.map((item) => item.attempts).sort()).toEqual([1, 2]);
    const types = received.map((request) => request.headers['x-tributary-event']);
    expect(new Set(types)).toEqual(new Set(['connection.error', 'connection.recovered']));
    expect(received.length).toBe(3);
    for (const request of received) {
      const [t, v1] = String(request.headers['x-tributary-signature']).split(',');
      const timestamp = t!.slice(2);
      const expected = crypto
        .createHmac('sha256', created.secret)
        .update(`${timestamp}.${request.body}`)
        .digest('hex');
      expect(v1).toBe(`v1=${expected}`);
      expect(JSON.parse(request.body)).toMatchObject({ subjectId: id });
    }
  });

  it('refuses a non-http URL', async () => {
    const response = await fetch(`${app.url}/api/v1/webhooks`, {
      method: 'POST',
      headers: { ...app.authHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ url: 'file:///etc/passwd' }),
    });
    expect(response.status).toBe(400);
  });
});
