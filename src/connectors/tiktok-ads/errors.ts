/**
 * Turns TikTok Marketing API responses into Tributary errors. TikTok answers almost every failure with HTTP 200
 * and a non-zero `code` in the envelope `{"code","message","request_id","data":{}}` (return codes:
 * https://business-api.tiktok.com/portal/docs?id=1737172488964097), so the status says little: the code decides.
 */
import { type ErrorCode, TributaryError } from '../../domain/errors.ts';
import { jsonOf, type ProviderResponse } from '../kit/http.ts';

/** Throttling codes: "Requests made too frequently" (40100, 40016, 40133) and per-field-value throttling (40132). */
const RATE_LIMIT_CODES = new Set([40016, 40100, 40132, 40133]);
/** The access token expired (40102); 40103 is the refresh-token twin (creator tokens), handled alike. */
const EXPIRED_CODES = new Set([40102, 40103]);
/** Empty (40104), invalid or revoked (40105), invalid core user (40106), invalid refresh token (40107). */
const REVOKED_CODES = new Set([40104, 40105, 40106, 40107]);
/**
 * No permission (40001), app or advertiser not allow-listed (40118), developer and advertiser in different
 * companies (40119), developer without the permission (40125), advertiser gone or not matched (40300, 40301):
 * each is fixed by an account owner, not by retrying.
 */
const PERMISSION_CODES = new Set([40001, 40118, 40119, 40125, 40300, 40301]);
/** Maintenance: TikTok is down on purpose and will be back. */
const MAINTENANCE_CODE = 60001;

/** First wait after a throttle when TikTok gives no reset time (it never does); doubled on each repeat. */
export const RATE_LIMIT_BASE_WAIT_MS = 1_000;
/** The longest throttle wait we guess, so a long run of 40100s still comes back within a minute. */
export const RATE_LIMIT_MAX_WAIT_MS = 60_000;

/** Options of one classification. */
export interface ClassifyOptions {
  now?: Date;
  /** How long to wait before the next attempt after a throttle (TikTok sends no reset time). */
  rateLimitWaitMs?: number;
}

function toInteger(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

/**
 * TikTok's messages do not normally echo credentials, but a long hexadecimal run (access tokens, app secrets and
 * auth codes are 40-character hex strings) must never reach our logs or UI.
 */
function redact(text: string): string {
  return text.replace(/[A-Fa-f0-9]{32,}/g, '[redacted]');
}

/** The envelope fields the classifier reads, or null when the body is not a TikTok envelope. */
function envelopeOf(body: unknown): { code: number; message: string; requestId: string | null } | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const record = body as Record<string, unknown>;
  const code = toInteger(record.code);
  if (code === undefined) return null;
  return {
    code,
    message: typeof record.message === 'string' && record.message !== '' ? record.message : 'no message',
    requestId: typeof record.request_id === 'string' ? record.request_id : null,
  };
}

/** The Tributary code of a non-zero TikTok return code. */
export function errorCodeFor(code: number): ErrorCode {
  if (EXPIRED_CODES.has(code)) return 'auth_token_expired';
  if (REVOKED_CODES.has(code)) return 'auth_token_revoked';
  if (PERMISSION_CODES.has(code)) return 'permission_denied';
  if (RATE_LIMIT_CODES.has(code)) return 'rate_limited';
  // 5xxxx is TikTok's "system related" family (50000 system error, 50002, 51305 satellite service error).
  if ((code >= 50000 && code < 60000) || code === MAINTENANCE_CODE) return 'provider_unavailable';
  // 40002 (parameter error) and the rest of 4xxxx describe the request: retrying it cannot help.
  return 'provider_error';
}

/** Maps an envelope with a non-zero code to our closed code set. */
export function classifyTiktokError(
  envelope: { code: number; message: string; requestId: string | null },
  options: ClassifyOptions = {},
): TributaryError {
  const now = options.now ?? new Date();
  const code = errorCodeFor(envelope.code);
  // 40002 names the offending parameter in its message ("Missing required field(s): account_id."), so the
  // message is quoted as it is.
  const message = redact(`TikTok Ads: ${envelope.message} (code ${envelope.code})`);
  const details = { providerCode: envelope.code, requestId: envelope.requestId };
  if (code === 'rate_limited') {
    const wait = options.rateLimitWaitMs ?? RATE_LIMIT_BASE_WAIT_MS;
    return new TributaryError(code, message, { details, retryAt: new Date(now.getTime() + wait) });
  }
  return new TributaryError(code, message, { details });
}

/**
 * The `classify` hook for `sendWithRetries`: null for a usable response (HTTP 2xx, JSON, `code` 0), otherwise the
 * TributaryError the response means.
 */
export function classifyTiktokResponse(
  response: ProviderResponse,
  options: ClassifyOptions = {},
): TributaryError | null {
  const { status, text } = response;
  const json = jsonOf(response);
  const envelope = json.ok ? envelopeOf(json.value) : null;
  // Whatever the status, a non-zero code is TikTok's own account of what went wrong.
  if (envelope && envelope.code !== 0) return classifyTiktokError(envelope, options);

  if (status >= 200 && status < 300) {
    if (!json.ok) {
      return new TributaryError(
        'provider_malformed_response',
        `TikTok Ads: HTTP ${status} response is not valid JSON (${text.length} bytes)`,
      );
    }
    if (!envelope) {
      return new TributaryError(
        'provider_malformed_response',
        `TikTok Ads: HTTP ${status} response without a TikTok envelope (no numeric code)`,
      );
    }
    return null;
  }
  if (status === 429) {
    const now = options.now ?? new Date();
    return new TributaryError('rate_limited', 'TikTok Ads: HTTP 429 Too Many Requests', {
      retryAt: new Date(now.getTime() + (options.rateLimitWaitMs ?? RATE_LIMIT_BASE_WAIT_MS)),
    });
  }
  if (status >= 500) {
    // Gateways answer 5xx with HTML; that is an outage, not a malformed API response.
    return new TributaryError('provider_unavailable', `TikTok Ads: HTTP ${status} from the Marketing API`);
  }
  // 404 "page not found" is what TikTok answers for a path without its trailing slash: our bug, not an outage.
  return new TributaryError('provider_error', `TikTok Ads: HTTP ${status} from the Marketing API`, {
    details: { httpStatus: status },
  });
}

/**
 * A classifier for one call that backs off on repeated throttles: TikTok sends no reset time, so the first 40100
 * waits {@link RATE_LIMIT_BASE_WAIT_MS}, each repeat twice as long (up to {@link RATE_LIMIT_MAX_WAIT_MS}); the kit
 * sleeps through waits within `maxQuotaWaitMs` and surfaces longer ones with their `retryAt`.
 */
export function throttleAwareClassifier(
  baseWaitMs: number = RATE_LIMIT_BASE_WAIT_MS,
): (response: ProviderResponse) => TributaryError | null {
  let throttles = 0;
  return (response) => {
    const rateLimitWaitMs = Math.min(baseWaitMs * 2 ** throttles, RATE_LIMIT_MAX_WAIT_MS);
    const error = classifyTiktokResponse(response, { rateLimitWaitMs });
    if (error?.code === 'rate_limited') throttles += 1;
    return error;
  };
}
