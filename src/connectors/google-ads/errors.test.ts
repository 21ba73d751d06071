import { describe, expect, it } from 'vitest';
import { durationMs, parseRpcStatus } from '../google/rpc-status.ts';
import type { ProviderResponse } from '../kit/http.ts';
import { classifyGoogleAdsResponse } from './errors.ts';
import { errorFixture, loadFixture } from './replay-fetch.ts';

function response(status: number, body: unknown, raw = false): ProviderResponse {
  return { status, headers: new Headers(), text: raw ? String(body) : JSON.stringify(body) };
}

function fromFixture(name: string): ProviderResponse {
  const answer = errorFixture(name);
  return response(answer.status!, answer.body);
}

const NOW = new Date('2026-03-01T12:00:00.000Z');

describe('classifyGoogleAdsResponse: the error table', () => {
  it.each([
    ['error_401_not_ads_user.json', 'permission_denied', 'permission', 'authenticationError.NOT_ADS_USER'],
    [
      'error_401_oauth_token_expired.json',
      'auth_token_expired',
      'auth',
      'authenticationError.OAUTH_TOKEN_EXPIRED',
    ],
    ['error_401_unauthenticated_no_failure.json', 'auth_token_expired', 'auth', undefined],
    [
      'error_403_user_permission_denied.json',
      'permission_denied',
      'permission',
      'authorizationError.USER_PERMISSION_DENIED',
    ],
    [
      'error_403_customer_not_enabled.json',
      'permission_denied',
      'permission',
      'authorizationError.CUSTOMER_NOT_ENABLED',
    ],
    [
      'error_403_developer_token_not_approved.json',
      'provider_not_configured',
      'config',
      'authorizationError.DEVELOPER_TOKEN_NOT_APPROVED',
    ],
    ['error_429_quota_resource_exhausted.json', 'quota_exhausted', 'quota', 'quotaError.RESOURCE_EXHAUSTED'],
    [
      'error_429_resource_temporarily_exhausted.json',
      'rate_limited',
      'quota',
      'quotaError.RESOURCE_TEMPORARILY_EXHAUSTED',
    ],
    [
      'error_400_requested_metrics_for_manager.json',
      'provider_error',
      'provider',
      'queryError.REQUESTED_METRICS_FOR_MANAGER',
    ],
    ['error_400_query_error.json', 'provider_error', 'provider', 'queryError.UNRECOGNIZED_FIELD'],
    ['error_500_internal.json', 'provider_unavailable', 'transient', 'internalError.INTERNAL_ERROR'],
    ['error_search_stream_array_wrapped.json', 'permission_denied', 'permission', undefined],
  ])('%s -> %s (%s)', (fixture, code, category, providerCode) => {
    const error = classifyGoogleAdsResponse(fromFixture(fixture), NOW)!;
    expect([error.code, error.category]).toEqual([code, category]);
    expect(error.details?.providerCode).toBe(providerCode);
    expect(error.message).toMatch(/^Google Ads: /);
  });

  it('quotes Google’s own message and request id', () => {
    const error = classifyGoogleAdsResponse(fromFixture('error_401_not_ads_user.json'), NOW)!;
    expect(error.message).toContain('is not associated with any Ads accounts');
    expect(error.details).toMatchObject({ httpStatus: 401, requestId: 'Z4Q_KggHsDHwTzYYp-_H2A' });
  });

  it('quota errors carry retryAt from quotaErrorDetails.retryDelay', () => {
    const daily = classifyGoogleAdsResponse(fromFixture('error_429_quota_resource_exhausted.json'), NOW)!;
    expect(daily.retryAt?.getTime()).toBe(NOW.getTime() + 40_591_000);
    const short = classifyGoogleAdsResponse(
      fromFixture('error_429_resource_temporarily_exhausted.json'),
      NOW,
    )!;
    expect(short.retryAt?.getTime()).toBe(NOW.getTime() + 2_000);
  });

  it('a throttle without retryDelay still has a retryAt; a bare 429 or RESOURCE_EXHAUSTED too', () => {
    const bare = classifyGoogleAdsResponse(response(429, '<html>', true), NOW)!;
    expect([bare.code, bare.retryAt?.getTime()]).toEqual(['rate_limited', NOW.getTime() + 30_000]);
    const status = classifyGoogleAdsResponse(
      response(429, { error: { code: 429, message: 'Quota', status: 'RESOURCE_EXHAUSTED' } }),
      NOW,
    )!;
    expect(status.code).toBe('rate_limited');
  });

  it('the manager and not-enabled errors say what to do', () => {
    const manager = classifyGoogleAdsResponse(
      fromFixture('error_400_requested_metrics_for_manager.json'),
      NOW,
    )!;
    expect(manager.message).toContain('extract its client accounts instead');
    const canceled = classifyGoogleAdsResponse(fromFixture('error_403_customer_not_enabled.json'), NOW)!;
    expect(canceled.message).toContain('canceled or suspended');
  });

  it('a 200 stream that failed midway (batches, then an error element) is that error', () => {
    const [batch] = loadFixture<unknown[]>('search_stream_campaign_daily.json');
    const failed = errorFixture('error_500_internal.json').body as unknown[];
    const error = classifyGoogleAdsResponse(response(200, [batch, ...failed]), NOW)!;
    expect(error.code).toBe('provider_unavailable');
  });

  it('usable answers are null; a 200 that is not JSON is malformed; gateways are transient', () => {
    expect(
      classifyGoogleAdsResponse(response(200, loadFixture('search_stream_campaign_daily.json'))),
    ).toBeNull();
    expect(classifyGoogleAdsResponse(response(200, { resourceNames: [] }))).toBeNull();
    expect(classifyGoogleAdsResponse(response(200, '[{"results":[{"campaign":', true))?.code).toBe(
      'provider_malformed_response',
    );
    expect(classifyGoogleAdsResponse(response(502, '<html>Bad Gateway</html>', true))?.category).toBe(
      'transient',
    );
    expect(classifyGoogleAdsResponse(response(504, '<html>', true))?.code).toBe('provider_timeout');
    expect(classifyGoogleAdsResponse(response(404, '<html>', true))?.code).toBe('provider_error');
  });
});

describe('google.rpc.Status parsing', () => {
  it('reads the plain and the array-wrapped envelope', () => {
    const plain = parseRpcStatus(errorFixture('error_401_not_ads_user.json').body)!;
    expect([plain.code, plain.status, plain.details.length]).toEqual([401, 'UNAUTHENTICATED', 1]);
    const wrapped = parseRpcStatus(errorFixture('error_search_stream_array_wrapped.json').body)!;
    expect([wrapped.code, wrapped.status, wrapped.details]).toEqual([403, 'PERMISSION_DENIED', []]);
    expect(parseRpcStatus({ error: 'invalid_grant' })).toBeNull();
    expect(parseRpcStatus([{ results: [] }])).toBeNull();
  });

  it('reads protobuf durations', () => {
    expect([
      durationMs('2s'),
      durationMs('40591s'),
      durationMs('1.5s'),
      durationMs('2m'),
      durationMs(2),
    ]).toEqual([2000, 40_591_000, 1500, null, null]);
  });
});
