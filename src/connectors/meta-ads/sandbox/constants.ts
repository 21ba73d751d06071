/**
 * Fixed facts of the Meta Ads sandbox: the registered client app, token lifetimes, paging limits and the
 * permission names the OAuth dialog accepts. Kept apart from `index.ts` so route files can import them
 * without an import cycle.
 */

/** Provider id under which the sandbox is mounted (`/sandbox/meta-ads`). */
export const PROVIDER = 'meta-ads';

/** The only app registered with the sandbox (Meta calls it the App ID). */
export const SANDBOX_CLIENT_ID = 'tributary-sandbox-app';

/** The app secret of {@link SANDBOX_CLIENT_ID}. */
export const SANDBOX_CLIENT_SECRET = 'tributary-sandbox-secret';

/** Display name the consent page shows for the sandbox app. */
export const SANDBOX_APP_NAME = 'Tributary (sandbox app)';

/** Seconds a code-exchanged (short-lived) user token lives: Meta's value is "about 1–2 hours". */
export const SHORT_LIVED_SECONDS = 5183;

/** Seconds a `fb_exchange_token` (long-lived) user token lives: Meta's documented sample, ~60 days. */
export const LONG_LIVED_SECONDS = 5183944;

/** Authorization codes expire after ten minutes, as Meta's do. */
export const CODE_TTL_MS = 10 * 60 * 1000;

/** Page size of `/me/adaccounts` when the request has no `limit`. */
export const DEFAULT_PAGE_LIMIT = 25;

/** Largest page `/me/adaccounts` returns; larger `limit` values are silently clamped. */
export const MAX_PAGE_LIMIT = 500;

/** A Graph version path segment (`v25.0`); any `vNN.N` is accepted. */
export const VERSION_PATTERN = /^v\d{1,2}\.\d{1,2}$/;

/**
 * Login permissions the dialog accepts. Meta rejects unknown names with an "Invalid Scopes" page, so the
 * sandbox does too; the list covers what an ads integration plausibly asks for.
 */
export const KNOWN_SCOPES: ReadonlySet<string> = new Set([
  'public_profile',
  'email',
  'ads_read',
  'ads_management',
  'business_management',
  'read_insights',
  'pages_show_list',
  'pages_read_engagement',
  'pages_manage_ads',
  'pages_manage_metadata',
  'leads_retrieval',
  'catalog_management',
  'instagram_basic',
  'instagram_manage_insights',
]);
