import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxFault } from '../../kit/types.ts';
import { SANDBOX_APP_ID, SANDBOX_APP_SECRET } from './constants.ts';
import { findUserByEmail } from './seed.ts';
import {
  type Answer,
  API,
  api,
  approve,
  authorizeUrl,
  exchange,
  getUrl,
  inject,
  localDate,
  login,
  report,
  startSandbox,
  type TestSandbox,
} from './test-harness.ts';

let sandbox: TestSandbox;
let token: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  token = await login(sandbox, 'alex@example.com');
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(() => {
  sandbox.state.clearFaults();
});

const advertiser = findUserByEmail('alex@example.com')!.advertisers[0]!;
const reportParams = () => ({
  advertiser_id: advertiser.advertiserId,
  report_type: 'BASIC',
  data_level: 'AUCTION_AD',
  dimensions: ['ad_id', 'stat_time_day'],
  metrics: ['spend', 'impressions', 'clicks', 'conversion'],
  start_date: localDate(sandbox, advertiser.timezone, -10),
  end_date: localDate(sandbox, advertiser.timezone, -1),
  page_size: 50,
});

/** Faults that replace (or cut) the response of whichever call takes them. */
type ResponseFault = Exclude<SandboxFault, 'hang' | 'async_job_failed' | 'async_job_hangs'>;

function envelope(response: Answer, code: number): void {
  expect(response.status).toBe(200);
  expect(response.json).toMatchObject({ code, data: {} });
  expect(typeof response.json.message).toBe('string');
  expect(typeof response.json.request_id).toBe('string');
}

const expectations: Record<ResponseFault, (response: Answer) => void> = {
  token_expired: (response) => envelope(response, 40102),
  revoked: (response) => envelope(response, 40105),
  permission_denied: (response) => envelope(response, 40001),
  rate_limited: (response) => {
    envelope(response, 40100);
    expect(response.json.message).toBe('Requests made too frequently.');
    // TikTok sends no rate-limit headers: the code is the only signal.
    expect(response.headers['retry-after']).toBeUndefined();
  },
  server_error: (response) => envelope(response, 50000),
  malformed: (response) => {
    expect(response.status).toBe(200);
    expect(String(response.headers['content-type'])).toContain('application/json');
    expect(response.text.length).toBeGreaterThan(0);
    expect(() => JSON.parse(response.text)).toThrow();
  },
  truncated_page: (response) => {
    // The real page, cut in half: a client must notice it is not JSON, not take it as empty.
    expect(response.status).toBe(200);
    expect(response.text).toMatch(/^\{"code":0,"message":"OK"/);
    expect(() => JSON.parse(response.text)).toThrow();
  },
};

const faults = Object.keys(expectations) as ResponseFault[];

describe('fault injection', () => {
  it.each(faults)('renders %s exactly once per count, then recovers', async (fault) => {
    await inject(sandbox, fault, 2);
    const first = await report(sandbox, reportParams(), token);
    const second = await report(sandbox, reportParams(), token);
    const third = await report(sandbox, reportParams(), token);
    expectations[fault](first);
    expectations[fault](second);
    expect(third.json.code).toBe(0);
    expect(third.json.data.list.length).toBeGreaterThan(0);
    expect(sandbox.state.pendingFaults()).toEqual([]);
  });

  it('takes faults on discovery and the token endpoint too, but not on the authorization page', async () => {
    const location = await approve(sandbox, 'alex@example.com');
    await inject(sandbox, 'server_error');
    // The authorization page is HTML on the portal, not an API call: it must not consume the fault.
    expect((await getUrl(sandbox, authorizeUrl())).status).toBe(200);
    const code = location.searchParams.get('auth_code')!;
    expectations.server_error(await exchange(sandbox, code));
    // The faulted exchange did not consume the code.
    expect((await exchange(sandbox, code)).json.code).toBe(0);

    await inject(sandbox, 'rate_limited');
    const app = { app_id: SANDBOX_APP_ID, secret: SANDBOX_APP_SECRET };
    expectations.rate_limited(await api(sandbox, '/oauth2/advertiser/get/', app, token));
    await inject(sandbox, 'token_expired');
    expectations.token_expired(await api(sandbox, '/user/info/', {}, token));
    await inject(sandbox, 'truncated_page');
    expectations.truncated_page(
      await api(sandbox, '/advertiser/info/', { advertiser_ids: [advertiser.advertiserId] }, token),
    );
    expect((await api(sandbox, '/user/info/', {}, token)).json.code).toBe(0);
  });

  it('applies queued faults in order', async () => {
    await inject(sandbox, 'rate_limited');
    await inject(sandbox, 'server_error');
    expectations.rate_limited(await report(sandbox, reportParams(), token));
    expectations.server_error(await report(sandbox, reportParams(), token));
    expect((await report(sandbox, reportParams(), token)).json.code).toBe(0);
  });

  it('a fault wins over a missing token (it is taken first)', async () => {
    await inject(sandbox, 'permission_denied');
    expectations.permission_denied(await api(sandbox, '/user/info/', {}));
  });
});

describe('faults that do not replace the response', () => {
  it('async_job_* let the call through (TikTok sync reports have no jobs)', async () => {
    await inject(sandbox, 'async_job_failed');
    await inject(sandbox, 'async_job_hangs');
    expect((await report(sandbox, reportParams(), token)).json.code).toBe(0);
    expect((await api(sandbox, '/user/info/', {}, token)).json.code).toBe(0);
    expect(sandbox.state.pendingFaults()).toEqual([]);
  });

  it('hang never answers; closing the server releases it; the next call works', async () => {
    const other = await startSandbox();
    const otherToken = await login(other, 'alex@example.com');
    await inject(other, 'hang');
    const pending = other.app
      .inject({ method: 'GET', url: `${API}/user/info/`, headers: { 'access-token': otherToken } })
      .then(
        () => 'answered',
        () => 'dropped',
      );
    const early = await Promise.race([
      pending,
      new Promise((resolve) => setTimeout(() => resolve('waiting'), 300)),
    ]);
    expect(early).toBe('waiting');
    expect((await api(other, '/user/info/', {}, otherToken)).json.code).toBe(0);
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(['answered', 'dropped']).toContain(
      await Promise.race([pending, new Promise((r) => setTimeout(() => r('stuck'), 1000))]),
    );
  });
});
