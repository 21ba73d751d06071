/**
 * The Graph errors the sandbox can send, each in the shape Meta was seen sending it (see
 * `fixtures/errors/`), and the rendering of injected faults. Where a recorded body lacks `type` or
 * `fbtrace_id`, the sandbox omits them too: consumers must not depend on keys Meta does not always send.
 */
import type { SandboxFault } from '../../kit/types.ts';
import { SANDBOX_CLIENT_ID } from './constants.ts';
import { expiryDate, type GraphResponse, graphError, newTraceId } from './wire.ts';

/**
 * Graph adds a `WWW-Authenticate` challenge to token errors (and to some parameter errors); clients that
 * look at it get what they would get from Meta.
 */
export function withChallenge(
  response: GraphResponse,
  kind: 'invalid_request' | 'invalid_token',
): GraphResponse {
  const error = (response.body as { error: { message: string } }).error;
  const message = error.message.replaceAll('"', "'");
  return { ...response, headers: { 'www-authenticate': `OAuth "Facebook Platform" "${kind}" "${message}"` } };
}

/** No token on a `/me…` call. */
export function missingTokenError(): GraphResponse {
  const message = 'An active access token must be used to query information about the current user.';
  return withChallenge(graphError(400, { message, type: 'OAuthException', code: 2500 }), 'invalid_request');
}

/** No token on a call addressed to a node id instead of `me`. */
export function tokenRequiredError(): GraphResponse {
  const message = 'An access token is required to request this resource.';
  return withChallenge(graphError(400, { message, type: 'OAuthException', code: 104 }), 'invalid_request');
}

/** A token the sandbox never issued. */
export function unparsableTokenError(): GraphResponse {
  const message = 'Invalid OAuth access token - Cannot parse access token';
  return withChallenge(graphError(400, { message, type: 'OAuthException', code: 190 }), 'invalid_token');
}

/** A token whose user removed the app (`DELETE /me/permissions`): 190/458. */
export function appNotAuthorizedError(): GraphResponse {
  const message = `Error validating access token: The user has not authorized application ${SANDBOX_CLIENT_ID}.`;
  return withChallenge(
    graphError(400, { message, type: 'OAuthException', code: 190, error_subcode: 458 }),
    'invalid_token',
  );
}

/** An expired token: 190/463, with Meta's "Session has expired on … The current time is …" wording. */
export function sessionExpiredError(expiredAt: Date, now: Date): GraphResponse {
  const message = `Error validating access token: Session has expired on ${expiryDate(expiredAt)}. The current time is ${expiryDate(now)}.`;
  return withChallenge(
    graphError(400, { message, type: 'OAuthException', code: 190, error_subcode: 463 }),
    'invalid_token',
  );
}

/** A session Meta invalidated (password change, security check): 190/460, recorded without a trace id. */
export function sessionInvalidatedError(): GraphResponse {
  const message =
    'Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.';
  return withChallenge(
    graphError(400, { message, type: 'OAuthException', code: 190, error_subcode: 460 }, false),
    'invalid_token',
  );
}

/** The 403 Meta sends when business-owned objects need `business_management`; recorded with only code and message. */
export function requiresBusinessManagementError(): GraphResponse {
  const message = '(#200) Requires business_management permission to manage the object';
  return { status: 403, body: { error: { code: 200, message } } };
}

/** A token without any ads permission asking for ad accounts; recorded without a trace id. */
export function missingPermissionsError(): GraphResponse {
  return graphError(400, { message: '(#100) Missing permissions', type: 'OAuthException', code: 100 }, false);
}

/** Meta's opaque 500 (code 1, subcode 99); recorded with only code, message and subcode. */
export function unknownServerError(): GraphResponse {
  return {
    status: 500,
    body: { error: { code: 1, message: 'An unknown error occurred', error_subcode: 99 } },
  };
}

/**
 * The Ads Management business-use-case throttle (80004 / 2446079) plus the usage header that says the
 * budget is spent and access returns in a minute.
 */
export function adAccountRateLimitError(usageKey: string): GraphResponse {
  const message =
    '(#80004) There have been too many calls to this ad-account. Wait a bit and try again. For more info, please refer to /docs/graph-api/overview/rate-limiting#ads-management.';
  const response = graphError(400, { message, type: 'OAuthException', code: 80004, error_subcode: 2446079 });
  const usage = {
    [usageKey]: [
      {
        type: 'ads_management',
        call_count: 100,
        total_cputime: 38,
        total_time: 52,
        estimated_time_to_regain_access: 1,
      },
    ],
  };
  return { ...response, headers: { 'x-business-use-case-usage': JSON.stringify(usage) } };
}

/** A field the node type does not have, e.g. `(#100) Tried accessing nonexisting field (foo) on node type (User)`. */
export function nonexistingFieldError(field: string, nodeType: string): GraphResponse {
  const message = `(#100) Tried accessing nonexisting field (${field}) on node type (${nodeType})`;
  return graphError(400, { message, type: 'OAuthException', code: 100 });
}

/** An id that does not exist or is not visible to the token: 100/33, `GraphMethodException`. */
export function unsupportedRequestError(method: string, id: string): GraphResponse {
  const message = `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`;
  return graphError(400, { message, type: 'GraphMethodException', code: 100, error_subcode: 33 });
}

/** An unknown edge under a known node, e.g. `/me/foo`. */
export function unknownPathError(rest: string): GraphResponse {
  return graphError(400, { message: `Unknown path components: ${rest}`, type: 'OAuthException', code: 2500 });
}

/** A paging cursor the sandbox did not issue (or issued for another user): Meta's 2642. */
export function invalidCursorError(): GraphResponse {
  return graphError(400, { message: '(#2642) Invalid cursors values', type: 'OAuthException', code: 2642 });
}

/** Errors of `GET /oauth/access_token`, worded as Meta words them. */
export const oauthErrors = {
  missingClientId: () =>
    graphError(400, { message: 'Missing client_id parameter.', type: 'OAuthException', code: 101 }),
  invalidAppId: () =>
    graphError(400, {
      message: 'Error validating application. Invalid application ID.',
      type: 'OAuthException',
      code: 101,
    }),
  invalidSecret: () =>
    graphError(400, { message: 'Error validating client secret.', type: 'OAuthException', code: 1 }),
  missingParameter: (name: string) =>
    graphError(400, {
      message: `(#100) The parameter ${name} is required`,
      type: 'OAuthException',
      code: 100,
    }),
  invalidGrantType: (grantType: string) =>
    graphError(400, {
      message: `Invalid grant_type: '${grantType}'. Supported types: authorization_code, fb_exchange_token`,
      type: 'OAuthException',
      code: 100,
    }),
  badCodeFormat: () =>
    graphError(400, { message: 'Invalid verification code format.', type: 'OAuthException', code: 100 }),
  codeUsed: () =>
    graphError(400, {
      message: 'This authorization code has been used.',
      type: 'OAuthException',
      code: 100,
      error_subcode: 36009,
    }),
  codeExpired: () =>
    graphError(400, {
      message: 'This authorization code has expired.',
      type: 'OAuthException',
      code: 100,
      error_subcode: 36007,
    }),
  redirectMismatch: () =>
    graphError(400, {
      message:
        'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request',
      type: 'OAuthException',
      code: 100,
      error_subcode: 36008,
    }),
  // Meta's exact PKCE wording was not found in public sources; the code and type follow its other
  // code-exchange errors.
  invalidCodeVerifier: () =>
    graphError(400, { message: 'Invalid code verifier.', type: 'OAuthException', code: 100 }),
} as const;

/**
 * Faults that replace the call's response. The others change how the call is answered instead and are
 * handled by the call frame: `truncated_page` cuts the real body, `hang` never answers, and
 * `async_job_*` arm the next report run.
 */
export type ResponseFault = Exclude<
  SandboxFault,
  'truncated_page' | 'hang' | 'async_job_failed' | 'async_job_hangs'
>;

/** True for the faults {@link renderFault} renders. */
export function isResponseFault(fault: SandboxFault): fault is ResponseFault {
  return !['truncated_page', 'hang', 'async_job_failed', 'async_job_hangs'].includes(fault);
}

/** What a fault needs to know about the call it replaces. */
export interface FaultContext {
  now: Date;
  /** Key of the usage header, for `rate_limited`. */
  usageKey: string;
  /** The start of this route's success body, cut off mid-value, for `malformed`. */
  truncatedBody: string;
  /** The route's own throttle error, when it has a more specific one than Ads Management's (insights). */
  rateLimited?: (() => GraphResponse) | undefined;
}

/** Renders an injected fault in Meta's wire format. */
export function renderFault(fault: ResponseFault, context: FaultContext): GraphResponse {
  switch (fault) {
    case 'token_expired':
      // The session ran out an hour ago, like a short-lived token left unexchanged.
      return sessionExpiredError(new Date(context.now.getTime() - 3_600_000), context.now);
    case 'revoked':
      return sessionInvalidatedError();
    case 'permission_denied':
      return requiresBusinessManagementError();
    case 'rate_limited':
      return context.rateLimited?.() ?? adAccountRateLimitError(context.usageKey);
    case 'server_error':
      return unknownServerError();
    case 'malformed':
      // HTTP 200 with a JSON content type but a body cut off mid-stream, as a dropped connection looks.
      return { status: 200, body: context.truncatedBody, raw: true, traceId: newTraceId() };
  }
}
