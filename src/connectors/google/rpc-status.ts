/**
 * Reading Google's error envelope, `google.rpc.Status` in JSON: `{"error":{"code","message","status","details"}}`
 * (https://cloud.google.com/apis/design/errors#http_mapping). Every Google API answers errors this way; Google Ads
 * puts a `GoogleAdsFailure` among the details, and streaming methods (`googleAds:searchStream`) wrap the envelope
 * in a JSON array (`[{"error":{…}}]`); the GA4 Admin and Data APIs add `ErrorInfo` and `RetryInfo` details. Pure
 * parsing, shared by the Google connectors: no product knowledge beyond the envelope.
 */

/** One `google.rpc.Status`, as far as a classifier needs it. */
export interface RpcStatus {
  /** The HTTP code Google put in the envelope (usually equal to the response status). */
  code: number | null;
  message: string;
  /** The canonical status word, e.g. `UNAUTHENTICATED`, `RESOURCE_EXHAUSTED`. */
  status: string | null;
  /** The `details` entries (typed by their `@type`). */
  details: Record<string, unknown>[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The status of an error body, or null when the body is not Google's error envelope. Accepts the plain object
 * and the array-wrapped form of streaming methods (the first element carrying an `error`).
 */
export function parseRpcStatus(body: unknown): RpcStatus | null {
  const envelope = Array.isArray(body)
    ? body.find((entry) => isRecord(entry) && isRecord(entry.error))
    : body;
  if (!isRecord(envelope) || !isRecord(envelope.error)) return null;
  const error = envelope.error;
  return {
    code: typeof error.code === 'number' && Number.isInteger(error.code) ? error.code : null,
    message: typeof error.message === 'string' && error.message !== '' ? error.message : 'no message',
    status: typeof error.status === 'string' && error.status !== '' ? error.status : null,
    details: Array.isArray(error.details) ? error.details.filter(isRecord) : [],
  };
}

/** The details of a status whose `@type` ends with `typeName` (e.g. `GoogleAdsFailure`, `google.rpc.ErrorInfo`). */
export function detailsOfType(status: RpcStatus, typeName: string): Record<string, unknown>[] {
  return status.details.filter((detail) => {
    const type = detail['@type'];
    return typeof type === 'string' && (type.endsWith(`.${typeName}`) || type.endsWith(`/${typeName}`));
  });
}

/**
 * A `google.protobuf.Duration` in JSON (`"2s"`, `"40591s"`, `"1.500s"`) in milliseconds, or null when the text
 * is not one.
 */
export function durationMs(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const match = /^(\d+)(?:\.(\d{1,9}))?s$/.exec(value.trim());
  if (!match) return null;
  const fraction = match[2] ? Number(`0.${match[2]}`) : 0;
  return Math.round((Number(match[1]) + fraction) * 1000);
}
