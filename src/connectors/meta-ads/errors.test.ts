import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../domain/errors.ts';
import type { ProviderResponse } from '../kit/http.ts';
import { classifyMetaResponse, retryAtFromUsageHeaders } from './errors.ts';
import { type ErrorFixture, errorFixtureNames, loadFixture } from './replay-fetch.ts';

const NOW = new Date('2026-03-04T12:00:00.000Z');
const plusSeconds = (seconds: number) => new Date(NOW.getTime() + seconds * 1000).toISOString();

function response(status: number, body: unknown, headers: Record<string, string> = {}): ProviderResponse {
  return {
    status,
    headers: new Headers(headers),
    text: typeof body === 'string' ? body : JSON.stringify(body),
  };
}

function fromFixture(name: string): ProviderResponse {
  const fixture = loadFixture<ErrorFixture>(`errors/${name}`);
  return response(fixture.http_status, fixture.body, fixture.headers);
}

interface Expectation {
  code: ErrorCode;
  category: string;
  providerCode: number;
  providerSubcode: number | null;
  /** Seconds after NOW, for rate limits. */
  retryAfterSeconds?: number;
}

/** One row per file in fixtures/errors: a new fixture without a row fails the completeness test below. */
const expected: Record<string, Expectation> = {
  'doc_error_object_example.json': {
    code: 'auth_token_revoked',
    category: 'auth',
    providerCode: 190,
    providerSubcode: 460,
  },
  'error_190_463_token_expired.json': {
    code: 'auth_token_expired',
    category: 'auth',
    providerCode: 190,
    providerSubcode: 463,
  },
  'error_190_460_password_changed.json': {
    code: 'auth_token_revoked',
    category: 'auth',
    providerCode: 190,
    providerSubcode: 460,
  },
  'error_190_458_app_not_authorized.json': {
    code: 'auth_token_revoked',
    category: 'auth',
    providerCode: 190,
    providerSubcode: 458,
  },
  'error_100_missing_permissions.json': {
    code: 'permission_denied',
    category: 'permission',
    providerCode: 100,
    providerSubcode: null,
  },
  'error_200_requires_business_management.json': {
    code: 'permission_denied',
    category: 'permission',
    providerCode: 200,
    providerSubcode: null,
  },
  'error_2_service_unavailable_transient.json': {
    code: 'provider_unavailable',
    category: 'transient',
    providerCode: 2,
    providerSubcode: null,
  },
  'error_1_99_unknown_500.json': {
    code: 'provider_unavailable',
    category: 'transient',
    providerCode: 1,
    providerSubcode: 99,
  },
  // Sync insights "too much data": transient in general; the insights reader switches to async on it.
  'error_1_reduce_amount_of_data_500.json': {
    code: 'provider_unavailable',
    category: 'transient',
    providerCode: 1,
    providerSubcode: null,
  },
  // Invalid breakdowns describe the request: retrying cannot help.
  'error_2_1504041_invalid_breakdowns.json': {
    code: 'provider_error',
    category: 'provider',
    providerCode: 2,
    providerSubcode: 1504041,
  },
  // Insights "too many requests": the account's bucket regains access in 2 minutes.
  'error_4_1504022_insights_too_many_requests.json': {
    code: 'rate_limited',
    category: 'quota',
    providerCode: 4,
    providerSubcode: 1504022,
    retryAfterSeconds: 120,
  },
  // Only x-app-usage (no regain estimate): the 60 s fallback applies.
  'error_80000_ads_insights_rate_limit.json': {
    code: 'rate_limited',
    category: 'quota',
    providerCode: 80000,
    providerSubcode: 2446079,
    retryAfterSeconds: 60,
  },
  // Two objects throttled for 5 and 12 minutes: the longest wait wins.
  'error_80004_ads_management_rate_limit.json': {
    code: 'rate_limited',
    category: 'quota',
    providerCode: 80004,
    providerSubcode: 2446079,
    retryAfterSeconds: 12 * 60,
  },
  'error_17_user_request_limit.json': {
    code: 'rate_limited',
    category: 'quota',
    providerCode: 17,
    providerSubcode: 2446079,
    retryAfterSeconds: 60,
  },
};

describe('classifyMetaResponse on recorded error fixtures', () => {
  it('has an expectation for every fixture in fixtures/errors', () => {
    expect(Object.keys(expected).sort()).toEqual(errorFixtureNames());
  });

  it.each(Object.entries(expected))('%s', (name, expectation) => {
    const fixture = loadFixture<ErrorFixture>(`errors/${name}`);
    const error = classifyMetaResponse(fromFixture(name), NOW);
    expect(error).not.toBeNull();
    expect(error!.code).toBe(expectation.code);
    expect(error!.category).toBe(expectation.category);
    expect(error!.details).toMatchObject({
      providerCode: expectation.providerCode,
      providerSubcode: expectation.providerSubcode,
    });
    const metaMessage = (fixture.body as { error: { message: string } }).error.message;
    const codeText =
      expectation.providerSubcode === null
        ? `code ${expectation.providerCode}`
        : `code ${expectation.providerCode}, subcode ${expectation.providerSubcode}`;
    expect(error!.message).toBe(`Meta Ads: ${metaMessage} (${codeText})`);
    if (expectation.retryAfterSeconds === undefined) {
      expect(error!.retryAt).toBeUndefined();
    } else {
      expect(error!.retryAt?.toISOString()).toBe(plusSeconds(expectation.retryAfterSeconds));
    }
  });

  it('keeps the fbtrace_id in the details', () => {
    const error = classifyMetaResponse(fromFixture('error_190_458_app_not_authorized.json'), NOW);
    expect(error!.details).toEqual({
      providerCode: 190,
      providerSubcode: 458,
      fbtraceId: 'AfixtureTrace458notauth',
    });
  });
});

describe('classifyMetaResponse on constructed cases', () => {
  const graphError = (status: number, error: Record<string, unknown>, headers: Record<string, string> = {}) =>
    classifyMetaResponse(response(status, { error }, headers), NOW);

  it('returns null for a 2xx JSON body', () => {
    expect(classifyMetaResponse(response(200, { data: [] }), NOW)).toBeNull();
    expect(classifyMetaResponse(response(200, { success: true }), NOW)).toBeNull();
  });

  it('treats a 2xx body that is not JSON as malformed', () => {
    const error = classifyMetaResponse(response(200, '<html>login</html>'), NOW);
    expect(error?.code).toBe('provider_malformed_response');
    expect(error?.message).toBe('Meta Ads: HTTP 200 response is not valid JSON (18 bytes)');
  });

  it('treats an error envelope as an error even on 200', () => {
    expect(classifyMetaResponse(response(200, { error: { code: 190, message: 'x' } }), NOW)?.code).toBe(
      'auth_token_revoked',
    );
  });

  it.each([
    [{ code: 190, error_subcode: 467, message: 'Invalid session' }, 'auth_token_expired'],
    [{ code: 190, message: 'Malformed access token' }, 'auth_token_revoked'],
    [{ code: 190, error_subcode: 464, message: 'unconfirmed user' }, 'auth_token_revoked'],
    [{ code: 190, error_subcode: 492, message: 'invalid session' }, 'auth_token_revoked'],
    [{ code: 102, message: 'Session key invalid' }, 'auth_token_revoked'],
    [{ code: 10, message: 'Application does not have permission for this action' }, 'permission_denied'],
    [{ code: 294, message: 'Managing advertisements requires ads_management' }, 'permission_denied'],
    [{ code: 4, message: 'Application request limit reached' }, 'rate_limited'],
    [{ code: 613, error_subcode: 1487742, message: 'too many calls' }, 'rate_limited'],
    [{ code: 32, message: 'Page request limit reached' }, 'rate_limited'],
    [{ code: 80006, message: 'too many calls' }, 'rate_limited'],
    [
      { code: 1, error_subcode: 2853001, is_transient: false, message: 'An unknown error occurred' },
      'provider_unavailable',
    ],
    [{ code: 1504043, is_transient: true, message: 'Intermittent' }, 'provider_unavailable'],
    [
      { code: 100, error_subcode: 33, message: 'Unsupported get request … missing permissions' },
      'provider_error',
    ],
    [{ code: 100, message: 'Invalid parameter' }, 'provider_error'],
    [{ code: '17', message: 'code as a string' }, 'rate_limited'],
  ] as const)('%j -> %s', (error, code) => {
    expect(graphError(400, error)?.code).toBe(code);
  });

  it('omits the subcode from the message when Meta sends none', () => {
    expect(graphError(400, { code: 4, message: 'Application request limit reached' })?.message).toBe(
      'Meta Ads: Application request limit reached (code 4)',
    );
  });

  it('never echoes an access token that appears in a Meta message', () => {
    const message = graphError(400, {
      code: 100,
      message: 'Bad token EAAJZCfixture0123456789abcdefXYZ here',
    })?.message;
    expect(message).toBe('Meta Ads: Bad token [redacted] here (code 100)');
  });

  it('falls back to 60 s when the usage header is garbage or reports no wait', () => {
    for (const header of ['not json', '[]', '{"1":"x"}', '{"1":[{"estimated_time_to_regain_access":0}]}']) {
      const error = graphError(
        400,
        { code: 80004, message: 'throttled' },
        { 'x-business-use-case-usage': header },
      );
      expect(error?.retryAt?.toISOString()).toBe(plusSeconds(60));
    }
  });

  it('reads the longest estimated_time_to_regain_access in minutes', () => {
    const header = JSON.stringify({
      a: [{ estimated_time_to_regain_access: 3 }],
      b: [{ estimated_time_to_regain_access: 19 }],
    });
    expect(
      retryAtFromUsageHeaders(new Headers({ 'x-business-use-case-usage': header }), NOW)?.toISOString(),
    ).toBe(plusSeconds(19 * 60));
  });

  it('reads the documented header example', () => {
    const examples = loadFixture<Record<string, unknown>>('rate_limit_headers_examples.json');
    const header = JSON.stringify(examples['x-business-use-case-usage']);
    const error = graphError(
      400,
      { code: 80004, message: 'throttled' },
      { 'x-business-use-case-usage': header },
    );
    expect(error?.retryAt?.toISOString()).toBe(plusSeconds(19 * 60));
  });

  it('maps 5xx without a Graph envelope to provider_unavailable', () => {
    expect(classifyMetaResponse(response(502, '<html>Bad gateway</html>'), NOW)?.code).toBe(
      'provider_unavailable',
    );
    expect(classifyMetaResponse(response(503, { message: 'down' }), NOW)?.code).toBe('provider_unavailable');
  });

  it('maps a non-JSON 4xx to provider_malformed_response and a JSON 4xx without envelope to provider_error', () => {
    expect(classifyMetaResponse(response(400, 'Bad request'), NOW)?.code).toBe('provider_malformed_response');
    expect(classifyMetaResponse(response(404, { oops: true }), NOW)?.code).toBe('provider_error');
  });

  it('maps a bare 429 to rate_limited using Retry-After', () => {
    const error = classifyMetaResponse(response(429, 'slow down', { 'retry-after': '30' }), NOW);
    expect(error?.code).toBe('rate_limited');
    expect(error?.retryAt?.toISOString()).toBe(plusSeconds(30));
  });
});
