/**
 * Fixed facts of the Google Ads sandbox: the registered OAuth client and developer token, the API version,
 * and the limits the sandbox applies. Kept apart from `index.ts` so route files import them without a cycle.
 */

/** Provider id under which the sandbox is mounted (`/sandbox/google-ads`). */
export const PROVIDER = 'google-ads';

/** The only OAuth client registered with the sandbox (a Google Cloud "web application" client). */
export const SANDBOX_CLIENT_ID = 'tributary-sandbox.apps.googleusercontent.com';

/** The client's secret. */
export const SANDBOX_CLIENT_SECRET = 'tributary-sandbox-secret';

/** The only developer token the sandbox accepts in the `developer-token` header. */
export const SANDBOX_DEVELOPER_TOKEN = 'tributary-sandbox-developer-token';

/** Display name the consent page shows for the sandbox app. */
export const SANDBOX_APP_NAME = 'Tributary (sandbox app)';

/** Google Ads API version served under `/v25/...`. */
export const API_VERSION = 'v25';

/** The Google Ads scope; an access token without it cannot call the Ads API. */
export const ADWORDS_SCOPE = 'https://www.googleapis.com/auth/adwords';

/** Scopes the sandbox's authorize page accepts, with the name Google reports each one under. */
export const KNOWN_SCOPES: ReadonlyMap<string, string> = new Map([
  [ADWORDS_SCOPE, ADWORDS_SCOPE],
  ['openid', 'openid'],
  ['email', 'https://www.googleapis.com/auth/userinfo.email'],
  ['https://www.googleapis.com/auth/userinfo.email', 'https://www.googleapis.com/auth/userinfo.email'],
  ['profile', 'https://www.googleapis.com/auth/userinfo.profile'],
  ['https://www.googleapis.com/auth/userinfo.profile', 'https://www.googleapis.com/auth/userinfo.profile'],
]);

/** Authorization codes are single use and live ten minutes (virtual clock, so tests can expire them). */
export const CODE_TTL_MS = 10 * 60 * 1000;

/** Access tokens live an hour on the real clock; the token response says 3599 (seconds left). */
export const ACCESS_TOKEN_TTL_MS = 60 * 60 * 1000;
export const EXPIRES_IN_SECONDS = 3599;

/**
 * Rows per `googleAds:search` page. The real API's fixed page size is 10,000; the sandbox uses 1,000 (a
 * documented deviation) so a realistic account count exercises paging.
 */
export const SEARCH_PAGE_SIZE = 1000;

/** Rows per `googleAds:searchStream` batch, as the real API sends them. */
export const STREAM_BATCH_SIZE = 10_000;

/** Days a day's conversion metrics keep being restated (conversion lag). */
export const RESTATEMENT_DAYS = 14;

/** Retry delay the `rate_limited` fault announces in `quotaErrorDetails.retryDelay`. */
export const THROTTLE_RETRY_SECONDS = 2;
