/**
 * Google Ads API wire conventions: request ids (the `request-id` header and `requestId` fields), the
 * google.rpc.Status error envelope with a `GoogleAdsFailure` detail, and the errors the sandbox answers with.
 * `googleAds:searchStream` wraps errors in an array (`[{"error":{…}}]`); the other methods do not.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { API_VERSION, THROTTLE_RETRY_SECONDS } from './constants.ts';

/** A response before it is written. */
export interface AdsResponse {
  status: number;
  /** A JSON value, or a raw string written verbatim (faults). */
  body: unknown;
  raw?: boolean;
  requestId: string;
}

/** Google Ads request ids: 22 URL-safe base64 characters (e.g. `V_YzUHhkv35zqntpPk9byg`). */
export function newRequestId(): string {
  return randomBytes(16).toString('base64url').slice(0, 22);
}

/** One entry of `GoogleAdsFailure.errors`. */
export interface AdsError {
  /** `{"<category>Error": "<ENUM>"}`, e.g. `{ queryError: 'UNRECOGNIZED_FIELD' }`. */
  errorCode: Record<string, string>;
  message: string;
  trigger?: { stringValue: string } | undefined;
  details?: Record<string, unknown> | undefined;
}

/** gRPC status names by HTTP status, as Google maps them. */
const statusNames: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

/** The top-level `message` Google's front end gives per status. */
const statusMessages: Record<number, string> = {
  400: 'Request contains an invalid argument.',
  401: 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
  403: 'The caller does not have permission',
  404: 'Requested entity was not found.',
  429: 'Resource has been exhausted (e.g. check quota).',
  500: 'Internal error encountered.',
  503: 'The service is currently unavailable.',
};

/** An error response with a `GoogleAdsFailure` detail (not yet array-wrapped). */
export function adsFailure(status: number, error: AdsError): AdsResponse {
  const requestId = newRequestId();
  const failure = {
    '@type': `type.googleapis.com/google.ads.googleads.${API_VERSION}.errors.GoogleAdsFailure`,
    errors: [error],
    requestId,
  };
  return {
    status,
    requestId,
    body: {
      error: {
        code: status,
        message: statusMessages[status] ?? 'Unknown error.',
        status: statusNames[status] ?? 'UNKNOWN',
        details: [failure],
      },
    },
  };
}

/** The errors the sandbox uses, with Google's codes and wording. */
export const adsErrors = {
  missingCredential: () =>
    adsFailure(401, {
      errorCode: { authenticationError: 'OAUTH_TOKEN_HEADER_INVALID' },
      message: 'Oauth token HTTP header is malformed.',
    }),
  tokenInvalid: () =>
    adsFailure(401, {
      errorCode: { authenticationError: 'OAUTH_TOKEN_INVALID' },
      message: 'Oauth token is invalid.',
    }),
  tokenExpired: () =>
    adsFailure(401, {
      errorCode: { authenticationError: 'OAUTH_TOKEN_EXPIRED' },
      message: 'Oauth token is expired.',
    }),
  tokenRevoked: () =>
    adsFailure(401, {
      errorCode: { authenticationError: 'OAUTH_TOKEN_REVOKED' },
      message: 'Oauth token is revoked.',
    }),
  developerTokenMissing: () =>
    adsFailure(400, {
      errorCode: { requestError: 'DEVELOPER_TOKEN_PARAMETER_MISSING' },
      message: 'The developer token is not set in the request header.',
    }),
  developerTokenInvalid: () =>
    adsFailure(401, {
      errorCode: { authenticationError: 'DEVELOPER_TOKEN_INVALID' },
      message: 'The developer token is not valid.',
    }),
  invalidLoginCustomerId: (value: string) =>
    adsFailure(400, {
      errorCode: { headerError: 'INVALID_LOGIN_CUSTOMER_ID' },
      message: 'The login customer ID could not be validated. Use digits only, without dashes.',
      trigger: { stringValue: value },
    }),
  invalidCustomerId: (value: string) =>
    adsFailure(400, {
      errorCode: { requestError: 'INVALID_CUSTOMER_ID' },
      message: 'Customer id is invalid.',
      trigger: { stringValue: value },
    }),
  permissionDenied: () =>
    adsFailure(403, {
      errorCode: { authorizationError: 'USER_PERMISSION_DENIED' },
      message:
        "User doesn't have permission to access customer. Note: If you're accessing a client customer, the manager's customer id must be set in the 'login-customer-id' header. See https://developers.google.com/google-ads/api/docs/concepts/call-structure#cid",
    }),
  customerNotEnabled: () =>
    adsFailure(403, {
      errorCode: { authorizationError: 'CUSTOMER_NOT_ENABLED' },
      message:
        "The customer account can't be accessed because it is not yet enabled or has been deactivated.",
    }),
  rateLimited: () =>
    adsFailure(429, {
      errorCode: { quotaError: 'RESOURCE_TEMPORARILY_EXHAUSTED' },
      message: `Too many requests. Retry in ${THROTTLE_RETRY_SECONDS} seconds.`,
      details: {
        quotaErrorDetails: {
          rateScope: 'ACCOUNT',
          rateName: 'Requests per customer per second',
          retryDelay: `${THROTTLE_RETRY_SECONDS}s`,
        },
      },
    }),
  internal: () =>
    adsFailure(500, {
      errorCode: { internalError: 'INTERNAL_ERROR' },
      message: 'An internal error has occurred.',
    }),
  request: (code: string, message: string, trigger?: string) =>
    adsFailure(400, {
      errorCode: { requestError: code },
      message,
      trigger: trigger === undefined ? undefined : { stringValue: trigger },
    }),
  query: (code: string, message: string, trigger?: string) =>
    adsFailure(400, {
      errorCode: { queryError: code },
      message,
      trigger: trigger === undefined ? undefined : { stringValue: trigger },
    }),
};

/**
 * A token without the AdWords scope is refused by Google's front end before the Ads API sees it: a plain
 * google.rpc.Status with an `ErrorInfo` detail, no `GoogleAdsFailure`.
 */
export function insufficientScope(): AdsResponse {
  return {
    status: 403,
    requestId: newRequestId(),
    body: {
      error: {
        code: 403,
        message: 'Request had insufficient authentication scopes.',
        status: 'PERMISSION_DENIED',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
            domain: 'googleapis.com',
            metadata: { service: 'googleads.googleapis.com', method: 'google.ads.googleads' },
          },
        ],
      },
    },
  };
}

/** A success response. */
export function adsOk(body: unknown, requestId = newRequestId()): AdsResponse {
  return { status: 200, body, requestId };
}

/** `searchStream` sends its errors as a one-element array. */
export function arrayWrapped(response: AdsResponse): AdsResponse {
  if (response.status === 200 || response.raw) return response;
  return { ...response, body: [response.body] };
}

/** Writes a response with Google's headers. */
export function sendAds(reply: FastifyReply, response: AdsResponse): FastifyReply {
  reply
    .code(response.status)
    .header('content-type', 'application/json; charset=UTF-8')
    .header('request-id', response.requestId)
    .header('vary', 'Origin, X-Origin, Referer');
  return reply.send(response.raw ? String(response.body) : JSON.stringify(response.body));
}
