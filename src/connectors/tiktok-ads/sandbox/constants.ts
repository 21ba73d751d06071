/**
 * Fixed facts of the TikTok Ads sandbox: the registered developer app, the API path prefix and the
 * limits TikTok documents. Kept apart from `index.ts` so route files import them without a cycle.
 */

/** Provider id under which the sandbox is mounted (`/sandbox/tiktok-ads`). */
export const PROVIDER = 'tiktok-ads';

/** The only developer app registered with the sandbox (TikTok's `app_id`). */
export const SANDBOX_APP_ID = 'tributary-sandbox-app';

/** The app's `secret`. */
export const SANDBOX_APP_SECRET = 'tributary-sandbox-secret';

/** Display name the consent page shows for the sandbox app. */
export const SANDBOX_APP_NAME = 'Tributary (sandbox app)';

/** Every Marketing API path starts here (and ends with a slash). */
export const API_PREFIX = '/open_api/v1.3';

/** Authorization codes live one hour and are single use, as TikTok documents. */
export const CODE_TTL_MS = 60 * 60 * 1000;

/** Scopes the sandbox reports as granted on the token (TikTok returns permission scope ids). */
export const GRANTED_SCOPES: readonly number[] = [1, 2, 3, 4];

/** `advertiser/info/` takes at most this many ids per call. */
export const MAX_ADVERTISER_IDS = 100;

/** `report/integrated/get/` page size bounds and default. */
export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 10;

/** Widest date span (inclusive days) of a report with `stat_time_day`; without it, a year. */
export const MAX_DAILY_SPAN_DAYS = 30;
export const MAX_SPAN_DAYS = 365;

/** Days a day's `conversion` keeps being restated (attribution arrives late). */
export const RESTATEMENT_DAYS = 7;
