import { describe, expect, it } from 'vitest';
import type { ProviderResponse } from '../kit/http.ts';
import {
  classifyLinkedInOAuthResponse,
  classifyLinkedInResponse,
  nextUtcMidnight,
  redact,
} from './errors.ts';

function response(status: number, body: unknown, headers: Record<string, string> = {}): ProviderResponse {
  return {
    status,
    headers: new Headers(headers),
    text: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

const NOW = new Date('2025-03-10T17:45:00Z');

describe('classifyLinkedInResponse', () => {
  it.each([
    [
      { status: 401, serviceErrorCode: 65601, code: 'EXPIRED_ACCESS_TOKEN', message: 'expired' },
      'auth_token_expired',
    ],
    // The code word decides, whatever the serviceErrorCode says.
    [
      {
        status: 401,
        serviceErrorCode: 65601,
        code: 'REVOKED_ACCESS_TOKEN',
        message: 'The token used in the request has been revoked by the user',
      },
      'auth_token_revoked',
    ],
    [{ status: 401, serviceErrorCode: 65600, message: 'Invalid access token' }, 'auth_token_revoked'],
    [
      { status: 401, message: 'The token used in the request has been revoked by the user' },
      'auth_token_revoked',
    ],
    [{ status: 401, message: 'Expired access token' }, 'auth_token_expired'],
    [{ status: 401, message: 'Empty oauth2_access_token', serviceErrorCode: 401 }, 'auth_token_revoked'],
  ])('401 %j -> %s', (body, code) => {
    expect(classifyLinkedInResponse(response(401, body))?.code).toBe(code);
  });

  it('a 429 without Retry-After resumes at the next UTC midnight; with one, when it says', () => {
    const body = { status: 429, serviceErrorCode: 101, code: 'TOO_MANY_REQUESTS', message: 'limit' };
    expect(classifyLinkedInResponse(response(429, body), { now: NOW })).toMatchObject({
      code: 'rate_limited',
      retryAt: new Date('2025-03-11T00:00:00Z'),
    });
    expect(
      classifyLinkedInResponse(response(429, body, { 'retry-after': '30' }), { now: NOW })?.retryAt,
    ).toEqual(new Date('2025-03-10T17:45:30Z'));
    expect(nextUtcMidnight(new Date('2025-12-31T23:59:59Z'))).toEqual(new Date('2026-01-01T00:00:00Z'));
  });

  it('gateway pages and timeouts are transient; a 200 that is not JSON is malformed', () => {
    expect(classifyLinkedInResponse(response(502, '<html>Bad gateway</html>'))?.code).toBe(
      'provider_unavailable',
    );
    expect(classifyLinkedInResponse(response(504, ''))?.code).toBe('provider_timeout');
    expect(classifyLinkedInResponse(response(200, '{"elements":['))?.code).toBe(
      'provider_malformed_response',
    );
    expect(classifyLinkedInResponse(response(200, { elements: [] }))).toBeNull();
    expect(classifyLinkedInResponse(response(404, { status: 404, message: 'Not Found' }))?.code).toBe(
      'provider_error',
    );
  });

  it('never repeats a token-like run from a message', () => {
    const token = `AQV${'x1Y2z3'.repeat(20)}`;
    const error = classifyLinkedInResponse(response(400, { status: 400, message: `bad token ${token}` }));
    expect(error?.message).not.toContain(token);
    expect(redact(`a ${token} b`)).toBe('a [redacted] b');
  });
});

describe('classifyLinkedInOAuthResponse', () => {
  const invalidGrant = { error: 'invalid_grant', error_description: 'expired' };
  it('invalid_grant: revoked on refresh, denied on exchange', () => {
    expect(classifyLinkedInOAuthResponse(response(400, invalidGrant), 'refresh')?.code).toBe(
      'auth_token_revoked',
    );
    expect(classifyLinkedInOAuthResponse(response(400, invalidGrant), 'exchange')?.code).toBe('oauth_denied');
  });

  it('a bad redirect or parameter is a provider error; an empty 200 from revoke is fine', () => {
    const body = { error: 'invalid_request', error_description: 'redirect_uri does not match' };
    expect(classifyLinkedInOAuthResponse(response(400, body), 'exchange')?.code).toBe('provider_error');
    expect(classifyLinkedInOAuthResponse(response(200, ''), 'revoke')).toBeNull();
    expect(classifyLinkedInOAuthResponse(response(200, ''), 'refresh')?.code).toBe(
      'provider_malformed_response',
    );
    expect(classifyLinkedInOAuthResponse(response(503, 'down'), 'refresh')?.code).toBe(
      'provider_unavailable',
    );
  });
});
