import { describe, expect, it } from 'vitest';
import { drain, errorFixture, recordingHooks, TOKEN } from './replay-fetch.ts';
import { extraction, page, query, type Row, request } from './report-test-kit.ts';

describe('read errors', () => {
  it.each([
    ['error_40102_token_expired.json', 'auth_token_expired', 1],
    ['error_40105_invalid_token.json', 'auth_token_revoked', 1],
    ['error_40001_no_permission.json', 'permission_denied', 1],
    ['error_40300_advertiser_not_found.json', 'permission_denied', 1],
    ['error_40002_parameter_error_doc.json', 'provider_error', 1],
    ['error_50000_system_error.json', 'provider_unavailable', 3],
    ['error_60001_maintenance.json', 'provider_unavailable', 3],
  ])('%s -> %s after %i call(s)', async (name, code, calls) => {
    const { extraction: support } = extraction(errorFixture(name));
    const hooks = recordingHooks();
    await expect(drain(support.read(TOKEN, request('campaign_daily'), hooks))).rejects.toMatchObject({
      code,
    });
    expect(hooks.calls).toBe(calls);
  });

  it('a page cut mid-body is malformed and not retried', async () => {
    const { extraction: support, requests } = extraction({
      body: '{"code":0,"message":"OK","data":{"list":[{"dimen',
      raw: true,
    });
    await expect(
      drain(support.read(TOKEN, request('campaign_daily'), recordingHooks())),
    ).rejects.toMatchObject({
      code: 'provider_malformed_response',
    });
    expect(requests).toHaveLength(1);
  });

  it('an HTTP 503 is retried, then succeeds', async () => {
    const ok = page([
      { dimensions: { stat_time_day: '2024-01-01 00:00:00' }, metrics: { spend: '1', impressions: '2' } },
    ]);
    const { extraction: support, requests } = extraction([{ status: 503, body: 'busy', raw: true }, ok]);
    const pages = await drain(
      support.read(
        TOKEN,
        request('advertiser_daily', { metrics: ['spend', 'impressions'] }),
        recordingHooks(),
      ),
    );
    expect(pages).toEqual([[{ date: '2024-01-01', spend: 1, impressions: 2 }]]);
    expect(requests).toHaveLength(2);
  });

  it('a throttle surfaces with a retry time and holds back the next read of the app', async () => {
    const { extraction: support, requests } = extraction(errorFixture('error_40100_rate_limited.json'));
    const failure = (await drain(support.read(TOKEN, request('campaign_daily'), recordingHooks())).catch(
      (e: unknown) => e,
    )) as {
      code: string;
      retryAt: Date;
    };
    expect(failure.code).toBe('rate_limited');
    expect(failure.retryAt.getTime()).toBeGreaterThan(Date.now());
    // The second read does not spend a call to be throttled again.
    await expect(drain(support.read(TOKEN, request('ad_daily'), recordingHooks()))).rejects.toMatchObject({
      code: 'rate_limited',
    });
    expect(requests).toHaveLength(1);
  });

  it('waits out a throttle within maxQuotaWaitMs and reports the wait', async () => {
    const ok = page([
      { dimensions: { stat_time_day: '2024-01-01 00:00:00' }, metrics: { spend: '1', impressions: '2' } },
    ]);
    const { extraction: support } = extraction([errorFixture('error_40100_rate_limited.json'), ok], {
      maxQuotaWaitMs: 1500,
    });
    const hooks = recordingHooks();
    const pages = await drain(
      support.read(TOKEN, request('advertiser_daily', { metrics: ['spend', 'impressions'] }), hooks),
    );
    expect(pages).toHaveLength(1);
    expect(hooks.calls).toBe(2);
    expect(hooks.waits).toHaveLength(1);
    expect(hooks.waits[0]).toBeGreaterThan(900);
  });

  it('a cancelled read ends as provider_timeout', async () => {
    const { extraction: support } = extraction(page([]));
    const hooks = recordingHooks();
    hooks.abort(new DOMException('stop', 'AbortError'));
    await expect(drain(support.read(TOKEN, request('campaign_daily'), hooks))).rejects.toMatchObject({
      code: 'provider_timeout',
    });
  });
});

describe('totals', () => {
  it('reads the advertiser-level BASIC report for the reconcilable metrics selected', async () => {
    const rows: Row[] = [
      {
        dimensions: { stat_time_day: '2024-01-02 00:00:00' },
        metrics: { spend: '5.25', impressions: '100', clicks: '4', conversion: '1' },
      },
      {
        dimensions: { stat_time_day: '2024-01-01 00:00:00' },
        metrics: { spend: '3.00', impressions: '50', clicks: '2', conversion: '0' },
      },
    ];
    const { extraction: support, requests } = extraction(page(rows));
    const totals = await support.totals(TOKEN, request('campaign_daily'), recordingHooks());
    expect(totals).toEqual([
      { date: '2024-01-01', values: { spend: 3, impressions: 50, clicks: 2, conversion: 0 } },
      { date: '2024-01-02', values: { spend: 5.25, impressions: 100, clicks: 4, conversion: 1 } },
    ]);
    expect(query(requests[0]!)).toMatchObject({
      report_type: 'BASIC',
      data_level: 'AUCTION_ADVERTISER',
      dimensions: ['stat_time_day'],
      metrics: ['spend', 'impressions', 'clicks', 'conversion'],
    });
  });

  it('asks only for the reconcilable metrics the extraction loads', async () => {
    const { extraction: support, requests } = extraction(page([]));
    await support.totals(
      TOKEN,
      request('campaign_daily', { metrics: ['spend', 'impressions', 'ctr'] }),
      recordingHooks(),
    );
    expect(query(requests[0]!).metrics).toEqual(['spend', 'impressions']);
  });
});
