/**
 * The frame every sandbox endpoint runs in: take an injected fault and render it the way that endpoint family
 * fails at Google, check the bearer token (and its scopes) where the endpoint needs one, then run the route
 * and write its response (cut in half for `truncated_page`).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext, SandboxFault } from '../../kit/types.ts';
import { ANALYTICS_SCOPES, PROVIDER } from './constants.ts';
import type { QuotaBook } from './quota.ts';
import type { Ga4SandboxStore, IssuedAccessToken } from './store.ts';
import { type ApiResponse, field, oauthError, rpc, send } from './wire.ts';

/** What every route registration receives. */
export interface SandboxDeps {
  store: Ga4SandboxStore;
  quota: QuotaBook;
  context: SandboxContext;
}

/**
 * Which kind of Google endpoint a route is: the Admin/Data APIs (google.rpc.Status errors, analytics scope),
 * the OpenID userinfo endpoint (OAuth-style errors, openid/email scope), or the token/revoke endpoints (no token).
 */
export type EndpointFamily = 'analytics' | 'userinfo' | 'oauth';

/** The body the `malformed` fault sends under a JSON content type: Google's anti-XSSI prefix and a cut-off page. */
const MALFORMED_BODY = ")]}'\n<html><body>Service temporarily unavailable";

const invalidUserinfoToken = () => oauthError(401, 'invalid_request', 'Invalid Credentials');

/** Faults that replace the response outright, rendered as the endpoint family fails. */
function renderFault(fault: SandboxFault, family: EndpointFamily): ApiResponse | undefined {
  switch (fault) {
    case 'token_expired':
    case 'revoked':
      if (family === 'oauth') return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
      return family === 'userinfo' ? invalidUserinfoToken() : rpc.invalidCredentials();
    case 'permission_denied':
      if (family === 'oauth') {
        return oauthError(401, 'unauthorized_client', 'Unauthorized');
      }
      return family === 'userinfo'
        ? oauthError(403, 'insufficient_scope', 'Insufficient Permission')
        : rpc.propertyPermission();
    case 'rate_limited':
      return rpc.propertyTokensPerHour();
    case 'server_error':
      return rpc.internal();
    case 'malformed':
      return { status: 200, body: MALFORMED_BODY, raw: true };
    default:
      // truncated_page cuts the real response below; the Data API's runReport is synchronous, so the
      // async_job_* faults have no job to act on and the call that takes them goes through untouched.
      return undefined;
  }
}

/** The first half of a success body: valid headers, a JSON body cut off mid-page. */
function cutInHalf(response: ApiResponse): ApiResponse {
  if (response.raw) return response;
  const text = JSON.stringify(response.body);
  return { ...response, body: text.slice(0, Math.floor(text.length / 2)), raw: true };
}

/** The bearer token of a request: the `Authorization` header, or Google's `access_token` query parameter. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1] ?? field(request.query, 'access_token');
}

function hasAnyScope(token: IssuedAccessToken, wanted: readonly string[]): boolean {
  return token.grant.scopes.some((scope) => wanted.includes(scope));
}

const USERINFO_SCOPES = [
  'openid',
  'https://www.googleapis.com/auth/userinfo.email',
  'https://www.googleapis.com/auth/userinfo.profile',
];

/** Checks the bearer token for an endpoint family: the token, or the error response to send. */
function authenticate(
  deps: SandboxDeps,
  request: FastifyRequest,
  family: Exclude<EndpointFamily, 'oauth'>,
): IssuedAccessToken | ApiResponse {
  const value = bearerToken(request);
  const lookup = value ? deps.store.lookupAccessToken(value) : undefined;
  if (family === 'userinfo') {
    if (lookup?.status !== 'valid') return invalidUserinfoToken();
    if (!hasAnyScope(lookup.token, USERINFO_SCOPES)) {
      return oauthError(401, 'invalid_request', 'Invalid Credentials');
    }
    return lookup.token;
  }
  if (!lookup) return rpc.missingCredentials();
  if (lookup.status !== 'valid') return rpc.invalidCredentials();
  if (!hasAnyScope(lookup.token, ANALYTICS_SCOPES)) return rpc.insufficientScopes();
  return lookup.token;
}

/** Runs one call through the common frame and writes its response. */
export async function runCall(
  deps: SandboxDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  family: EndpointFamily,
  handle: (token: IssuedAccessToken | undefined) => ApiResponse,
): Promise<FastifyReply> {
  const fault = deps.context.takeFault(PROVIDER);
  if (fault === 'hang') {
    // Never answer: the client's timeout is what is under test.
    deps.store.hold(reply.raw);
    return reply;
  }
  if (fault === 'revoked' && family !== 'oauth') {
    // The grant's refresh token dies too, so refreshing after this 401 is `invalid_grant` (the agreement). The
    // access token is left alive: the conformance suite goes on using it in its next cases.
    const value = bearerToken(request);
    if (value) deps.store.revokeRefresh(value);
  }
  if (fault === 'server_error') deps.quota.noteServerError(deps.context.now());
  const faulted = fault ? renderFault(fault, family) : undefined;
  if (faulted) return send(reply, faulted);
  let token: IssuedAccessToken | undefined;
  if (family !== 'oauth') {
    const checked = authenticate(deps, request, family);
    if (!('grant' in checked)) return send(reply, checked);
    token = checked;
  }
  const response = handle(token);
  return send(reply, fault === 'truncated_page' && response.status === 200 ? cutInHalf(response) : response);
}
