import { describe, expect, it } from 'vitest';
import type { ProviderResponse } from '../kit/http.ts';
import { classifyGoogleApiResponse, classifyTokenResponse, nextHour, nextPacificMidnight } from './errors.ts';
import { type ErrorFixture, loadFixture } from './replay-fetch.ts';

const NOW = new Date('2026-03-01T10:17:42Z');

function response(status: number, body: unknown, raw = false): ProviderResponse {
  return { status, headers: new Headers(), text: raw ? String(body) : JSON.stringify(body) };
}

function fromFixture(name: string): ProviderResponse {
  const fixture = loadFixture<ErrorFixture>(`errors/${name}`);
  return response(fixture.http_status, fixture.body);
}

describe('google.rpc.Status answers', () => {
  it.each([
    ['error_401_unauthenticated.json', 'auth_token_expired', 'auth'],
    ['error_403_permission_denied.json', 'permission_denied', 'permission'],
    ['error_403_service_disabled.json', 'provider_not_configured', 'config'],
    ['error_429_tokens_per_hour.json', 'rate_limited', 'quota'],
    ['error_429_resource_exhausted_shape.json', 'rate_limited', 'quota'],
    ['error_429_concurrent.json', 'rate_limited', 'quota'],
    ['error_429_tokens_per_day.json', 'quota_exhausted', 'quota'],
    ['error_400_invalid_argument.json', 'provider_error', 'provider'],
    ['error_500_internal.json', 'provider_unavailable', 'transient'],
    ['error_503_unavailable.json', 'provider_unavailable', 'transient'],
  ])('%s -> %s (%s)', (name, code, category) => {
    const error = classifyGoogleApiResponse(fromFixture(name), NOW)!;
    expect([error.code, error.category]).toEqual([code, category]);
    expect(error.message).toMatch(/^Google Analytics 4: /);
  });

  it('quotes Google’s message and status word', () => {
    const error = classifyGoogleApiResponse(fromFixture('error_400_invalid_argument.json'), NOW)!;
    expect(error.message).toContain('Field sessionSorce is not a valid dimension');
    expect(error.message).toContain('(INVALID_ARGUMENT)');
    expect(error.details).toMatchObject({ httpStatus: 400, providerStatus: 'INVALID_ARGUMENT' });
  });

  it('retryAt: the next hour for hourly tokens, seconds for concurrency, Pacific midnight for daily tokens', () => {
    expect(classifyGoogleApiResponse(fromFixture('error_429_tokens_per_hour.json'), NOW)!.retryAt).toEqual(
      new Date('2026-03-01T11:00:00Z'),
    );
    expect(classifyGoogleApiResponse(fromFixture('error_429_concurrent.json'), NOW)!.retryAt).toEqual(
      new Date(NOW.getTime() + 10_000),
    );
    // 1 March 2026 is winter time in Los Angeles (UTC−8): the next midnight is 2 March 08:00 UTC.
    expect(classifyGoogleApiResponse(fromFixture('error_429_tokens_per_day.json'), NOW)!.retryAt).toEqual(
      new Date('2026-03-02T08:00:00Z'),
    );
  });

  it('a RetryInfo detail wins over the guess', () => {
    const body = {
      error: {
        code: 429,
        message: 'Exhausted property tokens per hour for a property.',
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '42.5s' }],
      },
    };
    expect(classifyGoogleApiResponse(response(429, body), NOW)!.retryAt).toEqual(
      new Date(NOW.getTime() + 42_500),
    );
  });

  it('a usable answer is null; a 200 that is not JSON is malformed; a proxy page falls back on the status', () => {
    expect(classifyGoogleApiResponse(response(200, { rows: [] }), NOW)).toBeNull();
    expect(classifyGoogleApiResponse(response(200, '{"rows": [', true), NOW)!.code).toBe(
      'provider_malformed_response',
    );
    expect(classifyGoogleApiResponse(response(502, '<html>Bad Gateway</html>', true), NOW)!.code).toBe(
      'provider_unavailable',
    );
    expect(classifyGoogleApiResponse(response(504, '', true), NOW)!.code).toBe('provider_timeout');
    expect(classifyGoogleApiResponse(response(401, '', true), NOW)!.code).toBe('auth_token_expired');
    expect(classifyGoogleApiResponse(response(404, '', true), NOW)!.code).toBe('provider_error');
  });
});

describe('token endpoint answers', () => {
  it.each([
    ['oauth_invalid_grant.json', 'refresh', 'auth_token_revoked'],
    ['oauth_invalid_grant.json', 'exchange', 'oauth_denied'],
    ['oauth_invalid_grant_jwt.json', 'assertion', 'auth_token_revoked'],
    ['oauth_invalid_client.json', 'refresh', 'provider_not_configured'],
    ['oauth_invalid_client.json', 'assertion', 'auth_token_revoked'],
    ['revoke_invalid_token.json', 'refresh', 'provider_error'],
  ] as const)('%s during %s -> %s', (name, phase, code) => {
    expect(classifyTokenResponse(fromFixture(name), phase, NOW)!.code).toBe(code);
  });

  it('throttles and outages of the token endpoint are retryable', () => {
    expect(
      classifyTokenResponse(response(429, { error: 'rate_limit_exceeded' }), 'refresh', NOW),
    ).toMatchObject({
      code: 'rate_limited',
      retryAt: new Date(NOW.getTime() + 10_000),
    });
    expect(classifyTokenResponse(response(503, '<html/>', true), 'refresh', NOW)!.code).toBe(
      'provider_unavailable',
    );
    expect(classifyTokenResponse(fromFixture('error_503_unavailable.json'), 'refresh', NOW)!.code).toBe(
      'provider_unavailable',
    );
    expect(classifyTokenResponse(response(200, { access_token: 'a' }), 'refresh', NOW)).toBeNull();
  });
});

describe('reset times', () => {
  it('next hour and next Pacific midnight across daylight saving', () => {
    expect(nextHour(new Date('2026-03-01T23:59:59Z'))).toEqual(new Date('2026-03-02T00:00:00Z'));
    // Summer time (UTC−7).
    expect(nextPacificMidnight(new Date('2026-07-10T06:59:00Z'))).toEqual(new Date('2026-07-10T07:00:00Z'));
    expect(nextPacificMidnight(new Date('2026-07-10T07:00:00Z'))).toEqual(new Date('2026-07-11T07:00:00Z'));
    // The night clocks go forward (8 March 2026): midnight before it is still UTC−8.
    expect(nextPacificMidnight(new Date('2026-03-07T12:00:00Z'))).toEqual(new Date('2026-03-08T08:00:00Z'));
    expect(nextPacificMidnight(new Date('2026-03-08T12:00:00Z'))).toEqual(new Date('2026-03-09T07:00:00Z'));
  });
});
