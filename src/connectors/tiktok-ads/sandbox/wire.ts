/**
 * TikTok's wire conventions: the `{code, message, request_id, data}` envelope on HTTP 200 (errors
 * included), request ids and the `X-Tt-Logid` header, JSON-encoded array parameters, and the error
 * codes the sandbox answers with.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';

/** A response before it is written. */
export interface ApiResponse {
  /** Almost always 200: TikTok signals errors in `code`. */
  status: number;
  /** A JSON value, or a raw string written verbatim (faults). */
  body: unknown;
  raw?: boolean;
  requestId: string;
}

/** TikTok's request id / log id: a timestamp followed by hex, e.g. `20240101093012A1B2…`. */
export function newRequestId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${stamp}${randomBytes(9).toString('hex').toUpperCase()}`;
}

/** A long-term advertiser access token or an auth code: 40 hex characters, as TikTok's look. */
export function newSecretValue(): string {
  return randomBytes(20).toString('hex');
}

/** A success envelope. */
export function ok(now: Date, data: unknown): ApiResponse {
  const requestId = newRequestId(now);
  return { status: 200, body: { code: 0, message: 'OK', request_id: requestId, data }, requestId };
}

/** An error envelope: HTTP 200, non-zero `code`, empty `data`. */
export function apiError(now: Date, code: number, message: string): ApiResponse {
  const requestId = newRequestId(now);
  return { status: 200, body: { code, message, request_id: requestId, data: {} }, requestId };
}

/** The error codes the sandbox uses, with TikTok's wording. */
export const errors = {
  permission: (now: Date, message = 'No permission to operate this advertiser.') =>
    apiError(now, 40001, message),
  /** 40002 always names the parameter at fault, as TikTok's messages do. */
  parameter: (now: Date, parameter: string, problem: string) =>
    apiError(now, 40002, `${parameter}: ${problem}`),
  notSupportedInSandbox: (now: Date, what: string) =>
    apiError(now, 40009, `The parameter or method is not supported in sandbox: ${what}.`),
  tooManyIds: (now: Date, parameter: string, max: number) =>
    apiError(now, 40002, `${parameter}: Too many IDs are provided in a single request; at most ${max}.`),
  rateLimited: (now: Date) => apiError(now, 40100, 'Requests made too frequently.'),
  appCredentials: (now: Date) =>
    apiError(now, 40101, 'Invalid parameter values for authentication: app_id or secret.'),
  tokenExpired: (now: Date) =>
    apiError(
      now,
      40102,
      'The access token has expired. The interface needs to be called with the latest access token.',
    ),
  tokenMissing: (now: Date) =>
    apiError(now, 40104, 'Access token is null, you should set it in http header with key Access-Token.'),
  tokenInvalid: (now: Date) => apiError(now, 40105, 'Access token is incorrect or has been revoked.'),
  authCode: (now: Date, why: string) => apiError(now, 40110, `Invalid authorization code: ${why}.`),
  advertiserNotFound: (now: Date, id: string) =>
    apiError(now, 40300, `The advertiser ${id} does not exist or has been deleted.`),
  system: (now: Date) => apiError(now, 50000, 'System error'),
};

/** Writes a response with TikTok's headers. */
export function send(reply: FastifyReply, response: ApiResponse): FastifyReply {
  reply
    .code(response.status)
    .header('content-type', 'application/json')
    .header('x-tt-logid', response.requestId)
    .header('cache-control', 'no-cache');
  return reply.send(response.raw ? String(response.body) : JSON.stringify(response.body));
}

/** Reads one string parameter; repeated parameters arrive as arrays and the first one wins. */
export function stringParam(source: unknown, name: string): string | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  const value = (source as Record<string, unknown>)[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/** A JSON-encoded string array parameter: the list, `undefined` when absent, `null` when not one. */
export function stringListParam(source: unknown, name: string): string[] | undefined | null {
  const raw = stringParam(source, name);
  if (raw === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  // TikTok converts numeric ids sent as numbers, so `[123]` is as good as `["123"]`.
  if (!Array.isArray(parsed)) return null;
  const items = parsed.map((item) =>
    typeof item === 'number' && Number.isSafeInteger(item) ? String(item) : item,
  );
  return items.every((item) => typeof item === 'string') ? (items as string[]) : null;
}
