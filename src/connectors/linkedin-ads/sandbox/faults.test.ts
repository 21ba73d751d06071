/**
 * Every fault of the control API, answered in LinkedIn's own format: Rest.li error envelopes with their
 * HTTP statuses and codes on `/rest` and `/v2`, `{error, error_description}` on the token endpoint, a 200
 * without `elements`, a body cut in half, and a call that never answers.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxFault } from '../../kit/types.ts';
import { findUserByEmail } from './seed.ts';
import {
  type Answer,
  analyticsQuery,
  BASE,
  getUrl,
  inject,
  loginTokens,
  refresh,
  rest,
  restHeaders,
  startSandbox,
  type TestSandbox,
  utcDate,
} from './test-harness.ts';

let sandbox: TestSandbox;
let token: string;
let refreshToken: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  const tokens = await loginTokens(sandbox, 'alex@example.com');
  token = tokens.access_token;
  refreshToken = tokens.refresh_token;
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => {
  sandbox.state.clearFaults();
});

const account = findUserByEmail('alex@example.com')!.accounts[0]!;
const analytics = (t = token) =>
  rest(
    sandbox,
    '/adAnalytics',
    analyticsQuery({
      from: utcDate(sandbox, -3),
      to: utcDate(sandbox, -1),
      accounts: [account.id],
      fields: ['dateRange', 'pivotValues', 'impressions'],
    }),
    t,
  );

type ResponseFault = Exclude<SandboxFault, 'hang' | 'async_job_failed' | 'async_job_hangs'>;

const expectations: Record<ResponseFault, (response: Answer) => void> = {
  token_expired: (response) =>
    expect([response.status, response.json]).toEqual([
      401,
      {
        status: 401,
        serviceErrorCode: 65601,
        code: 'EXPIRED_ACCESS_TOKEN',
        message: 'The token used in the request has expired',
      },
    ]),
  revoked: (response) =>
    expect([response.status, response.json.code, response.json.status]).toEqual([
      401,
      'REVOKED_ACCESS_TOKEN',
      401,
    ]),
  permission_denied: (response) => {
    expect([response.status, response.json.serviceErrorCode, response.json.code]).toEqual([
      403,
      100,
      'ACCESS_DENIED',
    ]);
    expect(response.json.message).toMatch(/^Not enough permissions to access: /);
  },
  rate_limited: (response) => {
    expect([response.status, response.json]).toEqual([
      429,
      {
        status: 429,
        serviceErrorCode: 101,
        code: 'TOO_MANY_REQUESTS',
        message: 'Resource level throttle APPLICATION DAY limit for calls to this resource is reached.',
      },
    ]);
    // A daily limit: no Retry-After, it resets at midnight UTC.
    expect(response.headers['retry-after']).toBeUndefined();
  },
  server_error: (response) =>
    expect([response.status, response.json]).toEqual([
      500,
      { status: 500, message: 'Internal Server Error' },
    ]),
  malformed: (response) => {
    expect(response.status).toBe(200);
    expect(response.json).toBeTypeOf('object');
    expect(response.json.elements).toBeUndefined();
  },
  truncated_page: (response) => {
    expect(response.status).toBe(200);
    expect(String(response.headers['content-type'])).toContain('application/json');
    expect(response.json).toBeUndefined();
    expect(response.text.startsWith('{"paging":')).toBe(true);
  },
};

describe('faults that replace the response', () => {
  it.each(Object.keys(expectations) as ResponseFault[])('%s on adAnalytics, once', async (fault) => {
    await inject(sandbox, fault);
    expectations[fault](await analytics());
    // One fault, one failure: the next call (same token) is answered normally.
    expect((await analytics()).status).toBe(200);
  });

  it('faults hit discovery, entity finders and userinfo too, in order', async () => {
    await inject(sandbox, 'rate_limited');
    await inject(sandbox, 'server_error');
    await inject(sandbox, 'token_expired');
    expectations.rate_limited(await rest(sandbox, '/adAccounts', 'q=search', token));
    expectations.server_error(
      await rest(sandbox, `/adAccounts/${account.id}/adCampaigns`, 'q=search', token),
    );
    expectations.token_expired(
      await getUrl(sandbox, `${BASE}/v2/userinfo`, { authorization: `Bearer ${token}` }),
    );
    expect((await rest(sandbox, '/adAccounts', 'q=search', token)).status).toBe(200);
  });

  it('a fault wins over a missing token and missing headers (it is taken first)', async () => {
    await inject(sandbox, 'permission_denied');
    expectations.permission_denied(await rest(sandbox, '/adAccounts', 'q=search', token, {}));
  });

  it('at the token endpoint: revoked is invalid_grant, server_error 500, rate_limited 429', async () => {
    await inject(sandbox, 'revoked');
    const revoked = await refresh(sandbox, refreshToken);
    expect([revoked.status, revoked.json.error]).toEqual([400, 'invalid_grant']);
    await inject(sandbox, 'server_error');
    expect((await refresh(sandbox, refreshToken)).status).toBe(500);
    await inject(sandbox, 'rate_limited');
    expect((await refresh(sandbox, refreshToken)).status).toBe(429);
    expect((await refresh(sandbox, refreshToken)).status).toBe(200);
  });
});

describe('faults that do not replace the response', () => {
  it('async_job_* let the call through (LinkedIn analytics are synchronous)', async () => {
    await inject(sandbox, 'async_job_failed');
    await inject(sandbox, 'async_job_hangs');
    expect((await analytics()).status).toBe(200);
    expect((await rest(sandbox, '/adAccounts', 'q=search', token)).status).toBe(200);
    expect(sandbox.state.pendingFaults()).toEqual([]);
  });

  it('hang never answers; closing the server releases it; the next call works', async () => {
    const other = await startSandbox();
    const otherToken = (await loginTokens(other, 'alex@example.com')).access_token;
    await inject(other, 'hang');
    const pending = other.app
      .inject({ method: 'GET', url: `${BASE}/rest/adAccounts?q=search`, headers: restHeaders(otherToken) })
      .then(
        () => 'answered',
        () => 'dropped',
      );
    const early = await Promise.race([
      pending,
      new Promise((resolve) => setTimeout(() => resolve('waiting'), 300)),
    ]);
    expect(early).toBe('waiting');
    expect((await rest(other, '/adAccounts', 'q=search', otherToken)).status).toBe(200);
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(['answered', 'dropped']).toContain(
      await Promise.race([pending, new Promise((r) => setTimeout(() => r('stuck'), 1000))]),
    );
  });
});
