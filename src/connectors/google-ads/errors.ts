/**
 * Turns Google Ads API responses into Tributary errors. Google Ads answers a failure with an HTTP status and a
 * `google.rpc.Status` whose details hold a `GoogleAdsFailure`: `errors[]{errorCode:{<category>Error:<ENUM>},
 * message, details?}` plus `requestId` (googleapis/googleapis `google/ads/googleads/v25/errors/errors.proto`).
 * The error code decides; the status word and the HTTP status are the fallback. `googleAds:searchStream` wraps
 * the envelope in an array (`[{"error":{…}}]`), also when a stream fails after it started (HTTP 200).
 */
import { type ErrorCode, TributaryError } from '../../domain/errors.ts';
import { detailsOfType, durationMs, parseRpcStatus, type RpcStatus } from '../google/rpc-status.ts';
import { jsonOf, type ProviderResponse } from '../kit/http.ts';

/** The wait assumed when a throttle names no `retryDelay` (Google advises backing off for tens of seconds). */
export const DEFAULT_THROTTLE_WAIT_MS = 30_000;

/** One `GoogleAdsError`: its category (`quotaError`), enum value and message. */
export interface GoogleAdsErrorEntry {
  category: string;
  value: string;
  message: string;
  /** `details.quotaErrorDetails.retryDelay` in ms, for quota errors. */
  retryDelayMs: number | null;
}

/** The `GoogleAdsFailure` of a status: its errors and request id (null when the status has none). */
export function googleAdsFailure(
  status: RpcStatus,
): { errors: GoogleAdsErrorEntry[]; requestId: string | null } | null {
  const [failure] = detailsOfType(status, 'GoogleAdsFailure');
  if (!failure) return null;
  const errors = (Array.isArray(failure.errors) ? failure.errors : []).flatMap(
    (entry): GoogleAdsErrorEntry[] => {
      if (typeof entry !== 'object' || entry === null) return [];
      const error = entry as Record<string, unknown>;
      const code = error.errorCode;
      const pair =
        typeof code === 'object' && code !== null
          ? Object.entries(code).find(([, value]) => typeof value === 'string')
          : undefined;
      if (!pair) return [];
      const details = error.details as { quotaErrorDetails?: { retryDelay?: unknown } } | undefined;
      return [
        {
          category: pair[0],
          value: pair[1] as string,
          message: typeof error.message === 'string' ? error.message : '',
          retryDelayMs: durationMs(details?.quotaErrorDetails?.retryDelay),
        },
      ];
    },
  );
  return { errors, requestId: typeof failure.requestId === 'string' ? failure.requestId : null };
}

/** Developer-token and Cloud-project problems: the installation's configuration, not the user's grant. */
const CONFIG_VALUES = new Set([
  'DEVELOPER_TOKEN_INVALID',
  'DEVELOPER_TOKEN_NOT_APPROVED',
  'DEVELOPER_TOKEN_PROHIBITED',
  'DEVELOPER_TOKEN_NOT_ON_ALLOWLIST',
  'DEVELOPER_TOKEN_PARAMETER_MISSING',
  'PROJECT_DISABLED',
  'CLOUD_PROJECT_NOT_APPROVED_FOR_PRODUCTION',
  'CLOUD_PROJECT_NOT_UNDER_ORGANIZATION',
  'ORGANIZATION_NOT_ASSOCIATED_WITH_DEVELOPER_TOKEN',
  'CLOUD_PROJECT_NOT_FOUND',
]);
/** Authentication errors a refresh of the access token fixes. */
const EXPIRED_VALUES = new Set(['OAUTH_TOKEN_EXPIRED']);
/** Authentication errors only a new consent fixes. */
const REVOKED_VALUES = new Set([
  'OAUTH_TOKEN_REVOKED',
  'OAUTH_TOKEN_DISABLED',
  'OAUTH_TOKEN_INVALID',
  'OAUTH_TOKEN_HEADER_INVALID',
  'GOOGLE_ACCOUNT_DELETED',
  'GOOGLE_ACCOUNT_AUTHENTICATION_FAILED',
  'GOOGLE_ACCOUNT_COOKIE_INVALID',
]);
/** Quota errors that last for the day (the developer token's daily operations): `quota_exhausted`. */
const DAILY_QUOTA_VALUES = new Set(['RESOURCE_EXHAUSTED', 'EXCESSIVE_LONG_TERM_QUERY_RESOURCE_CONSUMPTION']);

/** The Tributary code of one Google Ads error. */
export function errorCodeFor(entry: GoogleAdsErrorEntry, httpStatus: number): ErrorCode {
  if (CONFIG_VALUES.has(entry.value)) return 'provider_not_configured';
  switch (entry.category) {
    case 'authenticationError':
      if (EXPIRED_VALUES.has(entry.value)) return 'auth_token_expired';
      if (REVOKED_VALUES.has(entry.value)) return 'auth_token_revoked';
      // NOT_ADS_USER, TWO_STEP_VERIFICATION_NOT_ENROLLED…: the Google account itself lacks access.
      return entry.value === 'NOT_ADS_USER' || httpStatus === 403
        ? 'permission_denied'
        : 'auth_token_revoked';
    case 'authorizationError':
    case 'headerError':
      // USER_PERMISSION_DENIED, CUSTOMER_NOT_ENABLED (canceled or suspended account), INVALID_LOGIN_CUSTOMER_ID…
      return 'permission_denied';
    case 'quotaError':
      return DAILY_QUOTA_VALUES.has(entry.value) ? 'quota_exhausted' : 'rate_limited';
    case 'internalError':
      return entry.value === 'DEADLINE_EXCEEDED' ? 'provider_timeout' : 'provider_unavailable';
    default:
      // queryError, requestError, fieldError… describe our request: retrying it cannot help.
      return 'provider_error';
  }
}

/** The Tributary code of a status without a GoogleAdsFailure (front-end errors, gateways). */
function codeForStatus(status: RpcStatus | null, httpStatus: number): ErrorCode {
  switch (status?.status) {
    case 'UNAUTHENTICATED':
      return 'auth_token_expired';
    case 'PERMISSION_DENIED':
      return 'permission_denied';
    case 'RESOURCE_EXHAUSTED':
      return 'rate_limited';
    case 'DEADLINE_EXCEEDED':
      return 'provider_timeout';
    case 'INTERNAL':
    case 'UNAVAILABLE':
      return 'provider_unavailable';
  }
  if (httpStatus === 401) return 'auth_token_expired';
  if (httpStatus === 403) return 'permission_denied';
  if (httpStatus === 429) return 'rate_limited';
  if (httpStatus === 504) return 'provider_timeout';
  if (httpStatus >= 500) return 'provider_unavailable';
  return 'provider_error';
}

/** What the user is told beyond Google's own message, for the errors whose remedy is not obvious. */
function hint(entry: GoogleAdsErrorEntry | undefined): string {
  switch (entry?.value) {
    case 'REQUESTED_METRICS_FOR_MANAGER':
      return ' — a manager account has no metrics of its own; extract its client accounts instead';
    case 'CUSTOMER_NOT_ENABLED':
      return ' — the account is canceled or suspended in Google Ads';
    case 'DEVELOPER_TOKEN_NOT_APPROVED':
      return ' — a developer token with test access reaches only test accounts; apply for Basic access';
    default:
      return '';
  }
}

/** Maps an error status (the body of a failed call) to our closed code set. */
export function classifyGoogleAdsStatus(
  status: RpcStatus | null,
  httpStatus: number,
  now: Date = new Date(),
): TributaryError {
  const failure = status ? googleAdsFailure(status) : null;
  const entry = failure?.errors[0];
  const code = entry ? errorCodeFor(entry, httpStatus) : codeForStatus(status, httpStatus);
  const what = entry ? `${entry.category}.${entry.value}` : (status?.status ?? `HTTP ${httpStatus}`);
  const message = `Google Ads: ${entry?.message || status?.message || `HTTP ${httpStatus}`} (${what})${hint(entry)}`;
  const details = {
    httpStatus,
    ...(entry ? { providerCode: what } : {}),
    ...(failure?.requestId ? { requestId: failure.requestId } : {}),
  };
  if (code === 'rate_limited' || code === 'quota_exhausted') {
    const wait = entry?.retryDelayMs ?? DEFAULT_THROTTLE_WAIT_MS;
    return new TributaryError(code, message, { details, retryAt: new Date(now.getTime() + wait) });
  }
  return new TributaryError(code, message, { details });
}

/**
 * The `classify` hook for `sendWithRetries`: null for a usable response (HTTP 2xx with JSON that is not an error
 * envelope), otherwise the TributaryError the response means.
 */
export function classifyGoogleAdsResponse(
  response: ProviderResponse,
  now: Date = new Date(),
): TributaryError | null {
  const json = jsonOf(response);
  const status = json.ok ? parseRpcStatus(json.value) : null;
  if (response.status >= 200 && response.status < 300) {
    if (!json.ok) {
      return new TributaryError(
        'provider_malformed_response',
        `Google Ads: HTTP ${response.status} response is not valid JSON (${response.text.length} bytes)`,
      );
    }
    // A stream that failed after it started: HTTP 200, batches, then an error element.
    return status ? classifyGoogleAdsStatus(status, status.code ?? 500, now) : null;
  }
  return classifyGoogleAdsStatus(status, response.status, now);
}
