/**
 * Turns Google responses into Tributary errors. The Admin and Data APIs answer failures with a google.rpc.Status
 * body `{"error":{"code","message","status","details"?}}` and the matching HTTP status; the OAuth endpoints answer
 * `{"error","error_description"}` (RFC 6749). The `status` word decides; the HTTP status is the fallback for bodies
 * that are not Google's (a proxy's HTML page).
 */
import { type ErrorCode, TributaryError } from '../../domain/errors.ts';
import { detailsOfType, durationMs, parseRpcStatus } from '../google/rpc-status.ts';
import { jsonOf, type ProviderResponse } from '../kit/http.ts';

/** A google.rpc.Status as the classifier reads it. */
export interface GoogleStatus {
  code: number | null;
  message: string;
  status: string | null;
  /** `reason` of a `google.rpc.ErrorInfo` detail (e.g. `SERVICE_DISABLED`). */
  reason: string | null;
  /** `retryDelay` of a `google.rpc.RetryInfo` detail, in ms. */
  retryDelayMs: number | null;
}

/** Wait after a concurrent-requests refusal: another request of ours finishes within seconds. */
export const CONCURRENT_RETRY_MS = 10_000;
/** Wait after a throttle of the OAuth endpoints, which send no reset time. */
export const TOKEN_ENDPOINT_RETRY_MS = 10_000;

/** ErrorInfo reasons of a 403 that mean the Cloud project is not set up (the API is off), not a missing grant. */
const NOT_CONFIGURED_REASONS = new Set(['SERVICE_DISABLED', 'ACCESS_NOT_CONFIGURED', 'API_DISABLED']);
/** ErrorInfo reasons of a 403 that are throttles (older Google front ends say 403 for those). */
const THROTTLE_REASONS = new Set(['RATE_LIMIT_EXCEEDED', 'RESOURCE_EXHAUSTED', 'userRateLimitExceeded']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The google.rpc.Status of a body, with its ErrorInfo reason and RetryInfo delay, or null when it is not one. */
export function googleStatusOf(body: unknown): GoogleStatus | null {
  const rpc = parseRpcStatus(body);
  if (!rpc) return null;
  const reason = detailsOfType(rpc, 'ErrorInfo')[0]?.reason;
  return {
    code: rpc.code,
    message: rpc.message,
    status: rpc.status,
    reason: typeof reason === 'string' ? reason : null,
    retryDelayMs: durationMs(detailsOfType(rpc, 'RetryInfo')[0]?.retryDelay),
  };
}

/** The start of the next hour (UTC): GA4's hourly token quotas refill on the hour. */
export function nextHour(now: Date): Date {
  const next = new Date(now.getTime());
  next.setUTCMinutes(0, 0, 0);
  next.setUTCHours(next.getUTCHours() + 1);
  return next;
}

/** Offset of `timeZone` from UTC at `at`, in ms (e.g. -8 h for Los Angeles in winter). */
function zoneOffsetMs(timeZone: string, at: Date): number {
  const name =
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return (match[1] === '-' ? -1 : 1) * minutes * 60_000;
}

/** The next midnight Pacific time: Google's daily API quotas (GA4 tokens per day included) reset then. */
export function nextPacificMidnight(now: Date): Date {
  const zone = 'America/Los_Angeles';
  const local = new Date(now.getTime() + zoneOffsetMs(zone, now));
  const midnightLocal = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 1);
  // The offset at the target instant (a DST change may fall in between).
  const guess = new Date(midnightLocal - zoneOffsetMs(zone, now));
  return new Date(midnightLocal - zoneOffsetMs(zone, guess));
}

/**
 * What a RESOURCE_EXHAUSTED means and when to come back: a daily token quota is `quota_exhausted` until the next
 * Pacific midnight; concurrent requests free up within seconds; hourly token, per-project and server-error quotas
 * refill on the hour. A RetryInfo detail, when Google sends one, wins.
 */
export function exhaustedRetry(status: GoogleStatus, now: Date): { code: ErrorCode; retryAt: Date } {
  const text = status.message.toLowerCase();
  const daily = text.includes('per day') || text.includes('daily');
  const code: ErrorCode = daily ? 'quota_exhausted' : 'rate_limited';
  if (status.retryDelayMs !== null) return { code, retryAt: new Date(now.getTime() + status.retryDelayMs) };
  if (daily) return { code, retryAt: nextPacificMidnight(now) };
  if (text.includes('concurrent')) return { code, retryAt: new Date(now.getTime() + CONCURRENT_RETRY_MS) };
  return { code, retryAt: nextHour(now) };
}

/** The Tributary code of a google.rpc.Status word (with the HTTP status as fallback). */
export function errorCodeForStatus(
  status: string | null,
  httpStatus: number,
  reason: string | null,
): ErrorCode {
  switch (status) {
    case 'UNAUTHENTICATED':
      return 'auth_token_expired';
    case 'PERMISSION_DENIED':
      if (reason && NOT_CONFIGURED_REASONS.has(reason)) return 'provider_not_configured';
      if (reason && THROTTLE_REASONS.has(reason)) return 'rate_limited';
      return 'permission_denied';
    case 'RESOURCE_EXHAUSTED':
      return 'rate_limited';
    case 'UNAVAILABLE':
    case 'INTERNAL':
    case 'UNKNOWN':
    case 'ABORTED':
      return 'provider_unavailable';
    case 'DEADLINE_EXCEEDED':
      return 'provider_timeout';
    case null:
      break;
    default:
      // INVALID_ARGUMENT, FAILED_PRECONDITION, NOT_FOUND, OUT_OF_RANGE…: the request is wrong; retrying cannot help.
      return 'provider_error';
  }
  if (httpStatus === 401) return 'auth_token_expired';
  if (httpStatus === 403) return 'permission_denied';
  if (httpStatus === 429) return 'rate_limited';
  if (httpStatus === 504) return 'provider_timeout';
  if (httpStatus >= 500) return 'provider_unavailable';
  return 'provider_error';
}

/** A TributaryError for a google.rpc.Status answer. */
export function googleStatusError(
  status: GoogleStatus,
  httpStatus: number,
  now = new Date(),
): TributaryError {
  let code = errorCodeForStatus(status.status, httpStatus, status.reason);
  const details = {
    httpStatus,
    providerStatus: status.status,
    ...(status.reason ? { reason: status.reason } : {}),
  };
  const message = `Google Analytics 4: ${status.message} (${status.status ?? `HTTP ${httpStatus}`})`;
  if (code === 'rate_limited') {
    const retry = exhaustedRetry(status, now);
    code = retry.code;
    return new TributaryError(code, message, { details, retryAt: retry.retryAt });
  }
  return new TributaryError(code, message, { details });
}

/**
 * The `classify` hook for Admin and Data API calls: null for a usable answer (HTTP 2xx with a JSON body), else the
 * TributaryError it means.
 */
export function classifyGoogleApiResponse(
  response: ProviderResponse,
  now = new Date(),
): TributaryError | null {
  const { status, text } = response;
  const json = jsonOf(response);
  if (status >= 200 && status < 300) {
    if (json.ok) return null;
    return new TributaryError(
      'provider_malformed_response',
      `Google Analytics 4: HTTP ${status} response is not valid JSON (${text.length} bytes)`,
    );
  }
  const googleStatus = json.ok ? googleStatusOf(json.value) : null;
  if (googleStatus) return googleStatusError(googleStatus, status, now);
  // Not Google's envelope (a proxy or load balancer page): the HTTP status is all there is.
  const fallback: GoogleStatus = {
    code: status,
    message: `HTTP ${status} without a Google error body`,
    status: null,
    reason: null,
    retryDelayMs: null,
  };
  return googleStatusError(fallback, status, now);
}

/** Which OAuth call a token-endpoint answer belongs to: it changes what `invalid_grant` means. */
export type TokenPhase = 'exchange' | 'refresh' | 'assertion';

/**
 * The `classify` hook for the OAuth token endpoint (`{"error","error_description"}`): `invalid_grant` is a
 * revoked or expired refresh token (`auth_token_revoked`), an unusable authorization code (`oauth_denied`: authorize
 * again) or a service-account key Google no longer accepts; `invalid_client` is our app's configuration.
 */
export function classifyTokenResponse(
  response: ProviderResponse,
  phase: TokenPhase,
  now = new Date(),
): TributaryError | null {
  const { status, text } = response;
  const json = jsonOf(response);
  if (status >= 200 && status < 300) {
    if (json.ok) return null;
    return new TributaryError(
      'provider_malformed_response',
      `Google Analytics 4: the token endpoint answered HTTP ${status} with a body that is not JSON (${text.length} bytes)`,
    );
  }
  const body = json.ok && isRecord(json.value) ? json.value : {};
  const error = typeof body.error === 'string' ? body.error : null;
  if (error === null) {
    // Google's front end may also answer these endpoints with a google.rpc.Status (e.g. a 429 or a 503).
    const googleStatus = json.ok ? googleStatusOf(json.value) : null;
    if (googleStatus) return googleStatusError(googleStatus, status, now);
  }
  const description = typeof body.error_description === 'string' ? body.error_description : '';
  const what = `${error ?? `HTTP ${status}`}${description ? `: ${description}` : ''}`;
  const details = { httpStatus: status, ...(error ? { oauthError: error } : {}) };
  if (error === 'invalid_grant' || (phase === 'assertion' && error === 'invalid_client')) {
    if (phase === 'exchange') {
      return new TributaryError(
        'oauth_denied',
        `Google refused the authorization code (${what}); it expired or was already used: authorize again`,
        { details },
      );
    }
    const subject = phase === 'assertion' ? 'the service-account key' : 'the refresh token';
    return new TributaryError('auth_token_revoked', `Google no longer accepts ${subject} (${what})`, {
      details,
    });
  }
  if (error === 'invalid_client' || error === 'unauthorized_client') {
    return new TributaryError(
      'provider_not_configured',
      `Google refused the OAuth client (${what}): check GA4_CLIENT_ID and GA4_CLIENT_SECRET`,
      { details },
    );
  }
  if (status === 429) {
    return new TributaryError(
      'rate_limited',
      `Google Analytics 4: the token endpoint is throttling (${what})`,
      {
        details,
        retryAt: new Date(now.getTime() + TOKEN_ENDPOINT_RETRY_MS),
      },
    );
  }
  if (status >= 500) {
    return new TributaryError('provider_unavailable', `Google Analytics 4: token endpoint ${what}`, {
      details,
    });
  }
  return new TributaryError(
    'provider_error',
    `Google Analytics 4: token endpoint refused the request (${what})`,
    {
      details,
    },
  );
}
