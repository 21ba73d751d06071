import { describe, expect, it } from 'vitest';
import {
  drain,
  errorFixture,
  loadFixture,
  okFixture,
  recordingHooks,
  reportRequest as request,
  setupExtraction as setup,
  TOKEN,
  TRAFFIC_METRICS as TRAFFIC,
} from './replay-fetch.ts';

describe('property quota', () => {
  const quotaPage = (hourly: number, consumed: number, daily = 150_000) => {
    const body = loadFixture('run_report_acquisition_page1.json') as Record<string, unknown>;
    return {
      body: {
        ...body,
        rowCount: 10,
        propertyQuota: {
          tokensPerDay: { consumed, remaining: daily },
          tokensPerHour: { consumed, remaining: hourly },
          tokensPerProjectPerHour: { consumed, remaining: hourly + 500 },
        },
      },
    };
  };
  const metrics = ['sessions', 'key_events', 'total_revenue'];
  const NOW = Date.parse('2026-03-01T10:17:42Z');

  it('stops before a page the hourly tokens cannot cover: rate_limited at the next hour, the property blocked', async () => {
    const { extraction, requests } = setup(
      { 'POST runReport': [quotaPage(4, 3), quotaPage(1, 3)] },
      2,
      () => NOW,
    );
    const pages: unknown[] = [];
    const hooks = recordingHooks();
    const error = await (async () => {
      for await (const page of extraction.read(
        TOKEN,
        request('ga4.acquisition_daily', metrics, '2024-03-01', '2024-03-01'),
        hooks,
      ))
        pages.push(page);
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'rate_limited', retryAt: new Date('2026-03-01T11:00:00Z') });
    // Two pages fit (4 left, 3 a page), the third would not (1 left).
    expect([pages.length, requests.length, hooks.waits]).toEqual([2, 2, []]);
    // Another read of the same property does not spend a call to be refused.
    await expect(
      drain(extraction.read(TOKEN, request('ga4.traffic_daily'), recordingHooks())),
    ).rejects.toMatchObject({
      code: 'rate_limited',
    });
    expect(requests).toHaveLength(2);
  });

  it('stops on the daily tokens with quota_exhausted at Pacific midnight', async () => {
    const { extraction } = setup({ 'POST runReport': [quotaPage(30_000, 3, 2)] }, 2, () => NOW);
    await expect(
      drain(
        extraction.read(
          TOKEN,
          request('ga4.acquisition_daily', metrics, '2024-03-01', '2024-03-01'),
          recordingHooks(),
        ),
      ),
    ).rejects.toMatchObject({ code: 'quota_exhausted', retryAt: new Date('2026-03-02T08:00:00Z') });
  });

  it('a 429 RESOURCE_EXHAUSTED surfaces at once with retryAt and blocks the next read of the property', async () => {
    const { extraction, requests } = setup({
      'POST runReport': errorFixture('error_429_tokens_per_hour.json'),
    });
    const hooks = recordingHooks();
    const error = await drain(extraction.read(TOKEN, request('ga4.traffic_daily'), hooks)).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'rate_limited', category: 'quota' });
    expect((error as { retryAt: Date }).retryAt.getTime()).toBeGreaterThan(Date.now());
    expect([hooks.calls, hooks.waits]).toEqual([1, []]);
    await expect(
      drain(extraction.read(TOKEN, request('ga4.traffic_daily'), recordingHooks())),
    ).rejects.toMatchObject({
      code: 'rate_limited',
    });
    expect(requests).toHaveLength(1);
  });

  it('one 500 is retried; 401 and 403 are not', async () => {
    const retried = setup({
      'POST runReport': [
        errorFixture('error_500_internal.json'),
        okFixture('run_report_traffic_daily_response.json'),
      ],
    });
    const hooks = recordingHooks();
    expect(
      (await drain(retried.extraction.read(TOKEN, request('ga4.traffic_daily', TRAFFIC), hooks))).flat(),
    ).toHaveLength(3);
    expect(hooks.calls).toBe(2);
    for (const [name, code] of [
      ['error_401_unauthenticated.json', 'auth_token_expired'],
      ['error_403_permission_denied.json', 'permission_denied'],
    ] as const) {
      const { extraction, requests } = setup({ 'POST runReport': errorFixture(name) });
      await expect(
        drain(extraction.read(TOKEN, request('ga4.traffic_daily'), recordingHooks())),
      ).rejects.toMatchObject({ code });
      expect(requests).toHaveLength(1);
    }
  });
});
