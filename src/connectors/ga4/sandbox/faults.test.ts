import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxFault } from '../../kit/types.ts';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from './constants.ts';
import { findUserByEmail } from './seed.ts';
import {
  type Answer,
  apiGet,
  BASE,
  inject,
  login,
  postForm,
  runReport,
  startSandbox,
  type TestSandbox,
} from './test-harness.ts';

let sandbox: TestSandbox;
let token: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  token = (await login(sandbox, 'alex@example.com')).access;
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => {
  sandbox.state.clearFaults();
});

const property = findUserByEmail('alex@example.com')!.accounts[0]!.properties[0]!;
const report = (accessToken = token) =>
  runReport(
    sandbox,
    property.propertyId,
    {
      dateRanges: [{ startDate: '7daysAgo', endDate: 'yesterday' }],
      dimensions: [{ name: 'date' }],
      metrics: [{ name: 'sessions' }],
    },
    accessToken,
  );

/** Faults that replace (or cut) the response of whichever call takes them. */
type ResponseFault = Exclude<SandboxFault, 'hang' | 'async_job_failed' | 'async_job_hangs'>;

function status(response: Answer, code: number, word: string, message: RegExp): void {
  expect(response.status).toBe(code);
  expect(response.json).toEqual({ error: { code, status: word, message: expect.stringMatching(message) } });
}

const expectations: Record<ResponseFault, (response: Answer) => void> = {
  token_expired: (response) =>
    status(response, 401, 'UNAUTHENTICATED', /^Request had invalid authentication credentials/),
  revoked: (response) =>
    status(response, 401, 'UNAUTHENTICATED', /^Request had invalid authentication credentials/),
  permission_denied: (response) =>
    status(
      response,
      403,
      'PERMISSION_DENIED',
      /^User does not have sufficient permissions for this property/,
    ),
  rate_limited: (response) => {
    status(response, 429, 'RESOURCE_EXHAUSTED', /^Exhausted property tokens per hour for a property/);
    // Google sends no Retry-After on Data API quota errors: the wait is until the next hour.
    expect(response.headers['retry-after']).toBeUndefined();
  },
  server_error: (response) => status(response, 500, 'INTERNAL', /^Internal error encountered\.$/),
  malformed: (response) => {
    expect(response.status).toBe(200);
    expect(String(response.headers['content-type'])).toContain('application/json');
    expect(response.text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(response.text)).toThrow();
  },
  truncated_page: (response) => {
    // The real report, cut in half: a client must notice it is not JSON, not take it as empty.
    expect(response.status).toBe(200);
    expect(response.text).toMatch(/^\{"dimensionHeaders":\[/);
    expect(() => JSON.parse(response.text)).toThrow();
  },
};

describe('faults on runReport, in google.rpc.Status bodies', () => {
  it.each(Object.keys(expectations) as ResponseFault[])('%s', async (fault) => {
    // A token of its own: `revoked` kills the grant it hits.
    const own = (await login(sandbox, 'alex@example.com')).access;
    await inject(sandbox, fault);
    expectations[fault](await report(own));
    // One fault, one call: the next one is clean (with a fresh token after `revoked`).
    const next = fault === 'revoked' ? await report() : await report(own);
    expect(next.status).toBe(200);
  });

  it('faults hit discovery too, and are taken before the token is checked', async () => {
    await inject(sandbox, 'token_expired');
    expectations.token_expired(await apiGet(sandbox, '/admin/v1beta/accountSummaries', token));
    await inject(sandbox, 'permission_denied');
    expectations.permission_denied(await apiGet(sandbox, '/admin/v1beta/accountSummaries'));
    await inject(sandbox, 'truncated_page');
    const cut = await apiGet(sandbox, '/admin/v1beta/accountSummaries', token);
    expect(() => JSON.parse(cut.text)).toThrow();
    await inject(sandbox, 'rate_limited', 2);
    expectations.rate_limited(await report());
    expectations.rate_limited(await report());
    expect((await report()).status).toBe(200);
  });

  it('revoked also kills the refresh token (invalid_grant)', async () => {
    const session = await login(sandbox, 'alex@example.com');
    await inject(sandbox, 'revoked');
    expectations.revoked(await report(session.access));
    const refreshed = await postForm(sandbox, '/token', {
      grant_type: 'refresh_token',
      refresh_token: session.refresh,
      client_id: SANDBOX_CLIENT_ID,
      client_secret: SANDBOX_CLIENT_SECRET,
    });
    expect([refreshed.status, refreshed.json.error]).toEqual([400, 'invalid_grant']);
    // The access token is left to run out its hour (see call.ts): later calls with it still answer.
    expect((await report(session.access)).status).toBe(200);
  });

  it('userinfo and the token endpoint fail in their own formats', async () => {
    await inject(sandbox, 'token_expired');
    const me = await apiGet(sandbox, '/v1/userinfo', token);
    expect([me.status, me.json]).toEqual([
      401,
      { error: 'invalid_request', error_description: 'Invalid Credentials' },
    ]);
    await inject(sandbox, 'revoked');
    const exchange = await postForm(sandbox, '/token', { grant_type: 'refresh_token', refresh_token: 'x' });
    expect([exchange.status, exchange.json.error]).toEqual([400, 'invalid_grant']);
    await inject(sandbox, 'server_error');
    expectations.server_error(await postForm(sandbox, '/token', { grant_type: 'refresh_token' }));
  });

  it('server errors count in propertyQuota.serverErrorsPerProjectPerHour', async () => {
    await inject(sandbox, 'server_error');
    await report();
    const response = await runReport(
      sandbox,
      property.propertyId,
      {
        dateRanges: [{ startDate: 'yesterday', endDate: 'yesterday' }],
        metrics: [{ name: 'sessions' }],
        returnPropertyQuota: true,
      },
      token,
    );
    expect(response.json.propertyQuota.serverErrorsPerProjectPerHour.remaining).toBeLessThan(10);
  });
});

describe('faults that do not replace the response', () => {
  it('async_job_* let the call through (runReport is synchronous)', async () => {
    await inject(sandbox, 'async_job_failed');
    await inject(sandbox, 'async_job_hangs');
    expect((await report()).status).toBe(200);
    expect((await apiGet(sandbox, '/admin/v1beta/accountSummaries', token)).status).toBe(200);
    expect(sandbox.state.pendingFaults()).toEqual([]);
  });

  it('hang never answers; closing the server releases it; the next call works', async () => {
    const other = await startSandbox();
    const otherToken = (await login(other, 'alex@example.com')).access;
    await inject(other, 'hang');
    const pending = other.app
      .inject({
        method: 'GET',
        url: `${BASE}/admin/v1beta/accountSummaries`,
        headers: { authorization: `Bearer ${otherToken}` },
      })
      .then(
        () => 'answered',
        () => 'dropped',
      );
    const early = await Promise.race([
      pending,
      new Promise((resolve) => setTimeout(() => resolve('waiting'), 300)),
    ]);
    expect(early).toBe('waiting');
    expect((await apiGet(other, '/admin/v1beta/accountSummaries', otherToken)).status).toBe(200);
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(['answered', 'dropped']).toContain(
      await Promise.race([pending, new Promise((resolve) => setTimeout(() => resolve('stuck'), 1000))]),
    );
  });
});
