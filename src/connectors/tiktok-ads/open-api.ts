/**
 * Where TikTok is and how its URLs are built: mode selection (real / sandbox / unconfigured) and the
 * `/open_api/v1.3/…/` paths. Shared by login and discovery (`connector.ts`) and report reading
 * (`report-reader.ts`) so both talk to the same host with the same app credentials.
 */
import { TributaryError } from '../../domain/errors.ts';
import { configuredBaseUrl } from '../kit/base-url.ts';
import { parseJsonBody, sendWithRetries } from '../kit/http.ts';
import type { ConnectorEnvironment } from '../kit/types.ts';
import { throttleAwareClassifier } from './errors.ts';

/** The hosts TIKTOK_API_BASE_URL and TIKTOK_AUTH_BASE_URL may name: the Marketing API (and its test host). */
export const TIKTOK_ALLOWED_HOSTS = ['business-api.tiktok.com', 'sandbox-ads.tiktok.com'] as const;

/** App credentials the built-in sandbox accepts; they are not secrets. */
export const TIKTOK_SANDBOX_APP_ID = 'tributary-sandbox-app';
export const TIKTOK_SANDBOX_APP_SECRET = 'tributary-sandbox-secret';

/** The Marketing API version every path is under. */
export const TIKTOK_API_VERSION = 'v1.3';

/** Everything a call needs to know about where TikTok is, resolved per call. */
export interface TiktokSettings {
  /** Origin (and prefix) of `/open_api/…`. */
  apiBase: string;
  /** Origin (and prefix) of `/portal/auth`. */
  authBase: string;
  appId: string;
  secret: string;
  sandbox: boolean;
}

/**
 * Picks real mode (both app credentials set), sandbox mode (sandbox URL available), or null (unconfigured).
 * It runs on every call because the sandbox URL is known only after the server listens.
 */
export function resolveTiktokSettings(environment: ConnectorEnvironment): TiktokSettings | null {
  const { env } = environment;
  const appId = env.TIKTOK_APP_ID?.trim();
  const secret = env.TIKTOK_APP_SECRET?.trim();
  if (appId && secret) {
    const allowed = { hosts: TIKTOK_ALLOWED_HOSTS, environment };
    return {
      apiBase: configuredBaseUrl(
        env.TIKTOK_API_BASE_URL,
        'https://business-api.tiktok.com',
        'TIKTOK_API_BASE_URL',
        allowed,
      ),
      authBase: configuredBaseUrl(
        env.TIKTOK_AUTH_BASE_URL,
        'https://business-api.tiktok.com',
        'TIKTOK_AUTH_BASE_URL',
        allowed,
      ),
      appId,
      secret,
      sandbox: false,
    };
  }
  const sandboxUrl = environment.sandboxBaseUrl();
  if (!sandboxUrl) return null;
  const base = configuredBaseUrl(sandboxUrl, sandboxUrl, 'sandbox base URL');
  return {
    apiBase: base,
    authBase: base,
    appId: TIKTOK_SANDBOX_APP_ID,
    secret: TIKTOK_SANDBOX_APP_SECRET,
    sandbox: true,
  };
}

/** The settings, or `provider_not_configured` naming what to set. */
export function requireTiktokSettings(environment: ConnectorEnvironment): TiktokSettings {
  const settings = resolveTiktokSettings(environment);
  if (!settings) {
    throw new TributaryError(
      'provider_not_configured',
      'TikTok Ads is not configured: set TIKTOK_APP_ID and TIKTOK_APP_SECRET, or turn the sandbox on',
    );
  }
  return settings;
}

/**
 * `{apiBase}/open_api/v1.3/{path}` with query parameters. `path` is written with its trailing slash
 * (`user/info/`): TikTok answers a path without it with HTTP 404.
 */
export function openApiUrl(
  settings: TiktokSettings,
  path: string,
  params: Record<string, string> = {},
): string {
  const url = new URL(`${settings.apiBase}/open_api/${TIKTOK_API_VERSION}/${path}`);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

/** A `provider_malformed_response` naming the call (the label never carries a secret). */
export function malformed(label: string, what: string): TributaryError {
  return new TributaryError('provider_malformed_response', `TikTok Ads: ${label} returned ${what}`);
}

/**
 * The `data` object of a successful envelope `{"code":0,"message","request_id","data":{…}}`. The classifier has
 * already turned non-zero codes into errors, so anything else here is a malformed answer.
 */
export function envelopeData(body: unknown, label: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw malformed(label, 'a body that is not a JSON object');
  }
  const data = (body as { data?: unknown }).data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw malformed(label, 'an envelope without a data object');
  }
  return data as Record<string, unknown>;
}

/** One Marketing API call as {@link callOpenApi} takes it. */
export interface OpenApiCall {
  method: 'GET' | 'POST';
  url: string;
  /** What logs and errors show: never a token, code or secret (`GET /user/info/`). */
  label: string;
  /** Sent in the `Access-Token` header, TikTok's only place for it. */
  accessToken?: string | undefined;
  /** A JSON body (POST only). */
  json?: Record<string, unknown>;
  onAttempt?: () => void;
  onQuotaWait?: (ms: number) => void;
  signal?: AbortSignal;
  /** Reads the (already validated) JSON text; defaults to `JSON.parse`. */
  parse?: (text: string) => unknown;
}

/** Sends one call through the kit (retries, throttle back-off, cancellation) and returns its parsed body. */
export async function callOpenApi(environment: ConnectorEnvironment, call: OpenApiCall): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (call.accessToken !== undefined) headers['Access-Token'] = call.accessToken;
  if (call.json !== undefined) headers['content-type'] = 'application/json';
  const response = await sendWithRetries(
    environment.fetch,
    environment.http,
    {
      method: call.method,
      url: call.url,
      label: call.label,
      headers,
      ...(call.json === undefined ? {} : { body: JSON.stringify(call.json) }),
    },
    {
      classify: throttleAwareClassifier(),
      ...(call.onAttempt ? { onAttempt: call.onAttempt } : {}),
      ...(call.onQuotaWait ? { onQuotaWait: call.onQuotaWait } : {}),
      ...(call.signal ? { signal: call.signal } : {}),
    },
  );
  if (!call.parse) return parseJsonBody(response, call.label);
  try {
    return call.parse(response.text);
  } catch {
    throw malformed(call.label, 'a body that is not valid JSON');
  }
}
