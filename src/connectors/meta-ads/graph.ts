/**
 * Where Meta is and how Graph URLs are built: mode selection (real / sandbox / unconfigured), versioned URLs,
 * and the `paging.next` guard. Shared by the login/discovery code (`connector.ts`) and report reading
 * (`insights-reader.ts`) so both follow the same origin and token rules.
 */
import { TributaryError } from '../../domain/errors.ts';
import { configuredBaseUrl } from '../kit/base-url.ts';
import type { ConnectorEnvironment } from '../kit/types.ts';

/** The hosts META_GRAPH_BASE_URL and META_DIALOG_BASE_URL may name: Meta's Graph API and Facebook Login. */
export const META_ALLOWED_HOSTS = ['graph.facebook.com', 'www.facebook.com', 'm.facebook.com'] as const;

/** App credentials the built-in sandbox accepts; they are not secrets. */
export const META_SANDBOX_CLIENT_ID = 'tributary-sandbox-app';
export const META_SANDBOX_CLIENT_SECRET = 'tributary-sandbox-secret';

/** Everything a call needs to know about where Meta is, resolved per call. */
export interface MetaSettings {
  graphBase: string;
  dialogBase: string;
  version: string;
  clientId: string;
  clientSecret: string;
  sandbox: boolean;
}

/**
 * Picks real mode (both app credentials set), sandbox mode (sandbox URL available), or null (unconfigured).
 * It runs on every call because the sandbox URL is known only after the server listens.
 */
export function resolveMetaSettings(environment: ConnectorEnvironment): MetaSettings | null {
  const { env } = environment;
  const version = env.META_API_VERSION?.trim() || 'v25.0';
  // The version is pasted into every URL path; a strict shape keeps it from smuggling in a path or query.
  if (!/^v\d+\.\d+$/.test(version)) {
    throw new TributaryError('provider_not_configured', 'META_API_VERSION must look like v25.0');
  }
  const appId = env.META_APP_ID?.trim();
  const appSecret = env.META_APP_SECRET?.trim();
  if (appId && appSecret) {
    const allowed = { hosts: META_ALLOWED_HOSTS, environment };
    return {
      graphBase: configuredBaseUrl(
        env.META_GRAPH_BASE_URL,
        'https://graph.facebook.com',
        'META_GRAPH_BASE_URL',
        allowed,
      ),
      dialogBase: configuredBaseUrl(
        env.META_DIALOG_BASE_URL,
        'https://www.facebook.com',
        'META_DIALOG_BASE_URL',
        allowed,
      ),
      version,
      clientId: appId,
      clientSecret: appSecret,
      sandbox: false,
    };
  }
  const sandboxUrl = environment.sandboxBaseUrl();
  if (!sandboxUrl) return null;
  const base = configuredBaseUrl(sandboxUrl, sandboxUrl, 'sandbox base URL');
  return {
    graphBase: base,
    dialogBase: base,
    version,
    clientId: META_SANDBOX_CLIENT_ID,
    clientSecret: META_SANDBOX_CLIENT_SECRET,
    sandbox: true,
  };
}

/** The settings, or `provider_not_configured` naming what to set. */
export function requireMetaSettings(environment: ConnectorEnvironment): MetaSettings {
  const settings = resolveMetaSettings(environment);
  if (!settings) {
    throw new TributaryError(
      'provider_not_configured',
      'Meta Ads is not configured: set META_APP_ID and META_APP_SECRET, or turn the sandbox on',
    );
  }
  return settings;
}

/** `{graphBase}/{version}{path}` with query parameters. */
export function graphUrl(settings: MetaSettings, path: string, params: Record<string, string> = {}): string {
  const url = new URL(`${settings.graphBase}/${settings.version}${path}`);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

/** A `provider_malformed_response` naming the call (the label never carries a secret). */
export function malformed(label: string, what: string): TributaryError {
  return new TributaryError('provider_malformed_response', `Meta Ads: ${label} returned ${what}`);
}

/** Resolves `paging.next`, refusing any host but the Graph API: the token must not be sent elsewhere. */
export function nextPageUrl(settings: MetaSettings, next: string, label: string): string {
  let url: URL;
  try {
    url = new URL(next);
  } catch {
    throw malformed(label, 'a paging.next that is not an absolute URL');
  }
  if (url.origin !== new URL(settings.graphBase).origin) {
    throw malformed(label, `a paging.next link to another host (${url.origin})`);
  }
  // Graph echoes ?access_token= into next links when a caller used it; we authenticate by header only.
  url.searchParams.delete('access_token');
  return url.toString();
}

/** Reads `paging.next` of a Graph list page: the link, or null on the last page. */
export function pagingNext(body: Record<string, unknown>, label: string): string | null {
  const paging = body.paging;
  if (typeof paging !== 'object' || paging === null || !('next' in paging)) return null;
  const value = (paging as { next: unknown }).next;
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value === '') throw malformed(label, 'a paging.next that is not a URL');
  return value;
}
