/**
 * Wire conventions of Google's OAuth endpoints (token, revoke, userinfo): flat `{"error", "error_description"}`
 * bodies, the `WWW-Authenticate` header on userinfo, and how an injected fault looks at these endpoints.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import type { SandboxFault } from '../../kit/types.ts';
import { THROTTLE_RETRY_SECONDS } from './constants.ts';

/** A response of an OAuth endpoint before it is written. */
export interface OAuthResponse {
  status: number;
  body: unknown;
  raw?: boolean;
  headers?: Record<string, string>;
}

/** A flat OAuth error body, as Google's token and userinfo endpoints send them. */
export function oauthError(status: number, error: string, description: string): OAuthResponse {
  return { status, body: { error, error_description: description } };
}

/** userinfo's answer to a missing, unknown, expired or revoked token. */
export function invalidCredentials(): OAuthResponse {
  return {
    ...oauthError(401, 'invalid_request', 'Invalid Credentials'),
    headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
  };
}

/** Where a fault is taken: the token endpoint (grants) or a bearer endpoint (userinfo, revoke). */
export type OAuthEndpoint = 'token' | 'bearer';

/** A fault rendered at an OAuth endpoint; undefined for faults that pass through (`truncated_page` cuts). */
export function oauthFault(fault: SandboxFault, endpoint: OAuthEndpoint): OAuthResponse | undefined {
  switch (fault) {
    case 'token_expired':
      return endpoint === 'token'
        ? oauthError(400, 'invalid_grant', 'Token has been expired or revoked.')
        : invalidCredentials();
    case 'revoked':
      return endpoint === 'token'
        ? oauthError(400, 'invalid_grant', 'Token has been expired or revoked.')
        : invalidCredentials();
    case 'permission_denied':
      return endpoint === 'token'
        ? oauthError(401, 'unauthorized_client', 'Unauthorized')
        : oauthError(403, 'insufficient_scope', 'Request had insufficient authentication scopes.');
    case 'rate_limited':
      return {
        ...oauthError(429, 'rate_limit_exceeded', 'Rate Limit Exceeded'),
        headers: { 'retry-after': String(THROTTLE_RETRY_SECONDS) },
      };
    case 'server_error':
      return oauthError(500, 'internal_failure', 'Backend Error');
    case 'malformed':
      return { status: 200, body: '<!DOCTYPE html><html><body>Service Unavailable</body></html>', raw: true };
    default:
      return undefined;
  }
}

/** The first half of a JSON body (the `truncated_page` fault). */
export function cutOAuthBody(response: OAuthResponse): OAuthResponse {
  if (response.raw || response.status !== 200) return response;
  const text = JSON.stringify(response.body);
  return { ...response, body: text.slice(0, Math.floor(text.length / 2)), raw: true };
}

/** Writes a response with Google's OAuth headers (no caching of tokens). */
export function sendOAuth(reply: FastifyReply, response: OAuthResponse): FastifyReply {
  reply
    .code(response.status)
    .header('content-type', 'application/json; charset=utf-8')
    .header('cache-control', 'no-cache, no-store, max-age=0, must-revalidate')
    .header('pragma', 'no-cache');
  for (const [name, value] of Object.entries(response.headers ?? {})) reply.header(name, value);
  return reply.send(response.raw ? String(response.body) : JSON.stringify(response.body));
}

/** An unsigned-looking OpenID id_token: a JWT whose claims are real and whose signature is random bytes. */
export function idToken(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = { alg: 'RS256', kid: 'tributary-sandbox-key', typ: 'JWT' };
  return `${encode(header)}.${encode(claims)}.${randomBytes(256).toString('base64url')}`;
}

/** Reads one string field of a parsed body or query; repeated values arrive as arrays, the first wins. */
export function stringField(source: unknown, name: string): string | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  const value = (source as Record<string, unknown>)[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}
