/**
 * The frame every Marketing API call runs in: take an injected fault and render it the TikTok way, check
 * the `Access-Token` header when the route needs one, then run the route and write its envelope.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext, SandboxFault } from '../../kit/types.ts';
import { PROVIDER } from './constants.ts';
import type { IssuedAccessToken, TikTokSandboxStore } from './store.ts';
import { type ApiResponse, errors, newRequestId, send } from './wire.ts';

/** What every route registration receives. */
export interface SandboxDeps {
  store: TikTokSandboxStore;
  context: SandboxContext;
}

/** The body the `malformed` fault sends: a proxy's complaint under a JSON content type. */
const MALFORMED_BODY =
  'upstream connect error or disconnect/reset before headers. reset reason: connection termination';

/** Faults that replace the response outright, rendered in TikTok's format. */
function renderFault(fault: SandboxFault, now: Date): ApiResponse | undefined {
  switch (fault) {
    case 'token_expired':
      return errors.tokenExpired(now);
    case 'revoked':
      return errors.tokenInvalid(now);
    case 'permission_denied':
      return errors.permission(now);
    case 'rate_limited':
      return errors.rateLimited(now);
    case 'server_error':
      return errors.system(now);
    case 'malformed':
      return { status: 200, body: MALFORMED_BODY, raw: true, requestId: newRequestId(now) };
    default:
      // truncated_page cuts the real response; async_job_* have no meaning here (TikTok's sync reports
      // have no jobs), so the call that takes them goes through untouched.
      return undefined;
  }
}

/** The first half of a success body: valid headers, a JSON body cut off mid-page. */
function cutInHalf(response: ApiResponse): ApiResponse {
  if (response.raw) return response;
  const text = JSON.stringify(response.body);
  return { ...response, body: text.slice(0, Math.floor(text.length / 2)), raw: true };
}

/** Runs one API call through the common frame and writes its response. */
export async function runApiCall(
  deps: SandboxDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  handle: (token: IssuedAccessToken | undefined) => ApiResponse,
  options: { authenticated: boolean },
): Promise<FastifyReply> {
  const now = deps.context.now();
  const fault = deps.context.takeFault(PROVIDER);
  if (fault === 'hang') {
    // Never answer: the client's timeout is what is under test.
    deps.store.hold(reply.raw);
    return reply;
  }
  const faulted = fault ? renderFault(fault, now) : undefined;
  if (faulted) return send(reply, faulted);
  let token: IssuedAccessToken | undefined;
  if (options.authenticated) {
    const header = request.headers['access-token'];
    const value = Array.isArray(header) ? header[0] : header;
    if (!value) return send(reply, errors.tokenMissing(now));
    const lookup = deps.store.lookupToken(value.trim());
    if (lookup.status !== 'valid') return send(reply, errors.tokenInvalid(now));
    token = lookup.token;
  }
  const response = handle(token);
  return send(reply, fault === 'truncated_page' && response.status === 200 ? cutInHalf(response) : response);
}
