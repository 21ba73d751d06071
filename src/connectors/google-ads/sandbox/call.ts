/**
 * The frame every Google Ads API call runs in: take an injected fault and render it the Google way, check
 * the `Authorization` bearer token, its scope, the `developer-token` and the `login-customer-id` headers,
 * then run the route and write its response (array-wrapping errors for `searchStream`).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext, SandboxFault } from '../../kit/types.ts';
import {
  type AdsResponse,
  adsErrors,
  arrayWrapped,
  insufficientScope,
  newRequestId,
  sendAds,
} from './ads-wire.ts';
import { ADWORDS_SCOPE, PROVIDER, SANDBOX_DEVELOPER_TOKEN } from './constants.ts';
import type { SeedUser } from './seed.ts';
import type { GoogleAdsSandboxStore } from './store.ts';

/** What every route registration receives. */
export interface SandboxDeps {
  store: GoogleAdsSandboxStore;
  context: SandboxContext;
}

/** Who is calling, once the headers check out. */
export interface Caller {
  user: SeedUser;
  /** The `login-customer-id` header (digits), when sent. */
  loginCustomerId?: string | undefined;
}

/**
 * The body of the `malformed` fault: a front-end error page sent with HTTP 200 under a JSON content type,
 * which is neither JSON nor an array of batches.
 */
const MALFORMED_BODY =
  '<!DOCTYPE html><html lang=en><meta charset=utf-8><title>Error 502 (Server Error)!!1</title><p><b>502.</b> <ins>That’s an error.</ins><p>The server encountered a temporary error and could not complete your request.<p>Please try again in 30 seconds. <ins>That’s all we know.</ins></html>';

/** Faults that replace the response outright. */
function renderFault(fault: SandboxFault): AdsResponse | undefined {
  switch (fault) {
    case 'token_expired':
      return adsErrors.tokenExpired();
    case 'revoked':
      return adsErrors.tokenRevoked();
    case 'permission_denied':
      return adsErrors.permissionDenied();
    case 'rate_limited':
      return adsErrors.rateLimited();
    case 'server_error':
      return adsErrors.internal();
    case 'malformed':
      return { status: 200, body: MALFORMED_BODY, raw: true, requestId: newRequestId() };
    default:
      // truncated_page cuts the real response; async_job_* mean nothing here (Google Ads reports are
      // synchronous), so the call that takes them goes through untouched.
      return undefined;
  }
}

/** The first half of a success body: valid headers, JSON cut off mid-body. */
function cutInHalf(response: AdsResponse): AdsResponse {
  if (response.raw) return response;
  const text = JSON.stringify(response.body);
  return { ...response, body: text.slice(0, Math.floor(text.length / 2)), raw: true };
}

/** One header's value (the first, when repeated). */
export function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The bearer token of an `Authorization` header, or undefined when the header is missing or not Bearer. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headerValue(request, 'authorization') ?? '');
  return match?.[1];
}

function authenticate(deps: SandboxDeps, request: FastifyRequest): Caller | AdsResponse {
  const value = bearerToken(request);
  if (!value) return adsErrors.missingCredential();
  const lookup = deps.store.lookupAccessToken(value);
  if (lookup.status === 'unknown') return adsErrors.tokenInvalid();
  if (lookup.status === 'revoked') return adsErrors.tokenRevoked();
  if (lookup.status === 'expired') return adsErrors.tokenExpired();
  if (!lookup.token.grant.scopes.includes(ADWORDS_SCOPE)) return insufficientScope();
  const developerToken = headerValue(request, 'developer-token');
  if (developerToken === undefined || developerToken.trim() === '') return adsErrors.developerTokenMissing();
  if (developerToken.trim() !== SANDBOX_DEVELOPER_TOKEN) return adsErrors.developerTokenInvalid();
  const login = headerValue(request, 'login-customer-id');
  if (login !== undefined && !/^\d{10}$/.test(login.trim())) return adsErrors.invalidLoginCustomerId(login);
  return { user: lookup.token.grant.user, loginCustomerId: login?.trim() };
}

/** Runs one Ads API call through the common frame and writes its response. */
export async function runAdsCall(
  deps: SandboxDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  handle: (caller: Caller) => AdsResponse,
  options: { stream: boolean },
): Promise<FastifyReply> {
  const finish = (response: AdsResponse) =>
    sendAds(reply, options.stream ? arrayWrapped(response) : response);
  const fault = deps.context.takeFault(PROVIDER);
  if (fault === 'hang') {
    // Never answer: the client's timeout is what is under test.
    deps.store.hold(reply.raw);
    return reply;
  }
  if (fault === 'revoked') {
    // The grant's refresh token dies with the fault (a refresh now answers invalid_grant); the access token
    // keeps working, so later calls of the same test run are not all refused.
    const presented = bearerToken(request);
    if (presented) deps.store.revokeRefreshOf(presented);
  }
  const faulted = fault ? renderFault(fault) : undefined;
  if (faulted) return finish(faulted);
  const caller = authenticate(deps, request);
  if ('status' in caller) return finish(caller);
  const response = handle(caller);
  return finish(fault === 'truncated_page' && response.status === 200 ? cutInHalf(response) : response);
}
