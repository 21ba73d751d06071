/**
 * Turns LinkedIn responses into Tributary errors. The versioned `/rest` API and `/v2/userinfo` answer failures
 * with an HTTP status and `{"status","serviceErrorCode","code"?,"message"}` (e.g. 401 `EXPIRED_ACCESS_TOKEN`,
 * 65601; the older body `{"serviceErrorCode":65600,"message":"Invalid access token","status":401}`); the OAuth
 * endpoints answer the RFC 6749 form `{"error","error_description"}`. LinkedIn's throttles are daily (per app and
 * per member) and reset at midnight UTC, and a 429 carries no reset time, so `retryAt` is the next UTC midnight.
 */
import { type ErrorCode, TributaryError } from '../../domain/errors.ts';
import { jsonOf, type ProviderResponse } from '../kit/http.ts';

/** Options of one classification. */
export interface ClassifyOptions {
  now?: Date;
  /** The `LinkedIn-Version` sent, named in a 426 so the fix is obvious. */
  version?: string;
}

/** The fields of a LinkedIn error body the classifier reads. */
export interface RestError {
  serviceErrorCode: number | null;
  code: string | null;
  message: string | null;
}

function restErrorOf(body: unknown): RestError | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const record = body as Record<string, unknown>;
  const serviceErrorCode =
    typeof record.serviceErrorCode === 'number' && Number.isInteger(record.serviceErrorCode)
      ? record.serviceErrorCode
      : null;
  const code = typeof record.code === 'string' && record.code !== '' ? record.code : null;
  const message = typeof record.message === 'string' && record.message !== '' ? record.message : null;
  if (serviceErrorCode === null && code === null && message === null) return null;
  return { serviceErrorCode, code, message };
}

/**
 * LinkedIn's messages do not normally echo credentials, but a long opaque run (access tokens are several hundred
 * URL-safe characters) must never reach our logs or UI.
 */
export function redact(text: string): string {
  return text.replace(/[A-Za-z0-9_\-.~+/]{40,}={0,2}/g, '[redacted]');
}

/** The next 00:00 UTC after `now`: when LinkedIn's daily application and member limits reset. */
export function nextUtcMidnight(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}

/** `Retry-After` (seconds or an HTTP date) when a proxy or a future LinkedIn sends one; null otherwise. */
function retryAfter(headers: Headers, now: Date): Date | null {
  const value = headers.get('retry-after');
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return new Date(now.getTime() + Number(value.trim()) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : new Date(at);
}

function describe(status: number, error: RestError | null): string {
  const parts = [error?.message ?? `HTTP ${status}`];
  const codes = [
    error?.code,
    error?.serviceErrorCode === null ? null : `serviceErrorCode ${error?.serviceErrorCode}`,
  ].filter((part): part is string => typeof part === 'string');
  if (codes.length > 0) parts.push(`(${codes.join(', ')})`);
  return redact(`LinkedIn Ads: ${parts.join(' ')}`);
}

/**
 * The Tributary code of a 401: expired tokens can be refreshed; revoked or unknown ones need a reconnect. The
 * `code` word decides when present; `serviceErrorCode`s are not used because the public record does not pin them
 * down (65601 appears for both expired and revoked tokens), so older bodies are read by their message.
 */
export function unauthorizedCode(error: RestError | null): ErrorCode {
  if (error?.code === 'EXPIRED_ACCESS_TOKEN') return 'auth_token_expired';
  if (error?.code) return 'auth_token_revoked';
  const message = error?.message ?? '';
  if (/revoked/i.test(message)) return 'auth_token_revoked';
  if (/expired/i.test(message)) return 'auth_token_expired';
  return 'auth_token_revoked';
}

/** The error a non-2xx status means, whatever the body (shared by `/rest` and the OAuth endpoints). */
function statusError(
  response: ProviderResponse,
  error: RestError | null,
  options: ClassifyOptions,
): TributaryError {
  const { status } = response;
  const now = options.now ?? new Date();
  const message = describe(status, error);
  const details = {
    httpStatus: status,
    ...(error?.serviceErrorCode == null ? {} : { serviceErrorCode: error.serviceErrorCode }),
    ...(error?.code == null ? {} : { providerCode: error.code }),
  };
  if (status === 401) return new TributaryError(unauthorizedCode(error), message, { details });
  if (status === 403) return new TributaryError('permission_denied', message, { details });
  if (status === 429) {
    const retryAt = retryAfter(response.headers, now) ?? nextUtcMidnight(now);
    return new TributaryError('rate_limited', message, { details, retryAt });
  }
  if (status === 426) {
    const version = options.version ? ` ${options.version}` : '';
    return new TributaryError(
      'provider_error',
      `${message}: the LinkedIn-Version${version} is no longer served; set LINKEDIN_VERSION to an active YYYYMM version`,
      { details },
    );
  }
  if (status === 504) return new TributaryError('provider_timeout', message, { details });
  if (status >= 500) return new TributaryError('provider_unavailable', message, { details });
  // 400 (a parameter LinkedIn refuses, e.g. more than 20 fields), 404 (unknown account), 414: retrying cannot help.
  return new TributaryError('provider_error', message, { details });
}

/**
 * The `classify` hook for `/rest` and `/v2/userinfo` calls: null for a usable response (2xx with a JSON body),
 * otherwise the TributaryError the response means. The shape of a 2xx body is checked by the caller's parser.
 */
export function classifyLinkedInResponse(
  response: ProviderResponse,
  options: ClassifyOptions = {},
): TributaryError | null {
  const json = jsonOf(response);
  if (response.status >= 200 && response.status < 300) {
    if (json.ok) return null;
    return new TributaryError(
      'provider_malformed_response',
      `LinkedIn Ads: HTTP ${response.status} response is not valid JSON (${response.text.length} bytes)`,
    );
  }
  return statusError(response, json.ok ? restErrorOf(json.value) : null, options);
}

/** Which OAuth call a response answers: an `invalid_grant` means something different for each. */
export type OAuthCall = 'exchange' | 'refresh' | 'revoke';

/**
 * The `classify` hook for `/oauth/v2/accessToken` and `/oauth/v2/revoke`. `invalid_grant` on refresh means the
 * refresh token expired or was revoked (the member must reconnect); on code exchange it means the code expired or
 * was used. `invalid_client` means our app credentials are wrong: configuration, not the member's doing.
 */
export function classifyLinkedInOAuthResponse(
  response: ProviderResponse,
  call: OAuthCall,
  options: ClassifyOptions = {},
): TributaryError | null {
  const json = jsonOf(response);
  if (response.status >= 200 && response.status < 300) {
    // Revoke answers 200 with an empty body; token answers must be JSON.
    if (json.ok || call === 'revoke') return null;
    return new TributaryError(
      'provider_malformed_response',
      `LinkedIn Ads: HTTP ${response.status} token answer is not valid JSON (${response.text.length} bytes)`,
    );
  }
  const body = json.ok && typeof json.value === 'object' && json.value !== null ? json.value : {};
  const { error, error_description: description } = body as Record<string, unknown>;
  if (typeof error !== 'string' || response.status === 429 || response.status >= 500) {
    return statusError(response, json.ok ? restErrorOf(json.value) : null, options);
  }
  const message = redact(
    `LinkedIn Ads: ${error}${typeof description === 'string' && description !== '' ? `: ${description}` : ''}`,
  );
  const details = { httpStatus: response.status, providerCode: error };
  if (error === 'invalid_client' || error === 'unauthorized_client') {
    return new TributaryError(
      'provider_not_configured',
      `${message} (check LINKEDIN_CLIENT_ID and LINKEDIN_CLIENT_SECRET)`,
      {
        details,
      },
    );
  }
  if (error === 'invalid_grant') {
    return new TributaryError(call === 'exchange' ? 'oauth_denied' : 'auth_token_revoked', message, {
      details,
    });
  }
  if (error === 'access_denied') return new TributaryError('oauth_denied', message, { details });
  return new TributaryError('provider_error', message, { details });
}
