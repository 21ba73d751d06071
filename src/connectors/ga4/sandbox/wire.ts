/**
 * Google's wire conventions for the sandbox: google.rpc.Status error bodies (`{"error":{code,message,status}}`)
 * with their HTTP statuses, the OAuth endpoints' `{error, error_description}` bodies, and how responses are written.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';

/** A response before it is written. */
export interface ApiResponse {
  status: number;
  /** A JSON value, or a raw string written verbatim (faults). */
  body: unknown;
  raw?: boolean;
  headers?: Record<string, string>;
}

/** A JSON success. */
export function ok(body: unknown): ApiResponse {
  return { status: 200, body };
}

/** A google.rpc.Status error body with its HTTP status. */
export function rpcError(code: number, status: string, message: string, headers?: Record<string, string>) {
  const response: ApiResponse = { status: code, body: { error: { code, message, status } } };
  if (headers) response.headers = headers;
  return response;
}

const CREDENTIAL_HELP =
  'Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.';

/** Google's bearer challenge on a 401. */
const invalidTokenChallenge = {
  'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"',
};

/** The google.rpc.Status errors the Admin and Data APIs answer with, in Google's wording. */
export const rpc = {
  missingCredentials: () =>
    rpcError(
      401,
      'UNAUTHENTICATED',
      `Request is missing required authentication credential. ${CREDENTIAL_HELP}`,
      {
        'www-authenticate': 'Bearer realm="https://accounts.google.com/"',
      },
    ),
  invalidCredentials: () =>
    rpcError(
      401,
      'UNAUTHENTICATED',
      `Request had invalid authentication credentials. ${CREDENTIAL_HELP}`,
      invalidTokenChallenge,
    ),
  insufficientScopes: () =>
    rpcError(403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.'),
  propertyPermission: () =>
    rpcError(
      403,
      'PERMISSION_DENIED',
      'User does not have sufficient permissions for this property. To learn more about Property ID, see https://developers.google.com/analytics/devguides/reporting/data/v1/property-id.',
    ),
  accountPermission: (account: string) =>
    rpcError(403, 'PERMISSION_DENIED', `The caller does not have permission to access ${account}.`),
  invalidArgument: (message: string) => rpcError(400, 'INVALID_ARGUMENT', message),
  propertyTokensPerHour: () =>
    rpcError(
      429,
      'RESOURCE_EXHAUSTED',
      'Exhausted property tokens per hour for a property. Learn more about this property quota at https://developers.google.com/analytics/devguides/reporting/data/v1/quotas.',
    ),
  propertyTokensPerDay: () =>
    rpcError(
      429,
      'RESOURCE_EXHAUSTED',
      'Exhausted property tokens per day for a property. Learn more about this property quota at https://developers.google.com/analytics/devguides/reporting/data/v1/quotas.',
    ),
  projectTokensPerHour: () =>
    rpcError(
      429,
      'RESOURCE_EXHAUSTED',
      'Exhausted property tokens per project per hour for a property. Learn more about this property quota at https://developers.google.com/analytics/devguides/reporting/data/v1/quotas.',
    ),
  internal: () => rpcError(500, 'INTERNAL', 'Internal error encountered.'),
  notFound: (message = 'Method not found.') => rpcError(404, 'NOT_FOUND', message),
};

/** An OAuth endpoint error (`{error, error_description}`), as oauth2.googleapis.com sends them. */
export function oauthError(status: number, error: string, description: string): ApiResponse {
  return { status, body: { error, error_description: description } };
}

/** Writes a response with Google's content type. */
export function send(reply: FastifyReply, response: ApiResponse): FastifyReply {
  reply
    .code(response.status)
    .header('content-type', 'application/json; charset=UTF-8')
    .header('cache-control', 'private')
    .header('vary', 'Origin, X-Origin, Referer');
  for (const [name, value] of Object.entries(response.headers ?? {})) reply.header(name, value);
  return reply.send(response.raw ? String(response.body) : JSON.stringify(response.body));
}

/** An opaque token value with Google's prefix (`ya29.` access tokens, `1//` refresh tokens, `4/` codes). */
export function newTokenValue(prefix: string): string {
  return `${prefix}${randomBytes(36).toString('base64url')}`;
}

/** Reads one string field of a parsed body or query; repeated values take the first. */
export function field(source: unknown, name: string): string | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  const value = (source as Record<string, unknown>)[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}
