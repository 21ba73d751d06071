/**
 * Where Google is and how GA4 calls are sent: mode selection (real / sandbox / unconfigured), the endpoint URLs
 * (OAuth, userinfo, Admin API, Data API) and one call helper through the kit's `sendWithRetries`. Shared by the
 * credentials (`oauth.ts`, `service-account.ts`), discovery (`connector.ts`) and report reading (`extraction.ts`),
 * so every part talks to the same hosts with the same app credentials.
 */
import { TributaryError } from '../../domain/errors.ts';
import {
  GOOGLE_OAUTH_ENDPOINTS,
  type GoogleOAuthEndpoints,
  googleOAuthEndpointsAt,
} from '../google/account-oauth.ts';
import { configuredBaseUrl } from '../kit/base-url.ts';
import { type ProviderResponse, parseJsonBody, sendWithRetries } from '../kit/http.ts';
import type { ConnectorEnvironment } from '../kit/types.ts';
import { classifyGoogleApiResponse } from './errors.ts';

/** The hosts GA4_ADMIN_API_BASE_URL and GA4_DATA_API_BASE_URL may name (OAuth goes to Google's fixed endpoints). */
export const GA4_ALLOWED_HOSTS = ['analyticsadmin.googleapis.com', 'analyticsdata.googleapis.com'] as const;

/** OAuth client the built-in sandbox accepts; not a secret. */
export const GA4_SANDBOX_CLIENT_ID = 'tributary-sandbox-ga4.apps.googleusercontent.com';
export const GA4_SANDBOX_CLIENT_SECRET = 'tributary-sandbox-secret';

/** The API version of both the Admin and the Data API paths. */
export const GA4_API_VERSION = 'v1beta';

/** Everything a call needs to know about where Google is, resolved per call. */
export interface Ga4Settings {
  /** Google's OAuth endpoints (authorize, token, revoke, userinfo), real or the sandbox's. */
  oauthEndpoints: GoogleOAuthEndpoints;
  /** `…/v1beta` of the Analytics Admin API (account summaries, properties). */
  adminBase: string;
  /** `…/v1beta` of the Analytics Data API (runReport). */
  dataBase: string;
  /** The OAuth client; empty when the installation has none (service-account keys only). */
  clientId: string;
  clientSecret: string;
  sandbox: boolean;
}

/** True when users can sign in with Google (an OAuth client is configured, or the sandbox's). */
export function offersOAuth(settings: Ga4Settings | null): boolean {
  return settings !== null && settings.clientId !== '';
}

/** The real Google hosts, with the API base URLs an operator may override. */
function realSettings(
  environment: ConnectorEnvironment,
  clientId: string,
  clientSecret: string,
): Ga4Settings {
  const { env } = environment;
  const allowed = { hosts: GA4_ALLOWED_HOSTS, environment };
  const admin = configuredBaseUrl(
    env.GA4_ADMIN_API_BASE_URL,
    'https://analyticsadmin.googleapis.com',
    'GA4_ADMIN_API_BASE_URL',
    allowed,
  );
  const data = configuredBaseUrl(
    env.GA4_DATA_API_BASE_URL,
    'https://analyticsdata.googleapis.com',
    'GA4_DATA_API_BASE_URL',
    allowed,
  );
  return {
    oauthEndpoints: GOOGLE_OAUTH_ENDPOINTS,
    adminBase: `${admin}/${GA4_API_VERSION}`,
    dataBase: `${data}/${GA4_API_VERSION}`,
    clientId,
    clientSecret,
    sandbox: false,
  };
}

/**
 * Picks real mode with Google sign-in (both OAuth client values set), sandbox mode (sandbox URL available), or real
 * mode with service-account keys only (neither).
 * It runs on every call because the sandbox URL is known only after the server listens.
 */
export function resolveGa4Settings(environment: ConnectorEnvironment): Ga4Settings | null {
  const { env } = environment;
  const clientId = env.GA4_CLIENT_ID?.trim();
  const clientSecret = env.GA4_CLIENT_SECRET?.trim();
  if (clientId && clientSecret) return realSettings(environment, clientId, clientSecret);
  const sandboxUrl = environment.sandboxBaseUrl();
  // Without an OAuth client and without the sandbox, service-account keys still work: they need no app.
  if (!sandboxUrl) return realSettings(environment, '', '');
  const base = configuredBaseUrl(sandboxUrl, sandboxUrl, 'sandbox base URL');
  return {
    oauthEndpoints: googleOAuthEndpointsAt(base),
    adminBase: `${base}/admin/${GA4_API_VERSION}`,
    dataBase: `${base}/data/${GA4_API_VERSION}`,
    clientId: GA4_SANDBOX_CLIENT_ID,
    clientSecret: GA4_SANDBOX_CLIENT_SECRET,
    sandbox: true,
  };
}

/** The settings, or `provider_not_configured` naming what to set. */
export function requireGa4Settings(environment: ConnectorEnvironment): Ga4Settings {
  const settings = resolveGa4Settings(environment);
  if (!settings) {
    throw new TributaryError(
      'provider_not_configured',
      'Google Analytics 4 is not configured: set GA4_CLIENT_ID and GA4_CLIENT_SECRET, or turn the sandbox on',
    );
  }
  return settings;
}

/** Settings or null; invalid values count as "not configured" for the flags (calls report the reason). */
export function safeGa4Settings(environment: ConnectorEnvironment): Ga4Settings | null {
  try {
    return resolveGa4Settings(environment);
  } catch {
    return null;
  }
}

/** A `provider_malformed_response` naming the call (the label never carries a secret). */
export function malformed(label: string, what: string): TributaryError {
  return new TributaryError('provider_malformed_response', `Google Analytics 4: ${label} returned ${what}`);
}

/** True for a plain JSON object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The body as an object, or a malformed-response error. */
export function objectBody(body: unknown, label: string): Record<string, unknown> {
  if (!isRecord(body)) throw malformed(label, 'a body that is not a JSON object');
  return body;
}

/** One Google API call as {@link callGoogle} takes it. */
export interface GoogleCall {
  method: 'GET' | 'POST';
  url: string;
  /** What logs and errors show: never a token, code, key or secret (`GET /v1beta/accountSummaries`). */
  label: string;
  /** Sent as `Authorization: Bearer`. */
  accessToken?: string | undefined;
  /** A JSON body (POST). */
  json?: unknown;
  /** A form body (POST to the OAuth endpoints). */
  form?: Record<string, string>;
  /** Classifies the response; defaults to the google.rpc.Status classifier. */
  classify?: (response: ProviderResponse) => TributaryError | null;
  onAttempt?: () => void;
  onQuotaWait?: (ms: number) => void;
  signal?: AbortSignal;
  /** True when the answer's body is not needed (revocation answers 200 with an empty body). */
  ignoreBody?: boolean;
}

/** Sends one call through the kit (retries, quota waits, cancellation) and returns its parsed JSON body. */
export async function callGoogle(environment: ConnectorEnvironment, call: GoogleCall): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (call.accessToken !== undefined) headers.authorization = `Bearer ${call.accessToken}`;
  let body: string | undefined;
  if (call.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(call.json);
  } else if (call.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(call.form).toString();
  }
  const response = await sendWithRetries(
    environment.fetch,
    environment.http,
    {
      method: call.method,
      url: call.url,
      label: call.label,
      headers,
      ...(body === undefined ? {} : { body }),
    },
    {
      classify: call.classify ?? ((answer) => classifyGoogleApiResponse(answer)),
      ...(call.onAttempt ? { onAttempt: call.onAttempt } : {}),
      ...(call.onQuotaWait ? { onQuotaWait: call.onQuotaWait } : {}),
      ...(call.signal ? { signal: call.signal } : {}),
    },
  );
  if (call.ignoreBody) return undefined;
  return parseJsonBody(response, call.label);
}
