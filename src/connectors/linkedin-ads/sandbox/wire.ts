/**
 * LinkedIn's wire conventions: JSON bodies, the `x-li-uuid` request id header, Rest.li error envelopes
 * `{status, serviceErrorCode?, code?, message}` with the HTTP status repeated in the body, and the OAuth
 * endpoints' `{error, error_description}`.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';

/** A response before it is written. */
export interface ApiResponse {
  status: number;
  /** A JSON value, or a raw string written verbatim (faults). */
  body: unknown;
  raw?: boolean;
}

/** An opaque secret (token, code): URL-safe, LinkedIn-like length. */
export function newSecretValue(bytes = 48): string {
  return randomBytes(bytes).toString('base64url');
}

/** A success response. */
export function ok(body: unknown): ApiResponse {
  return { status: 200, body };
}

/** A Rest.li error envelope. */
export function restError(
  status: number,
  message: string,
  extra: { code?: string; serviceErrorCode?: number } = {},
): ApiResponse {
  const body: Record<string, unknown> = { status };
  if (extra.serviceErrorCode !== undefined) body.serviceErrorCode = extra.serviceErrorCode;
  if (extra.code !== undefined) body.code = extra.code;
  body.message = message;
  return { status, body };
}

/** The errors the sandbox answers with, in LinkedIn's wording. */
export const errors = {
  /** An unknown token; on `/v2` LinkedIn sends no `code` (recorded body), on `/rest` it adds one. */
  invalidToken: (withCode: boolean) =>
    restError(401, 'Invalid access token', {
      serviceErrorCode: 65600,
      ...(withCode ? { code: 'INVALID_ACCESS_TOKEN' } : {}),
    }),
  expiredToken: () =>
    restError(401, 'The token used in the request has expired', {
      serviceErrorCode: 65601,
      code: 'EXPIRED_ACCESS_TOKEN',
    }),
  revokedToken: () =>
    restError(401, 'The token used in the request has been revoked by the user', {
      serviceErrorCode: 65601,
      code: 'REVOKED_ACCESS_TOKEN',
    }),
  accessDenied: (what: string) =>
    restError(403, `Not enough permissions to access: ${what}`, {
      serviceErrorCode: 100,
      code: 'ACCESS_DENIED',
    }),
  rateLimited: () =>
    restError(429, 'Resource level throttle APPLICATION DAY limit for calls to this resource is reached.', {
      serviceErrorCode: 101,
      code: 'TOO_MANY_REQUESTS',
    }),
  serverError: () => restError(500, 'Internal Server Error'),
  badRequest: (code: string, message: string) => restError(400, message, { code }),
  notFound: (message: string) => restError(404, message, { code: 'NOT_FOUND' }),
  noResource: () => restError(404, 'No virtual resource found', { code: 'RESOURCE_NOT_FOUND' }),
  versionMissing: () =>
    restError(
      400,
      'A version must be present. Please specify a version by adding the LinkedIn-Version header.',
      { code: 'VERSION_MISSING' },
    ),
  nonexistentVersion: (version: string) =>
    restError(426, `Requested version ${version} is not active`, { code: 'NONEXISTENT_VERSION' }),
};

/** An OAuth endpoint error (`/oauth/v2/*`). */
export function oauthError(status: number, error: string, description: string): ApiResponse {
  return { status, body: { error, error_description: description } };
}

/** Writes a response with LinkedIn's headers. */
export function send(reply: FastifyReply, response: ApiResponse): FastifyReply {
  reply
    .code(response.status)
    .header('content-type', 'application/json')
    .header('x-li-uuid', randomBytes(16).toString('base64'))
    .header('x-restli-protocol-version', '2.0.0');
  if (response.status >= 400) reply.header('x-restli-error-response', 'true');
  return reply.send(response.raw ? String(response.body) : JSON.stringify(response.body));
}
