/**
 * The one error model: a closed set of error codes, each with a category and an HTTP status.
 * Connectors, the engine and the API all raise {@link TributaryError}; the server maps it to
 * `{"error": {"code", "message", "details"?}}`.
 */

/** Where a failure comes from, and therefore what a user can do about it. */
export const errorCategories = [
  'auth',
  'permission',
  'quota',
  'transient',
  'provider',
  'config',
  'destination',
  'internal',
] as const;
export type ErrorCategory = (typeof errorCategories)[number];

interface ErrorSpec {
  category: ErrorCategory;
  httpStatus: number;
  /** What the user should do about it, shown beside the message. */
  remedy: string;
}

/** Every error code the product can emit. Adding one is a deliberate change to this table. */
export const errorCodes = {
  // Request and configuration errors (the caller can fix them).
  validation_failed: {
    category: 'config',
    httpStatus: 400,
    remedy: 'Correct the request and send it again.',
  },
  invalid_json: { category: 'config', httpStatus: 400, remedy: 'Send a valid JSON body.' },
  unsupported_media_type: {
    category: 'config',
    httpStatus: 415,
    remedy: 'Send the body as application/json.',
  },
  uri_too_long: {
    category: 'config',
    httpStatus: 414,
    remedy: 'Send a shorter URL (ids are at most 200 characters).',
  },
  payload_too_large: { category: 'config', httpStatus: 413, remedy: 'Send a smaller request body.' },
  unknown_data_source: {
    category: 'config',
    httpStatus: 400,
    remedy: 'Pick a data source from GET /api/v1/data-sources.',
  },
  invalid_sort: { category: 'config', httpStatus: 400, remedy: 'Use one of the allowed sort keys.' },
  invalid_cursor: {
    category: 'config',
    httpStatus: 400,
    remedy: 'Use the nextCursor value from the previous page, with the same search and sort.',
  },
  not_found: {
    category: 'config',
    httpStatus: 404,
    remedy: 'Check the id; the object may have been deleted.',
  },
  route_not_found: {
    category: 'config',
    httpStatus: 404,
    remedy: 'See /api/v1/openapi.json for the endpoints.',
  },
  method_not_allowed: { category: 'config', httpStatus: 405, remedy: 'Use a method the endpoint supports.' },
  // Who is calling, and may they.
  authentication_required: {
    category: 'auth',
    httpStatus: 401,
    remedy: 'Sign in, or send an API token as `Authorization: Bearer <token>`.',
  },
  sign_in_failed: {
    category: 'auth',
    httpStatus: 401,
    remedy: 'Check the email and password.',
  },
  sign_in_throttled: {
    category: 'auth',
    httpStatus: 429,
    remedy: 'Too many failed sign-ins: wait until the time given, then try again.',
  },
  csrf_failed: {
    category: 'permission',
    httpStatus: 403,
    remedy: "Reload the page and try again (the request lacked this session's CSRF token).",
  },
  role_forbidden: {
    category: 'permission',
    httpStatus: 403,
    remedy: 'Your role in this workspace does not allow this; ask a workspace admin.',
  },
  setup_not_allowed: {
    category: 'permission',
    httpStatus: 403,
    remedy: 'The owner account already exists (or the request is not from this machine): sign in instead.',
  },
  invitation_invalid: {
    category: 'auth',
    httpStatus: 400,
    remedy: 'Ask a workspace admin for a new invitation; each link works once and expires.',
  },
  workspace_not_found: {
    category: 'config',
    httpStatus: 404,
    remedy: 'Pick one of your workspaces (GET /api/v1/workspaces).',
  },
  wrong_auth_type: {
    category: 'config',
    httpStatus: 400,
    remedy: 'OAuth sources take no credentials; other sources need them.',
  },
  invalid_oauth_state: {
    category: 'auth',
    httpStatus: 400,
    remedy:
      'Start the authorization again from the connection (Reconnect); links are single-use and expire in 10 minutes.',
  },
  oauth_denied: {
    category: 'auth',
    httpStatus: 400,
    remedy: 'Authorize again and approve the requested permissions.',
  },
  business_account_mismatch: {
    category: 'auth',
    httpStatus: 409,
    remedy: 'Reconnect as the same provider user, or make a new connection for the other user.',
  },
  connection_not_authorized: {
    category: 'auth',
    httpStatus: 409,
    remedy: 'Finish authorizing the connection (or Reconnect) first.',
  },
  provider_not_configured: {
    category: 'config',
    httpStatus: 400,
    remedy: 'Set the provider app credentials (see the data source setup guide), or turn the sandbox on.',
  },
  conflict: {
    category: 'config',
    httpStatus: 409,
    remedy: 'The object is in use; see the message for what uses it.',
  },
  rate_limited_api: {
    category: 'quota',
    httpStatus: 429,
    remedy: 'Too many API requests from this client; wait for the Retry-After seconds, then send fewer.',
  },
  // Provider errors (raised by connectors, shown on connections and runs).
  auth_token_expired: {
    category: 'auth',
    httpStatus: 502,
    remedy: 'Reconnect the connection to issue a new token.',
  },
  auth_token_revoked: {
    category: 'auth',
    httpStatus: 502,
    remedy:
      'Access was revoked at the provider (app removed or password changed). Reconnect to grant it again.',
  },
  auth_invalid_credentials: {
    category: 'auth',
    httpStatus: 400,
    remedy: 'Check the credentials and try again.',
  },
  permission_denied: {
    category: 'permission',
    httpStatus: 502,
    remedy: 'Reconnect and grant every requested permission, or ask the account owner for access.',
  },
  rate_limited: {
    category: 'quota',
    httpStatus: 503,
    remedy: 'The provider is throttling calls; Tributary retries after the reset time.',
  },
  quota_exhausted: {
    category: 'quota',
    httpStatus: 503,
    remedy: 'The provider quota for the period is used up; work resumes after it resets.',
  },
  provider_unavailable: {
    category: 'transient',
    httpStatus: 503,
    remedy:
      'The provider is temporarily unavailable; retry later (Sync accounts), or wait for the daily sync.',
  },
  provider_timeout: {
    category: 'transient',
    httpStatus: 504,
    remedy: 'The provider did not answer in time; retry later.',
  },
  provider_malformed_response: {
    category: 'provider',
    httpStatus: 502,
    remedy: 'The provider sent a response that could not be read; retry later, and report it if it persists.',
  },
  provider_error: {
    category: 'provider',
    httpStatus: 502,
    remedy: 'The provider refused the request; see the message for its reason.',
  },
  // Destination errors (raised by warehouses Tributary writes to).
  destination_unavailable: {
    category: 'destination',
    httpStatus: 503,
    remedy:
      'The destination cannot be reached or is busy (server down, file locked by another process); check it is running and retry.',
  },
  destination_rejected: {
    category: 'destination',
    httpStatus: 502,
    remedy:
      'The destination refused the write or read (permissions, disk full, a table or column changed outside Tributary); see the message.',
  },
  internal_error: {
    category: 'internal',
    httpStatus: 500,
    remedy: 'This is a bug in Tributary; the server log has the details.',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof errorCodes;
export const errorCodeList = Object.keys(errorCodes) as [ErrorCode, ...ErrorCode[]];

/** The problem details a connection (or later a run) carries when it is in error. */
export interface ProblemDetails {
  code: ErrorCode;
  category: ErrorCategory;
  message: string;
  remedy: string;
  /** ISO timestamp of when it happened. */
  at: string;
}

/** The error every layer raises; `details` must never carry secrets. */
export class TributaryError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;
  /** For quota errors: when the provider says calls may resume. */
  readonly retryAt: Date | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; retryAt?: Date; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TributaryError';
    this.code = code;
    this.details = options.details;
    this.retryAt = options.retryAt;
  }

  get category(): ErrorCategory {
    return errorCodes[this.code].category;
  }

  get httpStatus(): number {
    return errorCodes[this.code].httpStatus;
  }

  get remedy(): string {
    return errorCodes[this.code].remedy;
  }

  /** True when retrying the same call later may succeed without user action. */
  get retryable(): boolean {
    return this.category === 'transient' || this.category === 'quota';
  }

  toProblem(at: Date): ProblemDetails {
    return {
      code: this.code,
      category: this.category,
      message: this.message,
      remedy: this.remedy,
      at: at.toISOString(),
    };
  }
}

/** Wraps anything thrown into a TributaryError, keeping TributaryErrors as they are. */
export function asTributaryError(error: unknown): TributaryError {
  if (error instanceof TributaryError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new TributaryError('internal_error', `Unexpected error: ${message}`, { cause: error });
}
