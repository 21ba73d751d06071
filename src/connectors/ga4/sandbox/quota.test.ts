import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUserByEmail } from './seed.ts';
import { login, runReport, startSandbox, type TestSandbox } from './test-harness.ts';

const property = findUserByEmail('sam.lee@example.com')!.accounts[0]!.properties[0]!;
const body = {
  dateRanges: [{ startDate: '7daysAgo', endDate: 'yesterday' }],
  dimensions: [{ name: 'date' }],
  metrics: [{ name: 'sessions' }],
  returnPropertyQuota: true,
};

let sandbox: TestSandbox;
let token: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  token = (await login(sandbox, 'sam.lee@example.com')).access;
});
afterAll(async () => {
  await sandbox.close();
});

function setQuota(payload: Record<string, unknown>) {
  return sandbox.app.inject({ method: 'POST', url: '/sandbox/ga4/_control/quota', payload });
}

describe('property token quotas', () => {
  it('an exhausted hour answers 429 RESOURCE_EXHAUSTED until the next virtual hour', async () => {
    const set = await setQuota({ property: property.propertyId, tokensPerHour: 3 });
    expect(set.statusCode).toBe(200);
    expect(JSON.parse(set.body).propertyQuota.tokensPerHour.remaining).toBe(3);
    const first = await runReport(sandbox, property.propertyId, body, token);
    expect(first.status).toBe(200);
    expect(first.json.propertyQuota.tokensPerHour).toEqual({ consumed: 2, remaining: 1 });
    expect((await runReport(sandbox, property.propertyId, body, token)).status).toBe(200);
    const refused = await runReport(sandbox, property.propertyId, body, token);
    expect(refused.status).toBe(429);
    expect(refused.json.error).toEqual({
      code: 429,
      status: 'RESOURCE_EXHAUSTED',
      message: expect.stringMatching(/^Exhausted property tokens per hour for a property/),
    });
    sandbox.state.advance(3_600_000);
    const next = await runReport(sandbox, property.propertyId, body, token);
    expect([next.status, next.json.propertyQuota.tokensPerHour.remaining]).toEqual([200, 40_000 - 2]);
  });

  it('an exhausted day answers 429 until the next Pacific day', async () => {
    await setQuota({ property: property.propertyId, tokensPerDay: 0 });
    const refused = await runReport(sandbox, property.propertyId, body, token);
    expect(refused.json.error.message).toMatch(/^Exhausted property tokens per day/);
    sandbox.state.advance(86_400_000);
    expect((await runReport(sandbox, property.propertyId, body, token)).status).toBe(200);
  });

  it('quotas are per property', async () => {
    await setQuota({ property: property.propertyId, tokensPerHour: 0 });
    const other = findUserByEmail('sam.lee@example.org')!.accounts[0]!.properties[0]!;
    const otherToken = (await login(sandbox, 'sam.lee@example.org')).access;
    expect((await runReport(sandbox, other.propertyId, body, otherToken)).status).toBe(200);
    expect((await runReport(sandbox, property.propertyId, body, token)).status).toBe(429);
  });

  it('the control route checks its input', async () => {
    expect((await setQuota({ property: '1', tokensPerHour: 1 })).statusCode).toBe(400);
    expect((await setQuota({ property: property.propertyId, tokensPerHour: -1 })).statusCode).toBe(400);
    expect((await setQuota({ property: property.propertyId, tokens: 1 })).statusCode).toBe(400);
  });
});
