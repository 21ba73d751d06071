import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUserByEmail } from './seed.ts';
import { control, insights, login, type RunningSandbox, startSandbox } from './test-harness.ts';

const [personal] = findUserByEmail('alex@example.com')!.accounts;
const PARAMS = { fields: 'impressions', level: 'account', date_preset: 'last_7d', time_increment: 1 };

let sandbox: RunningSandbox;
let token: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  token = (await login(sandbox, 'alex@example.com')).longToken;
});
afterAll(async () => {
  await sandbox.close();
});

async function timedInsights(): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const response = await insights(sandbox, personal!.accountId, PARAMS, token);
  return { ms: performance.now() - started, status: response.status };
}

describe('insights latency control', () => {
  it('delays insights answers by the configured time, and not other calls', async () => {
    expect((await control(sandbox, 'meta-ads/_control/latency')).json).toEqual({ insightsDelayMs: 0 });
    expect((await control(sandbox, 'meta-ads/_control/latency', { insightsDelayMs: 300 })).json).toEqual({
      insightsDelayMs: 300,
    });
    const slow = await timedInsights();
    expect(slow.status).toBe(200);
    expect(slow.ms).toBeGreaterThanOrEqual(295);
    // The control route itself is not an insights call.
    const started = performance.now();
    await control(sandbox, 'meta-ads/_control/latency');
    expect(performance.now() - started).toBeLessThan(250);
    await control(sandbox, 'meta-ads/_control/latency', { insightsDelayMs: 0 });
    expect((await timedInsights()).ms).toBeLessThan(250);
  });

  it('rejects invalid delays', async () => {
    const response = await control(sandbox, 'meta-ads/_control/latency', { insightsDelayMs: -1 });
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('validation_failed');
  });
});
