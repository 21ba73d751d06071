/**
 * Fixed facts of the LinkedIn Ads sandbox: the registered developer app, the versions it answers, the
 * token lifetimes and the limits LinkedIn documents. Kept apart from `index.ts` so route files import
 * them without a cycle.
 */

/** Provider id under which the sandbox is mounted (`/sandbox/linkedin-ads`). */
export const PROVIDER = 'linkedin-ads';

/** The only developer app registered with the sandbox (LinkedIn's `client_id`). */
export const SANDBOX_CLIENT_ID = 'tributary-sandbox-client';

/** The app's `client_secret`. */
export const SANDBOX_CLIENT_SECRET = 'tributary-sandbox-secret';

/** Display name the consent page shows for the sandbox app. */
export const SANDBOX_APP_NAME = 'Tributary (sandbox app)';

/** Scopes the sandbox app is approved for; asking for anything else is `unauthorized_scope_error`. */
export const APP_SCOPES: readonly string[] = [
  'r_ads',
  'r_ads_reporting',
  'rw_ads',
  'openid',
  'profile',
  'email',
  'r_organization_social',
];

/** Authorization codes live 30 minutes and are single use, as LinkedIn documents. */
export const CODE_TTL_MS = 30 * 60 * 1000;

/** Access tokens live 60 days (`expires_in`, seconds). */
export const ACCESS_TOKEN_TTL_SECONDS = 5_184_000;

/** Programmatic refresh tokens live 365 days from the first grant; refreshing does not extend them. */
export const REFRESH_TOKEN_TTL_SECONDS = 31_536_000;

/** Oldest and newest `LinkedIn-Version` (YYYYMM) the sandbox treats as active. */
export const OLDEST_VERSION = 202411;
export const NEWEST_VERSION = 202511;

/** Cursor finders: page size bounds and default. */
export const MAX_PAGE_SIZE = 1000;
/**
 * The creatives finder (`q=criteria`) pages at most 100 (LinkedIn's Creatives API reference; not in the recorded
 * wire formats, which give the finders' common 1,000).
 */
export const MAX_CREATIVES_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 100;

/** `adAnalytics`: at most this many `fields`, and the silent cap on returned elements. */
export const MAX_ANALYTICS_FIELDS = 20;
export const ANALYTICS_ELEMENT_CAP = 15_000;

/** Days a day's conversion metrics keep being restated (late attribution). */
export const RESTATEMENT_DAYS = 7;
