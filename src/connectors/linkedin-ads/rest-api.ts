/**
 * Where LinkedIn is and how a call is sent: mode selection (real / sandbox / unconfigured), the hosts
 * (`www.linkedin.com` for OAuth, `api.linkedin.com` for `/v2/userinfo` and the versioned `/rest` API), the headers
 * every `/rest` call needs (`LinkedIn-Version`, `X-Restli-Protocol-Version: 2.0.0`) and the one send path through
 * the kit. Shared by login, discovery and report reading so all talk to the same host with the same app.
 */
import { TributaryError } from '../../domain/errors.ts';
import { configuredBaseUrl } from '../kit/base-url.ts';
import { type ProviderResponse, parseJsonBody, sendWithRetries } from '../kit/http.ts';
import type { ConnectorEnvironment } from '../kit/types.ts';
import { classifyLinkedInResponse } from './errors.ts';

/** The hosts LINKEDIN_API_BASE_URL and LINKEDIN_AUTH_BASE_URL may name: the API and LinkedIn's OAuth host. */
export const LINKEDIN_ALLOWED_HOSTS = ['api.linkedin.com', 'www.linkedin.com'] as const;

/** App credentials the built-in sandbox accepts (the agreement's); they are not secrets. */
export const LINKEDIN_SANDBOX_CLIENT_ID = 'tributary-sandbox-client';
export const LINKEDIN_SANDBOX_CLIENT_SECRET = 'tributary-sandbox-secret';

/** The monthly API version sent when `LINKEDIN_VERSION` is not set (each version is sunset after about a year). */
export const DEFAULT_LINKEDIN_VERSION = '202511';

/** Everything a call needs to know about where LinkedIn is, resolved per call. */
export interface LinkedInSettings {
  /** Origin (and prefix) of `/rest/…` and `/v2/userinfo`. */
  apiBase: string;
  /** Origin (and prefix) of `/oauth/v2/…`. */
  authBase: string;
  clientId: string;
  clientSecret: string;
  /** `YYYYMM`, sent as `LinkedIn-Version`. */
  version: string;
  sandbox: boolean;
}

function versionOf(value: string | undefined): string {
  const version = value?.trim() || DEFAULT_LINKEDIN_VERSION;
  if (!/^\d{6}$/.test(version)) {
    throw new TributaryError(
      'provider_not_configured',
      'LINKEDIN_VERSION must be a YYYYMM version, e.g. 202511',
    );
  }
  return version;
}

/**
 * Picks real mode (both app credentials set), sandbox mode (sandbox URL available), or null (unconfigured).
 * It runs on every call because the sandbox URL is known only after the server listens.
 */
export function resolveLinkedInSettings(environment: ConnectorEnvironment): LinkedInSettings | null {
  const { env } = environment;
  const clientId = env.LINKEDIN_CLIENT_ID?.trim();
  const clientSecret = env.LINKEDIN_CLIENT_SECRET?.trim();
  const version = versionOf(env.LINKEDIN_VERSION);
  if (clientId && clientSecret) {
    const allowed = { hosts: LINKEDIN_ALLOWED_HOSTS, environment };
    return {
      apiBase: configuredBaseUrl(
        env.LINKEDIN_API_BASE_URL,
        'https://api.linkedin.com',
        'LINKEDIN_API_BASE_URL',
        allowed,
      ),
      authBase: configuredBaseUrl(
        env.LINKEDIN_AUTH_BASE_URL,
        'https://www.linkedin.com',
        'LINKEDIN_AUTH_BASE_URL',
        allowed,
      ),
      clientId,
      clientSecret,
      version,
      sandbox: false,
    };
  }
  const sandboxUrl = environment.sandboxBaseUrl();
  if (!sandboxUrl) return null;
  const base = configuredBaseUrl(sandboxUrl, sandboxUrl, 'sandbox base URL');
  return {
    apiBase: base,
    authBase: base,
    clientId: LINKEDIN_SANDBOX_CLIENT_ID,
    clientSecret: LINKEDIN_SANDBOX_CLIENT_SECRET,
    version,
    sandbox: true,
  };
}

/** The settings, or `provider_not_configured` naming what to set. */
export function requireLinkedInSettings(environment: ConnectorEnvironment): LinkedInSettings {
  const settings = resolveLinkedInSettings(environment);
  if (!settings) {
    throw new TributaryError(
      'provider_not_configured',
      'LinkedIn Ads is not configured: set LINKEDIN_CLIENT_ID and LINKEDIN_CLIENT_SECRET, or turn the sandbox on',
    );
  }
  return settings;
}

/** A `provider_malformed_response` naming the call (the label never carries a secret). */
export function malformed(label: string, what: string): TributaryError {
  return new TributaryError('provider_malformed_response', `LinkedIn Ads: ${label} returned ${what}`);
}

/** One call as {@link callLinkedIn} takes it. */
export interface LinkedInCall {
  method: 'GET' | 'POST';
  /** The full URL; `/rest` query strings are already Rest.li-encoded (see `restli.ts`). */
  url: string;
  /** What logs and errors show: never a token, code or secret (`GET /rest/adAccounts`). */
  label: string;
  /** Sent as `Authorization: Bearer …`. */
  accessToken?: string | undefined;
  /** Adds `LinkedIn-Version` and `X-Restli-Protocol-Version`: every `/rest` call needs both. */
  versioned?: boolean;
  /** An `application/x-www-form-urlencoded` body (the OAuth endpoints). */
  form?: Record<string, string>;
  /** Classifies responses; defaults to the `/rest` classifier. */
  classify?: (response: ProviderResponse) => TributaryError | null;
  onAttempt?: () => void;
  onQuotaWait?: (ms: number) => void;
  signal?: AbortSignal;
}

/** Sends one call through the kit (retries, quota waits, cancellation) and returns its parsed JSON body. */
export async function callLinkedIn(
  environment: ConnectorEnvironment,
  settings: LinkedInSettings,
  call: LinkedInCall,
): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (call.accessToken !== undefined) headers.authorization = `Bearer ${call.accessToken}`;
  if (call.versioned) {
    headers['LinkedIn-Version'] = settings.version;
    headers['X-Restli-Protocol-Version'] = '2.0.0';
  }
  if (call.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  const response = await sendWithRetries(
    environment.fetch,
    environment.http,
    {
      method: call.method,
      url: call.url,
      label: call.label,
      headers,
      ...(call.form === undefined ? {} : { body: new URLSearchParams(call.form).toString() }),
    },
    {
      classify:
        call.classify ?? ((response) => classifyLinkedInResponse(response, { version: settings.version })),
      ...(call.onAttempt ? { onAttempt: call.onAttempt } : {}),
      ...(call.onQuotaWait ? { onQuotaWait: call.onQuotaWait } : {}),
      ...(call.signal ? { signal: call.signal } : {}),
    },
  );
  return parseJsonBody(response, call.label);
}

/** A JSON object, or a malformed-response error naming the call. */
export function objectBody(body: unknown, label: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw malformed(label, 'a body that is not a JSON object');
  }
  return body as Record<string, unknown>;
}
