/**
 * Fixed facts of the GA4 sandbox: the registered OAuth client, Google's scopes and token lifetimes, and the
 * limits the Admin and Data APIs document. Kept apart from `index.ts` so route files import them without a cycle.
 */

/** Provider id under which the sandbox is mounted (`/sandbox/ga4`). */
export const PROVIDER = 'ga4';

/** The only OAuth client registered with the sandbox (a Google "Web application" client id). */
export const SANDBOX_CLIENT_ID = 'tributary-sandbox-ga4.apps.googleusercontent.com';

/** That client's secret. */
export const SANDBOX_CLIENT_SECRET = 'tributary-sandbox-secret';

/** Display name the consent page shows for the sandbox client. */
export const SANDBOX_APP_NAME = 'Tributary (sandbox app)';

/** The real token endpoint: a service-account key's `token_uri`, accepted as a JWT `aud`. */
export const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';

/** Scopes that let a token read GA4 (the Admin API and the Data API accept either). */
export const ANALYTICS_SCOPES: readonly string[] = [
  'https://www.googleapis.com/auth/analytics.readonly',
  'https://www.googleapis.com/auth/analytics',
];

/** Short scope names Google expands on the consent screen and in the token response. */
export const SCOPE_ALIASES: Readonly<Record<string, string>> = {
  email: 'https://www.googleapis.com/auth/userinfo.email',
  profile: 'https://www.googleapis.com/auth/userinfo.profile',
};

/** Every scope the sandbox knows; others are `invalid_scope`. */
export const KNOWN_SCOPES: readonly string[] = [
  ...ANALYTICS_SCOPES,
  'openid',
  'https://www.googleapis.com/auth/userinfo.email',
  'https://www.googleapis.com/auth/userinfo.profile',
  'https://www.googleapis.com/auth/analytics.edit',
];

/** Google access tokens say `expires_in: 3599` (one hour minus the second spent issuing them). */
export const ACCESS_TOKEN_SECONDS = 3599;

/** Authorization codes: single use, short-lived (Google: a few minutes). */
export const CODE_TTL_MS = 10 * 60 * 1000;

/** A JWT-bearer assertion may live at most one hour (`exp - iat ≤ 3600`). */
export const MAX_ASSERTION_SECONDS = 3600;

/** Clock skew tolerated on assertion `iat`/`exp`, as Google's token endpoint allows a little. */
export const ASSERTION_SKEW_SECONDS = 300;

/** Admin API list paging: default and maximum `pageSize` (larger values are coerced to the maximum). */
export const DEFAULT_PAGE_SIZE = 50;
/** Largest Admin API `pageSize`. */
export const MAX_PAGE_SIZE = 200;

/** Data API `runReport` row limits. */
export const DEFAULT_ROW_LIMIT = 10_000;
/** Most rows one `runReport` returns, whatever the `limit`. */
export const MAX_ROW_LIMIT = 250_000;

/** At most this many dimensions and metrics per report. */
export const MAX_DIMENSIONS = 9;
/** At most this many metrics per report. */
export const MAX_METRICS = 10;

/** At most four date ranges per request. */
export const MAX_DATE_RANGES = 4;

/** GA4 keeps no data before this date; earlier dates are `INVALID_ARGUMENT`. */
export const FIRST_DATA_DAY = '2015-08-14';

/** Days a day's `keyEvents`/`totalRevenue`/`purchaseRevenue` keep changing (late events processing). */
export const RESTATEMENT_DAYS = 3;

/** Standard-property quotas (WIRE-FORMATS §5.5). */
export const QUOTA = {
  tokensPerDay: 200_000,
  tokensPerHour: 40_000,
  concurrentRequests: 10,
  serverErrorsPerProjectPerHour: 10,
  potentiallyThresholdedRequestsPerHour: 120,
  tokensPerProjectPerHour: 14_000,
} as const;

/** Daily property quotas reset at midnight Pacific time, as Google documents for its APIs. */
export const QUOTA_DAY_ZONE = 'America/Los_Angeles';
