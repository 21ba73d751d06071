import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  buildExtraction,
  drain,
  INSIGHTS_PATH,
  recordingHooks,
  reportRequest,
  withHeaders,
} from './insights-test-kit.ts';
import { readAccountUsage } from './pacing.ts';
import { errorFixture, graph, loadFixture, okFixture, type ReplayRoute, TOKEN } from './replay-fetch.ts';

afterEach(() => {
  vi.useRealTimers();
});

const examples = loadFixture<Record<string, unknown>>('rate_limit_headers_examples.json');
const documented = new Headers(
  Object.fromEntries(
    ['x-business-use-case-usage', 'x-app-usage', 'x-fb-ads-insights-throttle'].map((name) => [
      name,
      JSON.stringify(examples[name]),
    ]),
  ),
);
const PAGE_1 = okFixture('insights/campaign_daily_page_1.json');
const PAGE_2 = okFixture('insights/campaign_daily_page_2.json');
const HOT = {
  'x-fb-ads-insights-throttle': {
    app_id_util_pct: 20,
    acc_id_util_pct: 97,
    ads_api_access_tier: 'standard_access',
  },
};
const request = reportRequest('campaign_daily');

/** Records when each request arrived, to check the pause between calls. */
function timed(route: ReplayRoute): { route: ReplayRoute; times: number[] } {
  const times: number[] = [];
  return {
    times,
    route: (r) => {
      times.push(performance.now());
      return route(r);
    },
  };
}

describe('reading the usage headers', () => {
  it("counts only the account's own business-use-case entries, plus the insights throttle and app usage", () => {
    expect(readAccountUsage(documented, '10153848260347724')).toEqual({ pct: 97, regainMinutes: 0 });
    expect(readAccountUsage(documented, '66782684')).toEqual({ pct: 95, regainMinutes: 0 });
    // Not in the BUC header: the app usage (42%) is the highest signal left.
    expect(readAccountUsage(documented, '120000000000001')).toEqual({ pct: 42, regainMinutes: 0 });
  });

  it('reads the regain estimate of a blocked account and ignores garbage', () => {
    const blocked = errorFixture('error_4_1504022_insights_too_many_requests.json').headers!;
    expect(readAccountUsage(new Headers(blocked), '120000000000001')).toEqual({ pct: 100, regainMinutes: 2 });
    const garbage = new Headers({ 'x-business-use-case-usage': '{oops', 'x-app-usage': '[1]' });
    expect(readAccountUsage(garbage, '120000000000001')).toEqual({ pct: 0, regainMinutes: 0 });
  });
});

describe('pacing a read', () => {
  it('does not wait while utilisation is below 95%', async () => {
    const { extraction } = buildExtraction(
      graph({ [`GET ${INSIGHTS_PATH}`]: [withHeaders(PAGE_1, Object.fromEntries(documented)), PAGE_2] }),
    );
    const hooks = recordingHooks();
    expect(await drain(extraction.read(TOKEN, request, hooks))).toHaveLength(2);
    expect(hooks.waits).toEqual([]);
  });

  it('waits before the next call when the account is at 95% or more', async () => {
    const { route, times } = timed(graph({ [`GET ${INSIGHTS_PATH}`]: [withHeaders(PAGE_1, HOT), PAGE_2] }));
    const { extraction } = buildExtraction(route, { retryBaseMs: 2, maxQuotaWaitMs: 1000 });
    const hooks = recordingHooks();
    expect(await drain(extraction.read(TOKEN, request, hooks))).toHaveLength(2);
    // 60 × retryBaseMs, reported to the engine and actually slept.
    expect(hooks.waits).toEqual([120]);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(115);
    expect(hooks.calls).toBe(2);
  });

  it('stops with rate_limited and retryAt when the pause is longer than a read may sleep', async () => {
    const { extraction, requests } = buildExtraction(
      graph({ [`GET ${INSIGHTS_PATH}`]: [withHeaders(PAGE_1, HOT), PAGE_2] }),
      { retryBaseMs: 2, maxQuotaWaitMs: 50 },
    );
    const pages: unknown[] = [];
    const before = Date.now();
    const error = await (async () => {
      for await (const page of extraction.read(TOKEN, request, recordingHooks())) pages.push(page);
    })().catch((e: { code: string; retryAt: Date; message: string }) => e);
    expect(error).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('97%') });
    const wait = (error as { retryAt: Date }).retryAt.getTime() - before;
    expect(wait).toBeGreaterThanOrEqual(120);
    expect(wait).toBeLessThan(1000);
    expect(pages).toHaveLength(1);
    expect(requests).toHaveLength(1);
  });

  it('honours a regain estimate sent on a successful answer', async () => {
    const blocked = {
      'x-business-use-case-usage': {
        '120000000000001': [{ type: 'ads_insights', call_count: 99, estimated_time_to_regain_access: 3 }],
      },
    };
    const { extraction, requests } = buildExtraction(
      graph({ [`GET ${INSIGHTS_PATH}`]: [withHeaders(PAGE_1, blocked), PAGE_2] }),
      { maxQuotaWaitMs: 60_000 },
    );
    const before = Date.now();
    const error = await drain(extraction.read(TOKEN, request, recordingHooks())).catch(
      (e: { retryAt: Date }) => e,
    );
    expect(error).toMatchObject({ code: 'rate_limited' });
    const minutes = ((error as { retryAt: Date }).retryAt.getTime() - before) / 60_000;
    expect(minutes).toBeGreaterThanOrEqual(3);
    expect(minutes).toBeLessThan(3.1);
    expect(requests).toHaveLength(1);
  });
});

describe('a rejected call', () => {
  const REJECTED = errorFixture('error_4_1504022_insights_too_many_requests.json');

  it('surfaces rate_limited with retryAt at the regain estimate when it is too long to wait', async () => {
    const { extraction, requests } = buildExtraction(graph({ [`GET ${INSIGHTS_PATH}`]: [REJECTED, PAGE_2] }));
    const hooks = recordingHooks();
    const before = Date.now();
    const error = await drain(extraction.read(TOKEN, request, hooks)).catch((e: { retryAt: Date }) => e);
    expect(error).toMatchObject({
      code: 'rate_limited',
      details: { providerCode: 4, providerSubcode: 1504022 },
    });
    const seconds = ((error as { retryAt: Date }).retryAt.getTime() - before) / 1000;
    expect(seconds).toBeGreaterThanOrEqual(119.9);
    expect(seconds).toBeLessThan(121);
    expect(requests).toHaveLength(1);
    expect(hooks.calls).toBe(1);
    expect(hooks.waits).toEqual([]);
  });

  it('sleeps until access is regained when the engine allows that long, then carries on', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(new Date('2026-03-04T12:00:00.000Z'));
    const { extraction, requests } = buildExtraction(
      graph({ [`GET ${INSIGHTS_PATH}`]: [REJECTED, PAGE_2] }),
      {
        maxQuotaWaitMs: 180_000,
      },
    );
    const hooks = recordingHooks();
    const read = drain(extraction.read(TOKEN, request, hooks));
    await vi.advanceTimersByTimeAsync(119_000);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await read).flat()).toHaveLength(2);
    expect(hooks.waits).toEqual([120_000]);
    expect(hooks.calls).toBe(2);
  });
});
