import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from './constants.ts';
import { findUserByEmail } from './seed.ts';
import {
  type Answer,
  API,
  adsHeaders,
  getUrl,
  inject,
  localDate,
  loginTokens,
  postForm,
  search,
  startSandbox,
  stream,
  type TestSandbox,
} from './test-harness.ts';

let sandbox: TestSandbox;
let tokens: { access_token: string; refresh_token: string };
const sam = findUserByEmail('sam.lee@example.com')!;
const account = sam.accessible[0]!;
beforeAll(async () => {
  sandbox = await startSandbox();
  tokens = await loginTokens(sandbox, sam.email);
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => {
  sandbox.state.clearFaults();
});

const query = () =>
  `SELECT segments.date, metrics.clicks FROM customer WHERE segments.date BETWEEN '${localDate(sandbox, account.timeZone, -3)}' AND '${localDate(sandbox, account.timeZone, -2)}'`;
const calls = {
  search: () => search(sandbox, account.id, { query: query() }, adsHeaders(tokens.access_token)),
  searchStream: () => stream(sandbox, account.id, query(), adsHeaders(tokens.access_token)),
  listAccessibleCustomers: () =>
    getUrl(sandbox, `${API}/customers:listAccessibleCustomers`, adsHeaders(tokens.access_token)),
};

/** The google.rpc.Status of an error answer (unwrapped from searchStream's array). */
function status(response: Answer, wrapped: boolean) {
  expect(Array.isArray(response.json)).toBe(wrapped);
  const error = wrapped ? response.json[0].error : response.json.error;
  const failure = error.details[0];
  expect(failure['@type']).toBe('type.googleapis.com/google.ads.googleads.v25.errors.GoogleAdsFailure');
  expect(failure.requestId).toMatch(/^[\w-]{22}$/);
  expect(String(response.headers['request-id'])).toBe(failure.requestId);
  return {
    http: response.status,
    status: error.status,
    code: failure.errors[0].errorCode,
    error: failure.errors[0],
  };
}

type ResponseFault = 'token_expired' | 'revoked' | 'permission_denied' | 'rate_limited' | 'server_error';
const expected: Record<ResponseFault, [number, string, Record<string, string>]> = {
  token_expired: [401, 'UNAUTHENTICATED', { authenticationError: 'OAUTH_TOKEN_EXPIRED' }],
  revoked: [401, 'UNAUTHENTICATED', { authenticationError: 'OAUTH_TOKEN_REVOKED' }],
  permission_denied: [403, 'PERMISSION_DENIED', { authorizationError: 'USER_PERMISSION_DENIED' }],
  rate_limited: [429, 'RESOURCE_EXHAUSTED', { quotaError: 'RESOURCE_TEMPORARILY_EXHAUSTED' }],
  server_error: [500, 'INTERNAL', { internalError: 'INTERNAL_ERROR' }],
};

describe.each(Object.entries(calls))('faults on %s', (method, call) => {
  const wrapped = method === 'searchStream';
  it.each(Object.keys(expected) as ResponseFault[])('%s in Google’s envelope', async (fault) => {
    await inject(sandbox, fault);
    const found = status(await call(), wrapped);
    expect([found.http, found.status, found.code]).toEqual(expected[fault]);
    if (fault === 'rate_limited') expect(found.error.details.quotaErrorDetails.retryDelay).toBe('2s');
    // One fault, one call: the next call goes through (a `revoked` fault does not end the real grant).
    expect((await call()).status).toBe(200);
  });

  it('malformed -> HTTP 200 with a body that is not JSON', async () => {
    await inject(sandbox, 'malformed');
    const response = await call();
    expect([response.status, response.json]).toEqual([200, undefined]);
    expect(String(response.headers['content-type'])).toContain('application/json');
  });

  it('truncated_page -> HTTP 200 with the JSON cut mid-body', async () => {
    const whole = await call();
    await inject(sandbox, 'truncated_page');
    const cut = await call();
    expect([cut.status, cut.json]).toEqual([200, undefined]);
    // The same body's first half (request ids differ from call to call).
    expect(cut.text.slice(0, 1)).toBe(whole.text.slice(0, 1));
    expect(cut.text.length).toBeGreaterThan(0);
    expect(cut.text.length).toBeLessThan(whole.text.length);
  });
});

describe('faults on the OAuth endpoints', () => {
  // A grant of its own: the `revoked` cases above ended the refresh token of the shared one.
  let grant: { access_token: string; refresh_token: string };
  beforeAll(async () => {
    grant = await loginTokens(sandbox, sam.email);
  });
  const refresh = () =>
    postForm(sandbox, '/token', {
      grant_type: 'refresh_token',
      refresh_token: grant.refresh_token,
      client_id: SANDBOX_CLIENT_ID,
      client_secret: SANDBOX_CLIENT_SECRET,
    });
  const userinfo = () =>
    getUrl(sandbox, '/sandbox/google-ads/v1/userinfo', { authorization: `Bearer ${grant.access_token}` });

  it('token_expired at refresh -> invalid_grant once; at userinfo -> 401', async () => {
    await inject(sandbox, 'token_expired');
    expect((await refresh()).json).toEqual({
      error: 'invalid_grant',
      error_description: 'Token has been expired or revoked.',
    });
    await inject(sandbox, 'token_expired');
    expect((await userinfo()).status).toBe(401);
    expect((await refresh()).status).toBe(200);
  });

  it('revoked on an API call ends the refresh token of that grant; the access token keeps working', async () => {
    const own = await loginTokens(sandbox, sam.email);
    const list = () =>
      getUrl(sandbox, `${API}/customers:listAccessibleCustomers`, adsHeaders(own.access_token));
    const ownRefresh = () =>
      postForm(sandbox, '/token', {
        grant_type: 'refresh_token',
        refresh_token: own.refresh_token,
        client_id: SANDBOX_CLIENT_ID,
        client_secret: SANDBOX_CLIENT_SECRET,
      });
    await inject(sandbox, 'revoked');
    expect((await list()).status).toBe(401);
    expect((await ownRefresh()).json).toEqual({
      error: 'invalid_grant',
      error_description: 'Token has been expired or revoked.',
    });
    expect((await list()).status).toBe(200);
    // Another grant of the same user is untouched.
    expect((await refresh()).status).toBe(200);
    await inject(sandbox, 'revoked');
    expect((await userinfo()).status).toBe(401);
    expect((await refresh()).json.error).toBe('invalid_grant');
  });

  it('rate_limited, server_error, permission_denied and malformed at the token endpoint', async () => {
    await inject(sandbox, 'rate_limited');
    const limited = await refresh();
    expect([limited.status, limited.headers['retry-after']]).toEqual([429, '2']);
    await inject(sandbox, 'server_error');
    expect((await refresh()).status).toBe(500);
    await inject(sandbox, 'permission_denied');
    expect((await userinfo()).status).toBe(403);
    await inject(sandbox, 'malformed');
    const malformed = await refresh();
    expect([malformed.status, malformed.json]).toEqual([200, undefined]);
  });
});

describe('faults that do not replace the response', () => {
  it('async_job_* let the call through (Google Ads reports are synchronous)', async () => {
    await inject(sandbox, 'async_job_failed');
    await inject(sandbox, 'async_job_hangs');
    expect((await calls.searchStream()).status).toBe(200);
    expect((await calls.search()).status).toBe(200);
    expect(sandbox.state.pendingFaults()).toEqual([]);
  });

  it('hang never answers; closing the server releases it; the next call works', async () => {
    const other = await startSandbox();
    const otherTokens = await loginTokens(other, sam.email);
    await inject(other, 'hang');
    const pending = other.app
      .inject({
        method: 'GET',
        url: `${API}/customers:listAccessibleCustomers`,
        headers: adsHeaders(otherTokens.access_token),
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
    expect(
      (await getUrl(other, `${API}/customers:listAccessibleCustomers`, adsHeaders(otherTokens.access_token)))
        .status,
    ).toBe(200);
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(['answered', 'dropped']).toContain(
      await Promise.race([pending, new Promise((r) => setTimeout(() => r('stuck'), 1000))]),
    );
  });
});
