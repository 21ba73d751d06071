import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SandboxFault } from '../../kit/types.ts';
import { findUserByEmail } from './seed.ts';
import {
  control,
  type Fetched,
  get,
  insights,
  login,
  type RunningSandbox,
  startSandbox,
} from './test-harness.ts';

const [personal, studioUs] = findUserByEmail('alex@example.com')!.accounts;
const PARAMS = { fields: 'impressions,spend', level: 'ad', date_preset: 'last_7d', time_increment: 1 };

let sandbox: RunningSandbox;
let token: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  token = (await login(sandbox, 'alex@example.com')).longToken;
});
afterAll(async () => {
  await sandbox.close();
});
beforeEach(async () => {
  await get(`${sandbox.origin}/sandbox/_control/faults`, { method: 'DELETE' });
  await control(sandbox, 'meta-ads/_control/limits', { callsPerWindow: 600, windowMs: 60_000 });
});

const usage = (response: Fetched, accountId: string) =>
  JSON.parse(response.headers.get('x-business-use-case-usage')!)[accountId][0];
const throttle = (response: Fetched) => JSON.parse(response.headers.get('x-fb-ads-insights-throttle')!);

describe('insights budget', () => {
  it('reports usage on every insights call and is generous by default', async () => {
    expect((await control(sandbox, 'meta-ads/_control/limits')).json).toEqual({
      callsPerWindow: 600,
      windowMs: 60_000,
    });
    const response = await insights(sandbox, personal!.accountId, PARAMS, token);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.headers.get('x-app-usage')!)).toMatchObject({
      call_count: expect.any(Number),
    });
    expect(usage(response, personal!.accountId)).toEqual({
      type: 'ads_insights',
      call_count: 0,
      total_cputime: 0,
      total_time: 0,
      estimated_time_to_regain_access: 0,
    });
    expect(throttle(response)).toEqual({
      app_id_util_pct: expect.any(Number),
      acc_id_util_pct: 0,
      ads_api_access_tier: 'standard_access',
    });
  });

  it('throttles an account past its budget with 80000/2446079 and accurate headers', async () => {
    const limits = await control(sandbox, 'meta-ads/_control/limits', {
      callsPerWindow: 4,
      windowMs: 90_000,
    });
    expect(limits.json).toEqual({ callsPerWindow: 4, windowMs: 90_000 });
    const counts: number[] = [];
    for (let call = 0; call < 4; call += 1) {
      const response = await insights(sandbox, personal!.accountId, PARAMS, token);
      expect(response.status).toBe(200);
      counts.push(usage(response, personal!.accountId).call_count);
    }
    // call_count = 100 × used / limit, so a client can pace itself before it is refused.
    expect(counts).toEqual([25, 50, 75, 100]);
    const refused = await insights(sandbox, personal!.accountId, PARAMS, token);
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatchObject({ type: 'OAuthException', code: 80000, error_subcode: 2446079 });
    expect(refused.json.error.message).toMatch(
      /^\(#80000\) There have been too many calls from this ad-account\. Wait a bit and try again\./,
    );
    expect(usage(refused, personal!.accountId)).toMatchObject({
      call_count: 100,
      estimated_time_to_regain_access: 2,
    });
    expect(throttle(refused).acc_id_util_pct).toBe(100);
    expect(refused.headers.get('x-app-usage')).toBeTruthy();
    // The budget is per account.
    expect((await insights(sandbox, studioUs!.accountId, PARAMS, token)).status).toBe(200);
  });

  it('frees up when the window passes', async () => {
    await control(sandbox, 'meta-ads/_control/limits', { callsPerWindow: 1, windowMs: 300 });
    expect((await insights(sandbox, personal!.accountId, PARAMS, token)).status).toBe(200);
    const refused = await insights(sandbox, personal!.accountId, PARAMS, token);
    expect(refused.json.error.code).toBe(80000);
    // Rounded up to a whole minute, as Meta counts it.
    expect(usage(refused, personal!.accountId).estimated_time_to_regain_access).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await insights(sandbox, personal!.accountId, PARAMS, token)).status).toBe(200);
  });

  it('validates the limits body', async () => {
    const bad = await control(sandbox, 'meta-ads/_control/limits', { callsPerWindow: 0 });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('validation_failed');
    expect((await control(sandbox, 'meta-ads/_control/limits', { windowMs: 1000, extra: 1 })).status).toBe(
      400,
    );
  });
});

describe('faults on insights calls', () => {
  async function inject(fault: SandboxFault): Promise<void> {
    expect(
      (await control(sandbox, '_control/faults', { provider: 'meta-ads', fault, count: 1 })).status,
    ).toBe(201);
  }

  it('truncated_page: HTTP 200 with the first half of the real page', async () => {
    const params = { ...PARAMS, limit: 10 };
    await inject('truncated_page');
    const cut = await insights(sandbox, personal!.accountId, params, token);
    const whole = await insights(sandbox, personal!.accountId, params, token);
    expect(cut.status).toBe(200);
    expect(() => JSON.parse(cut.text)).toThrow();
    expect(cut.text).toBe(whole.text.slice(0, Math.floor(whole.text.length / 2)));
  });

  it('hang: no answer until the client gives up', async () => {
    await inject('hang');
    const started = Date.now();
    const call = insights(sandbox, personal!.accountId, PARAMS, token, { signal: AbortSignal.timeout(400) });
    await expect(call).rejects.toThrow(/aborted/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect((await insights(sandbox, personal!.accountId, PARAMS, token)).status).toBe(200);
  });

  it('rate_limited renders the insights throttle, server_error the opaque 500', async () => {
    await inject('rate_limited');
    const limited = await insights(sandbox, personal!.accountId, PARAMS, token);
    expect(limited.json.error).toMatchObject({ code: 80000, error_subcode: 2446079 });
    expect(usage(limited, personal!.accountId)).toMatchObject({ type: 'ads_insights', call_count: 100 });
    expect(throttle(limited).acc_id_util_pct).toBe(100);
    await inject('server_error');
    const failed = await insights(sandbox, personal!.accountId, PARAMS, token);
    expect(failed.status).toBe(500);
    expect(failed.json.error).toMatchObject({ code: 1, error_subcode: 99 });
  });
});
