import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../domain/errors.ts';
import type { ProviderResponse } from '../kit/http.ts';
import {
  classifyTiktokResponse,
  errorCodeFor,
  RATE_LIMIT_BASE_WAIT_MS,
  RATE_LIMIT_MAX_WAIT_MS,
  throttleAwareClassifier,
} from './errors.ts';
import { errorFixture, loadFixture } from './replay-fetch.ts';

function response(status: number, body: unknown, raw = false): ProviderResponse {
  return { status, headers: new Headers(), text: raw ? String(body) : JSON.stringify(body) };
}

function fromFixture(name: string): ProviderResponse {
  const answer = errorFixture(name);
  return response(answer.status ?? 200, answer.body);
}

const NOW = new Date('2026-11-27T12:00:00.000Z');

describe('classifyTiktokResponse on the recorded error bodies', () => {
  it.each([
    ['error_40104_access_token_null.json', 'auth_token_revoked', 40104],
    ['error_40105_invalid_token.json', 'auth_token_revoked', 40105],
    ['error_40102_token_expired.json', 'auth_token_expired', 40102],
    ['error_40001_no_permission.json', 'permission_denied', 40001],
    ['error_40300_advertiser_not_found.json', 'permission_denied', 40300],
    ['error_40100_rate_limited.json', 'rate_limited', 40100],
    ['error_50000_system_error.json', 'provider_unavailable', 50000],
    ['error_60001_maintenance.json', 'provider_unavailable', 60001],
    ['error_40002_parameter_error_doc.json', 'provider_error', 40002],
  ] as [string, ErrorCode, number][])('%s (HTTP 200) -> %s', (name, code, providerCode) => {
    const error = classifyTiktokResponse(fromFixture(name), { now: NOW });
    expect(error).toMatchObject({ name: 'TributaryError', code });
    expect(error!.details).toMatchObject({ providerCode });
    expect(error!.message).toContain(`(code ${providerCode})`);
  });

  it('quotes the parameter TikTok names in a 40002', () => {
    const error = classifyTiktokResponse(fromFixture('error_40002_parameter_error_doc.json'));
    expect(error!.message).toBe('TikTok Ads: Missing required field(s): account_id. (code 40002)');
  });

  it('keeps the request id for support', () => {
    const error = classifyTiktokResponse(fromFixture('error_40100_rate_limited.json'));
    expect(error!.details).toMatchObject({ requestId: '202611270000000000000000000000A1' });
  });

  it('gives a throttle a retry time (TikTok sends none)', () => {
    const error = classifyTiktokResponse(fromFixture('error_40100_rate_limited.json'), { now: NOW });
    expect(error!.retryAt).toEqual(new Date(NOW.getTime() + RATE_LIMIT_BASE_WAIT_MS));
    expect(error!.category).toBe('quota');
  });

  it('maps every documented return code to a closed code', () => {
    const table = loadFixture<{ codes: { code: number; category: string }[] }>('errors/return_codes.json');
    for (const { code, category } of table.codes) {
      const ours = errorCodeFor(code);
      if (category === 'System related' || category === 'Maintenance')
        expect(ours).toBe('provider_unavailable');
      if (/too frequently/.test(JSON.stringify(table.codes.find((c) => c.code === code))))
        expect(ours).toBe('rate_limited');
    }
    expect(errorCodeFor(51305)).toBe('provider_unavailable');
    expect(errorCodeFor(40016)).toBe('rate_limited');
    expect(errorCodeFor(40133)).toBe('rate_limited');
  });
});

describe('classifyTiktokResponse on other answers', () => {
  it('accepts a code-0 envelope', () => {
    expect(classifyTiktokResponse(response(200, { code: 0, message: 'OK', data: {} }))).toBeNull();
  });

  it('a 200 that is not JSON is malformed', () => {
    expect(classifyTiktokResponse(response(200, '{"code":0,"data":{"li', true))).toMatchObject({
      code: 'provider_malformed_response',
    });
  });

  it('a JSON 200 without a code is malformed', () => {
    expect(classifyTiktokResponse(response(200, { data: {} }))).toMatchObject({
      code: 'provider_malformed_response',
    });
  });

  it.each([
    [503, '<html>busy</html>', 'provider_unavailable'],
    [502, '', 'provider_unavailable'],
    [429, 'slow down', 'rate_limited'],
    [404, 'page not found', 'provider_error'],
  ] as [number, string, ErrorCode][])('HTTP %i without an envelope -> %s', (status, body, code) => {
    expect(classifyTiktokResponse(response(status, body, true))).toMatchObject({ code });
  });

  it('an envelope code wins over the HTTP status', () => {
    const body = { code: 40105, message: 'Invalid or incorrect access token.', data: {} };
    expect(classifyTiktokResponse(response(500, body))).toMatchObject({ code: 'auth_token_revoked' });
  });

  it('codes sent as strings are read too', () => {
    expect(classifyTiktokResponse(response(200, { code: '40102', message: 'expired' }))).toMatchObject({
      code: 'auth_token_expired',
    });
  });

  it('never repeats a hex credential TikTok might echo', () => {
    const secret = `${'a'.repeat(20)}0123456789abcdef0123`;
    const error = classifyTiktokResponse(
      response(200, { code: 40105, message: `token ${secret} is invalid` }),
    );
    expect(error!.message).not.toContain(secret);
    expect(error!.message).toContain('[redacted]');
  });
});

describe('throttleAwareClassifier', () => {
  it('doubles the wait on each repeated throttle, up to the cap', () => {
    const classify = throttleAwareClassifier(1000);
    const throttled = fromFixture('error_40100_rate_limited.json');
    const waits = Array.from({ length: 8 }, () => {
      const before = Date.now();
      return classify(throttled)!.retryAt!.getTime() - before;
    });
    expect(waits[0]).toBeGreaterThanOrEqual(1000);
    expect(waits[0]).toBeLessThan(1100);
    expect(waits[1]).toBeGreaterThanOrEqual(2000);
    expect(waits[2]).toBeGreaterThanOrEqual(4000);
    expect(waits[7]).toBeLessThanOrEqual(RATE_LIMIT_MAX_WAIT_MS + 100);
  });
});
