/**
 * Where Google Ads is and how it is called: mode selection (real / sandbox / unconfigured), the OAuth client, the
 * `/v25/…` URLs, and one call with the headers Google Ads requires (`Authorization`, `developer-token`, and
 * `login-customer-id` when a client is reached through a manager). Shared by login and discovery
 * (`connector.ts`, `hierarchy.ts`) and report reading (`extraction.ts`).
 */
import { TributaryError } from '../../domain/errors.ts';
import {
  GOOGLE_OAUTH_ENDPOINTS,
  type GoogleOAuthClient,
  googleOAuthEndpointsAt,
} from '../google/account-oauth.ts';
import { configuredBaseUrl } from '../kit/base-url.ts';
import { parseJsonBody, sendWithRetries } from '../kit/http.ts';
import type { ConnectorEnvironment } from '../kit/types.ts';
import { classifyGoogleAdsResponse } from './errors.ts';

/** The host GOOGLE_ADS_API_BASE_URL may name (OAuth goes to Google's fixed endpoints, not configurable). */
export const GOOGLE_ADS_ALLOWED_HOSTS = ['googleads.googleapis.com'] as const;

/** App credentials the built-in sandbox accepts; they are not secrets. */
export const GOOGLE_ADS_SANDBOX_CLIENT_ID = 'tributary-sandbox.apps.googleusercontent.com';
export const GOOGLE_ADS_SANDBOX_CLIENT_SECRET = 'tributary-sandbox-secret';
export const GOOGLE_ADS_SANDBOX_DEVELOPER_TOKEN = 'tributary-sandbox-developer-token';

/** The Google Ads API version every path is under. */
export const GOOGLE_ADS_API_VERSION = 'v25';

/** Where to get a developer token; quoted by the "not configured" error. */
const DEVELOPER_TOKEN_HELP =
  'set GOOGLE_ADS_DEVELOPER_TOKEN to the developer token of your manager account (Google Ads → Admin → API Center, https://developers.google.com/google-ads/api/docs/get-started/dev-token)';

/** Everything a call needs to know about where Google Ads is, resolved per call. */
export interface GoogleAdsSettings {
  oauth: GoogleOAuthClient;
  /** Origin (and prefix) of `/v25/…`. */
  apiBase: string;
  /** Null in real mode until GOOGLE_ADS_DEVELOPER_TOKEN is set: every Ads call then fails as not configured. */
  developerToken: string | null;
  /** GOOGLE_ADS_LOGIN_CUSTOMER_ID: the manager every call of this installation goes through, when set. */
  loginCustomerId: string | null;
  sandbox: boolean;
}

/** A customer id as Google Ads headers and paths take it: digits only (`123-456-7890` → `1234567890`). */
export function customerIdDigits(value: string, variable: string): string {
  const digits = value.replace(/-/g, '').trim();
  if (!/^\d{1,20}$/.test(digits)) {
    throw new TributaryError('provider_not_configured', `${variable} must be a customer id (10 digits)`);
  }
  return digits;
}

/**
 * Picks real mode (OAuth client id and secret set), sandbox mode (sandbox URL available), or null. It runs on
 * every call because the sandbox URL is known only after the server listens.
 */
export function resolveGoogleAdsSettings(environment: ConnectorEnvironment): GoogleAdsSettings | null {
  const { env } = environment;
  const clientId = env.GOOGLE_ADS_CLIENT_ID?.trim();
  const clientSecret = env.GOOGLE_ADS_CLIENT_SECRET?.trim();
  if (clientId && clientSecret) {
    const login = env.GOOGLE_ADS_LOGIN_CUSTOMER_ID?.trim();
    return {
      oauth: { clientId, clientSecret, endpoints: GOOGLE_OAUTH_ENDPOINTS, product: 'Google Ads' },
      apiBase: configuredBaseUrl(
        env.GOOGLE_ADS_API_BASE_URL,
        'https://googleads.googleapis.com',
        'GOOGLE_ADS_API_BASE_URL',
        { hosts: GOOGLE_ADS_ALLOWED_HOSTS, environment },
      ),
      developerToken: env.GOOGLE_ADS_DEVELOPER_TOKEN?.trim() || null,
      loginCustomerId: login ? customerIdDigits(login, 'GOOGLE_ADS_LOGIN_CUSTOMER_ID') : null,
      sandbox: false,
    };
  }
  const sandboxUrl = environment.sandboxBaseUrl();
  if (!sandboxUrl) return null;
  const base = configuredBaseUrl(sandboxUrl, sandboxUrl, 'sandbox base URL');
  return {
    oauth: {
      clientId: GOOGLE_ADS_SANDBOX_CLIENT_ID,
      clientSecret: GOOGLE_ADS_SANDBOX_CLIENT_SECRET,
      endpoints: googleOAuthEndpointsAt(base),
      product: 'Google Ads',
    },
    apiBase: base,
    developerToken: GOOGLE_ADS_SANDBOX_DEVELOPER_TOKEN,
    loginCustomerId: null,
    sandbox: true,
  };
}

/** The settings, or `provider_not_configured` naming what to set. */
export function requireGoogleAdsSettings(environment: ConnectorEnvironment): GoogleAdsSettings {
  const settings = resolveGoogleAdsSettings(environment);
  if (!settings) {
    throw new TributaryError(
      'provider_not_configured',
      'Google Ads is not configured: set GOOGLE_ADS_CLIENT_ID, GOOGLE_ADS_CLIENT_SECRET and GOOGLE_ADS_DEVELOPER_TOKEN, or turn the sandbox on',
    );
  }
  return settings;
}

/** The developer token, or `provider_not_configured` saying where to get one. */
export function requireDeveloperToken(settings: GoogleAdsSettings): string {
  if (!settings.developerToken) {
    throw new TributaryError(
      'provider_not_configured',
      `Google Ads needs a developer token: ${DEVELOPER_TOKEN_HELP}`,
    );
  }
  return settings.developerToken;
}

/** `{apiBase}/v25/{path}`, e.g. `customers:listAccessibleCustomers` or `customers/123/googleAds:search`. */
export function adsUrl(settings: GoogleAdsSettings, path: string): string {
  return `${settings.apiBase}/${GOOGLE_ADS_API_VERSION}/${path}`;
}

/** A `provider_malformed_response` naming the call (the label never carries a secret). */
export function malformed(label: string, what: string): TributaryError {
  return new TributaryError('provider_malformed_response', `Google Ads: ${label} returned ${what}`);
}

/** One Google Ads API call as {@link callGoogleAds} takes it. */
export interface AdsCall {
  method: 'GET' | 'POST';
  path: string;
  /** What logs and errors show: never a token (`POST /customers/123/googleAds:searchStream`). */
  label: string;
  accessToken: string;
  /** The manager the customer is reached through (digits), if any. */
  loginCustomerId?: string | null | undefined;
  json?: Record<string, unknown>;
  onAttempt?: () => void;
  onQuotaWait?: (ms: number) => void;
  signal?: AbortSignal;
}

/** Sends one call through the kit (retries, quota waits, cancellation) and returns its parsed JSON body. */
export async function callGoogleAds(
  environment: ConnectorEnvironment,
  settings: GoogleAdsSettings,
  call: AdsCall,
): Promise<unknown> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    authorization: `Bearer ${call.accessToken}`,
    'developer-token': requireDeveloperToken(settings),
  };
  // An installation that names its manager goes through it for every call (as Google's client libraries do).
  const login = settings.loginCustomerId ?? call.loginCustomerId;
  if (login) headers['login-customer-id'] = login;
  if (call.json !== undefined) headers['content-type'] = 'application/json';
  const response = await sendWithRetries(
    environment.fetch,
    environment.http,
    {
      method: call.method,
      url: adsUrl(settings, call.path),
      label: call.label,
      headers,
      ...(call.json === undefined ? {} : { body: JSON.stringify(call.json) }),
    },
    {
      classify: (answer) => classifyGoogleAdsResponse(answer),
      ...(call.onAttempt ? { onAttempt: call.onAttempt } : {}),
      ...(call.onQuotaWait ? { onQuotaWait: call.onQuotaWait } : {}),
      ...(call.signal ? { signal: call.signal } : {}),
    },
  );
  return parseJsonBody(response, `Google Ads: ${call.label}`);
}
