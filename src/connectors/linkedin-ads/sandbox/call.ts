/**
 * The frame every API call runs in: take an injected fault and render it the LinkedIn way, check the bearer
 * token, and for `/rest` the `LinkedIn-Version` and `X-Restli-Protocol-Version` headers; then run the route
 * and write its response.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext, SandboxFault } from '../../kit/types.ts';
import { NEWEST_VERSION, OLDEST_VERSION, PROVIDER } from './constants.ts';
import { rawQuery } from './restli.ts';
import type { IssuedAccessToken, LinkedInSandboxStore } from './store.ts';
import { type ApiResponse, errors, restError, send } from './wire.ts';

/** What every route registration receives. */
export interface SandboxDeps {
  store: LinkedInSandboxStore;
  context: SandboxContext;
}

/** What a route handler is given. */
export interface CallInput {
  token: IssuedAccessToken;
  /** Raw query values by decoded name (Rest.li values still percent-encoded). */
  query: Map<string, string[]>;
  /** The `LinkedIn-Version` asked for (`/rest` only), e.g. `202511`. */
  version: string;
}

/** The 200 body the `malformed` fault sends: LinkedIn's envelope without `elements`. */
const MALFORMED_BODY = { paging: { start: 0, count: 10, links: [] } };

/** The first half of a success body: valid headers, JSON cut off mid-page. */
function cutInHalf(response: ApiResponse): ApiResponse {
  if (response.raw) return response;
  const text = JSON.stringify(response.body);
  return { ...response, body: text.slice(0, Math.floor(text.length / 2)), raw: true };
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function bearer(request: FastifyRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headerValue(request, 'authorization') ?? '');
  return match?.[1];
}

/** Faults that replace the response outright, in LinkedIn's envelopes. */
function renderFault(fault: SandboxFault, resource: string) {
  switch (fault) {
    case 'token_expired':
      return errors.expiredToken();
    case 'revoked':
      // Only this call is answered as revoked: the token stays usable afterwards, so one fault is one
      // failure (a real revocation is `POST /oauth/v2/revoke`; a `revoked` fault taken by a refresh call
      // answers `invalid_grant` there).
      return errors.revokedToken();
    case 'permission_denied':
      return errors.accessDenied(resource);
    case 'rate_limited':
      return errors.rateLimited();
    case 'server_error':
      return errors.serverError();
    case 'malformed':
      return { status: 200, body: MALFORMED_BODY };
    default:
      // truncated_page cuts the real response; LinkedIn's reports are synchronous, so async_job_* faults
      // have nothing to act on and the call goes through.
      return undefined;
  }
}

/** Checks `LinkedIn-Version` and `X-Restli-Protocol-Version`; the error to answer, if any. */
function checkRestHeaders(request: FastifyRequest): ApiResponse | string {
  const version = headerValue(request, 'linkedin-version')?.trim();
  if (!version) return errors.versionMissing();
  const match = /^(\d{4})(\d{2})(?:\.\d{2})?$/.exec(version);
  if (!match) {
    return errors.badRequest('INVALID_VERSION', `Invalid version format ${version}; expected YYYYMM`);
  }
  const month = Number(match[2]);
  const yyyymm = Number(`${match[1]}${match[2]}`);
  if (month < 1 || month > 12 || yyyymm < OLDEST_VERSION || yyyymm > NEWEST_VERSION) {
    return errors.nonexistentVersion(version);
  }
  if (headerValue(request, 'x-restli-protocol-version')?.trim() !== '2.0.0') {
    // Without 2.0.0 the gateway reads the query as Rest.li 1.0, where List(...) and (a:b) mean nothing.
    return errors.badRequest(
      'ILLEGAL_ARGUMENT',
      'Rest.li protocol 1.0.0 syntax is not supported by this resource; send X-Restli-Protocol-Version: 2.0.0',
    );
  }
  return String(yyyymm);
}

/** Runs one API call through the common frame and writes its response. */
export async function runApiCall(
  deps: SandboxDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  options: { family: 'rest' | 'v2'; resource: string },
  handle: (input: CallInput) => ApiResponse,
): Promise<FastifyReply> {
  const fault = deps.context.takeFault(PROVIDER);
  if (fault === 'hang') {
    // Never answer: the client's timeout is what is under test.
    deps.store.hold(reply.raw);
    return reply;
  }
  const faulted = fault ? renderFault(fault, options.resource) : undefined;
  if (faulted) return send(reply, faulted);
  const value = bearer(request);
  if (!value) {
    return send(
      reply,
      restError(401, 'Empty oauth2 access token', { serviceErrorCode: 65604, code: 'EMPTY_ACCESS_TOKEN' }),
    );
  }
  const lookup = deps.store.lookupToken(value);
  if (lookup.status === 'unknown') return send(reply, errors.invalidToken(options.family === 'rest'));
  if (lookup.status === 'expired') return send(reply, errors.expiredToken());
  if (lookup.status === 'revoked') return send(reply, errors.revokedToken());
  let version = '';
  if (options.family === 'rest') {
    const checked = checkRestHeaders(request);
    if (typeof checked !== 'string') return send(reply, checked);
    version = checked;
  }
  const response = handle({ token: lookup.token, query: rawQuery(request.url), version });
  return send(reply, fault === 'truncated_page' && response.status === 200 ? cutInHalf(response) : response);
}

/** The resource label LinkedIn's 403 message names, e.g. `adAnalytics.FINDER-analytics.20251101`. */
export function resourceLabel(resource: string, method: string, version: string): string {
  return `${resource}.${method}.${version || NEWEST_VERSION}01`;
}

/** 403 unless the token carries one of the scopes `anyOf` (e.g. `r_ads` or `rw_ads`). */
export function requireScope(
  input: CallInput,
  anyOf: readonly string[],
  resource: string,
  method: string,
): ApiResponse | undefined {
  if (anyOf.some((scope) => input.token.grant.scopes.includes(scope))) return undefined;
  return errors.accessDenied(resourceLabel(resource, method, input.version));
}
