/**
 * The frame every Graph call runs in: count usage, take an injected fault, check the version segment,
 * then run the route and write the response with Graph's headers. Also token extraction and checking,
 * shared by the `/me…` routes.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext } from '../../kit/types.ts';
import { PROVIDER, VERSION_PATTERN } from './constants.ts';
import {
  appNotAuthorizedError,
  isResponseFault,
  missingTokenError,
  renderFault,
  sessionExpiredError,
  tokenRequiredError,
  unparsableTokenError,
  unsupportedRequestError,
} from './errors.ts';
import { seedUsers } from './seed.ts';
import type { IssuedAccessToken, MetaSandboxStore } from './store.ts';
import { type BusinessUseCaseEntry, type GraphResponse, sendGraph, stringParam } from './wire.ts';

/** What every route registration receives. */
export interface SandboxDeps {
  store: MetaSandboxStore;
  context: SandboxContext;
}

/** The outcome of a route: its response, plus the business-use-case usage for ad-account calls. */
export interface GraphOutcome {
  response: GraphResponse;
  businessUseCaseUsage?: Record<string, BusinessUseCaseEntry[]> | undefined;
}

/** How one route takes part in the common frame. */
export interface GraphCallSpec {
  /** The start of the route's success body, cut off, sent by the `malformed` fault. */
  truncatedBody: string;
  /** Best-effort usage key (business/account id) for a `rate_limited` fault, before any auth check. */
  usageKey?: (request: FastifyRequest) => string | undefined;
  /** The route's own rendering of a `rate_limited` fault (insights throttle instead of Ads Management's). */
  rateLimited?: (request: FastifyRequest) => GraphResponse;
}

/** The first half of a success body: valid headers, a JSON body cut off mid-page. */
function cutInHalf(response: GraphResponse): GraphResponse {
  if (response.status !== 200 || response.raw) return response;
  const text = JSON.stringify(response.body);
  return { ...response, body: text.slice(0, Math.floor(text.length / 2)), raw: true };
}

/** Runs one Graph call through the common frame and writes its response. */
export async function runGraphCall(
  deps: SandboxDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  spec: GraphCallSpec,
  handle: () => GraphOutcome | Promise<GraphOutcome>,
): Promise<FastifyReply> {
  const appUsage = deps.store.recordCall();
  const versionParam = stringParam(request.params, 'version') ?? '';
  // Header value only; an invalid version is rejected below, after the fault had its chance.
  const version = VERSION_PATTERN.test(versionParam) ? versionParam : 'v25.0';
  const fault = deps.context.takeFault(PROVIDER);
  if (fault === 'hang') {
    // Never answer: the client's timeout is what is under test. The store drops the response when the
    // client disconnects or the server closes, so nothing is left pending.
    deps.store.hold(reply.raw);
    return reply;
  }
  if (fault === 'async_job_failed' || fault === 'async_job_hangs') deps.store.armJobFault(fault);
  if (fault && isResponseFault(fault)) {
    const response = renderFault(fault, {
      now: deps.context.now(),
      // Meta keys the header by the throttled business object; fall back to the first seeded business.
      usageKey: spec.usageKey?.(request) ?? seedUsers[0]!.usageKey,
      truncatedBody: spec.truncatedBody,
      rateLimited: spec.rateLimited && (() => spec.rateLimited!(request)),
    });
    return sendGraph(reply, response, { version, appUsage });
  }
  if (!VERSION_PATTERN.test(versionParam)) {
    // Graph reads an unknown first segment as an object id.
    return sendGraph(reply, unsupportedRequestError(request.method, versionParam), { version, appUsage });
  }
  const outcome = await handle();
  return sendGraph(reply, fault === 'truncated_page' ? cutInHalf(outcome.response) : outcome.response, {
    version,
    appUsage,
    businessUseCaseUsage: outcome.businessUseCaseUsage,
  });
}

/**
 * The token of a Graph call: `Authorization: Bearer …` (Graph also takes the older `OAuth …` scheme)
 * or the `access_token` query parameter.
 */
export function presentedToken(request: FastifyRequest): { value: string; inQuery: boolean } | undefined {
  const header = request.headers.authorization;
  const match = header ? /^(?:Bearer|OAuth)\s+(\S+)\s*$/i.exec(header) : null;
  if (match?.[1]) return { value: match[1], inQuery: false };
  const query = stringParam(request.query, 'access_token');
  if (query) return { value: query, inQuery: true };
  return undefined;
}

/** The result of checking the token of a `/me…` call. */
export type Authentication =
  | { ok: true; token: IssuedAccessToken; inQuery: boolean }
  | { ok: false; response: GraphResponse };

/**
 * Checks the token. `node` is the path's node (`me` or a user id): without a token, Graph words the
 * error differently for the two.
 */
export function authenticate(deps: SandboxDeps, request: FastifyRequest, node: string): Authentication {
  const presented = presentedToken(request);
  if (!presented) return { ok: false, response: node === 'me' ? missingTokenError() : tokenRequiredError() };
  const lookup = deps.store.lookupToken(presented.value);
  switch (lookup.status) {
    case 'unknown':
      return { ok: false, response: unparsableTokenError() };
    case 'revoked':
      return { ok: false, response: appNotAuthorizedError() };
    case 'expired':
      return {
        ok: false,
        response: sessionExpiredError(new Date(lookup.token.expiresAt), deps.context.now()),
      };
    case 'valid':
      return { ok: true, token: lookup.token, inQuery: presented.inQuery };
  }
}

/** The usage key of whoever the presented token belongs to, without judging the token. */
export function usageKeyOfPresentedToken(deps: SandboxDeps, request: FastifyRequest): string | undefined {
  const presented = presentedToken(request);
  if (!presented) return undefined;
  const lookup = deps.store.lookupToken(presented.value);
  return lookup.status === 'unknown' ? undefined : lookup.token.user.usageKey;
}
