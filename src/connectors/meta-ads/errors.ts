/**
 * Turns Graph API responses into Tributary errors. Meta sends almost every error as HTTP 400 with a JSON
 * envelope `{"error":{message,type,code,error_subcode,is_transient,fbtrace_id,…}}`, so the HTTP status says
 * little: the `code` / `error_subcode` pair decides what happened and what the user can do about it.
 */
import { type ErrorCode, TributaryError } from '../../domain/errors.ts';
import { jsonOf, type ProviderResponse } from '../kit/http.ts';

/** The Graph API error envelope's inner object, as far as the classifier reads it. */
export interface GraphErrorObject {
  message?: unknown;
  type?: unknown;
  code?: unknown;
  error_subcode?: unknown;
  is_transient?: unknown;
  fbtrace_id?: unknown;
  error_user_title?: unknown;
  error_user_msg?: unknown;
}

/** Fallback wait when Meta throttles without saying for how long. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

/** Subcodes of code 190 that mean "expired" (the user can simply log in again); the rest mean revoked. */
const EXPIRED_SUBCODES = new Set([463, 467]);

/**
 * Insights subcodes of code 2 that describe the request, not an outage ("Invalid Breakdowns", "Invalid Custom
 * Metrics" in Meta's insights error-code table): retrying the same request cannot help.
 */
const INSIGHTS_REQUEST_SUBCODES = new Set([1504041, 1504042]);

/** Throttling codes: app (4), user (17), pages (32), ad account (613), and the Business Use Case family. */
function isRateLimitCode(code: number): boolean {
  return code === 4 || code === 17 || code === 32 || code === 613 || (code >= 80000 && code <= 80006);
}

function isPermissionCode(code: number, subcode: number | undefined, message: string): boolean {
  if (code === 10 || (code >= 200 && code <= 299)) return true;
  // Code 100 is "invalid parameter" in general; only the subcode-less "(#100) Missing permissions" form is a
  // permission problem. 100/33 ("object does not exist … or missing permissions") stays a provider error.
  return code === 100 && subcode === undefined && /permission/i.test(message);
}

function toInteger(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

/** Meta's messages do not normally echo tokens, but a leaked `EAA…` token must never reach our logs or UI. */
function redact(text: string): string {
  return text.replace(/EAA[A-Za-z0-9]{16,}/g, '[redacted]');
}

function isGraphEnvelope(body: unknown): body is { error: GraphErrorObject } {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error = (body as { error: unknown }).error;
  return typeof error === 'object' && error !== null && !Array.isArray(error);
}

/**
 * Reads `x-business-use-case-usage` (a JSON string `{"<object id>":[{"estimated_time_to_regain_access":N,…}]}`,
 * N in minutes) and returns the latest time any bucket regains access. Garbage or zero waits yield null so the
 * caller falls back to a fixed wait rather than retrying in a hot loop.
 */
export function retryAtFromUsageHeaders(headers: Headers, now: Date): Date | null {
  const raw = headers.get('x-business-use-case-usage');
  if (!raw) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  let maxMinutes = 0;
  for (const entries of Object.values(parsed)) {
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      const minutes = (entry as { estimated_time_to_regain_access?: unknown } | null)
        ?.estimated_time_to_regain_access;
      if (typeof minutes === 'number' && Number.isFinite(minutes) && minutes > maxMinutes)
        maxMinutes = minutes;
    }
  }
  return maxMinutes > 0 ? new Date(now.getTime() + maxMinutes * 60_000) : null;
}

/** `Retry-After` in seconds or as an HTTP date; used only for throttles without a Graph envelope. */
function retryAtFromRetryAfter(headers: Headers, now: Date): Date | null {
  const raw = headers.get('retry-after');
  if (!raw) return null;
  if (/^\d+$/.test(raw.trim())) return new Date(now.getTime() + Number(raw.trim()) * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : new Date(date);
}

/** Maps a Graph error object to our closed code set. */
export function classifyGraphError(
  error: GraphErrorObject,
  httpStatus: number,
  headers: Headers,
  now: Date = new Date(),
): TributaryError {
  const code = toInteger(error.code);
  const subcode = toInteger(error.error_subcode);
  const metaMessage = typeof error.message === 'string' && error.message ? error.message : 'no message';
  const fbtraceId = typeof error.fbtrace_id === 'string' ? error.fbtrace_id : undefined;
  const codeText =
    subcode === undefined ? `code ${code ?? 'none'}` : `code ${code ?? 'none'}, subcode ${subcode}`;
  const message = redact(`Meta Ads: ${metaMessage} (${codeText})`);
  const details = {
    providerCode: code ?? null,
    providerSubcode: subcode ?? null,
    fbtraceId: fbtraceId ?? null,
  };

  let tributaryCode: ErrorCode;
  let retryAt: Date | undefined;
  if (code === 190 || code === 102) {
    tributaryCode =
      subcode !== undefined && EXPIRED_SUBCODES.has(subcode) ? 'auth_token_expired' : 'auth_token_revoked';
  } else if (code !== undefined && isRateLimitCode(code)) {
    tributaryCode = 'rate_limited';
    retryAt = retryAtFromUsageHeaders(headers, now) ?? new Date(now.getTime() + DEFAULT_RATE_LIMIT_WAIT_MS);
  } else if (code !== undefined && isPermissionCode(code, subcode, metaMessage)) {
    tributaryCode = 'permission_denied';
  } else if (code === 2 && subcode !== undefined && INSIGHTS_REQUEST_SUBCODES.has(subcode)) {
    tributaryCode = 'provider_error';
  } else if (code === 1 || code === 2 || error.is_transient === true) {
    tributaryCode = 'provider_unavailable';
  } else if (code === undefined && httpStatus >= 500) {
    // An envelope without a code is not a Graph error we know; a 5xx status is the better signal.
    tributaryCode = 'provider_unavailable';
  } else {
    tributaryCode = 'provider_error';
  }
  return new TributaryError(tributaryCode, message, retryAt ? { details, retryAt } : { details });
}

/**
 * The `classify` hook for {@link sendWithRetries}: null for a usable 2xx JSON response, otherwise the
 * TributaryError the response means. `now` is injectable so tests can check `retryAt` exactly.
 */
export function classifyMetaResponse(
  response: ProviderResponse,
  now: Date = new Date(),
): TributaryError | null {
  const { status, headers, text } = response;
  const json = jsonOf(response);
  const parsed = json.ok;
  const body: unknown = json.ok ? json.value : undefined;

  if (status >= 200 && status < 300) {
    if (!parsed) {
      return new TributaryError(
        'provider_malformed_response',
        `Meta Ads: HTTP ${status} response is not valid JSON (${text.length} bytes)`,
      );
    }
    // Graph never means success when it sends an error envelope, whatever the status says.
    return isGraphEnvelope(body) ? classifyGraphError(body.error, status, headers, now) : null;
  }

  if (parsed && isGraphEnvelope(body)) return classifyGraphError(body.error, status, headers, now);

  if (status === 429) {
    const retryAt =
      retryAtFromUsageHeaders(headers, now) ??
      retryAtFromRetryAfter(headers, now) ??
      new Date(now.getTime() + DEFAULT_RATE_LIMIT_WAIT_MS);
    return new TributaryError('rate_limited', 'Meta Ads: HTTP 429 Too Many Requests', { retryAt });
  }
  if (status >= 500) {
    // Load balancers answer 5xx with HTML; that is an outage, not a malformed API response.
    return new TributaryError(
      'provider_unavailable',
      `Meta Ads: HTTP ${status} without a Graph API error body`,
    );
  }
  if (!parsed) {
    return new TributaryError(
      'provider_malformed_response',
      `Meta Ads: HTTP ${status} response is not valid JSON (${text.length} bytes)`,
    );
  }
  return new TributaryError('provider_error', `Meta Ads: HTTP ${status} without a Graph API error envelope`);
}
