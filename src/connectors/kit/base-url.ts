/**
 * The base URL of a provider host as every connector takes it: the operator's override (an environment variable)
 * or the provider's host, or the sandbox's base URL. A bad value is the installation's configuration, so it is
 * refused as `provider_not_configured` naming the variable.
 *
 * An override must name one of the connector's allowed hosts (the provider's own, listed in the connector's folder),
 * over https: a base URL receives access tokens and app secrets, so pointing it at another host (a cloud metadata
 * address, an internal service, someone else's server) would turn the product into a proxy that hands them over.
 * Loopback hosts (over http or https) are allowed only while the sandbox is on, or when the operator says so with
 * `TRIBUTARY_ALLOW_LOOPBACK_PROVIDERS=1` (a local recording proxy, a self-run fake).
 */
import { TributaryError } from '../../domain/errors.ts';
import { isLoopbackHost } from '../../domain/loopback.ts';
import type { ConnectorEnvironment } from './types.ts';

/** Where an override may point: the provider's hosts, and whether loopback is allowed in this process. */
export interface AllowedHosts {
  /** Exact host names (no wildcards): the provider's real API and sign-in hosts. */
  hosts: readonly string[];
  /** The connector's environment: loopback is allowed when its sandbox is on or it was allowed explicitly. */
  environment: Pick<ConnectorEnvironment, 'sandboxBaseUrl' | 'allowLoopbackHosts'>;
}

function refuse(variable: string, reason: string, allowed: AllowedHosts | undefined): TributaryError {
  return new TributaryError('provider_not_configured', `${variable} ${reason}`, {
    details: allowed ? { variable, allowedHosts: [...allowed.hosts] } : { variable },
  });
}

/**
 * `value` (else `fallback`) as an absolute http(s) URL without trailing slashes; `variable` names it in errors.
 * With `allowed`, an override (a `value`) must also be on one of the allowed hosts: see the module comment. The
 * fallback is the connector's own constant (a real host, or the sandbox's URL), so it is not checked.
 */
export function configuredBaseUrl(
  value: string | undefined,
  fallback: string,
  variable: string,
  allowed?: AllowedHosts,
): string {
  const override = value?.trim();
  const raw = override || fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse(variable, 'must be an absolute http(s) URL', allowed);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw refuse(variable, 'must be an absolute http(s) URL', allowed);
  }
  if (override && allowed) checkHost(url, variable, allowed);
  return raw.replace(/\/+$/, '');
}

function checkHost(url: URL, variable: string, allowed: AllowedHosts): void {
  const list = allowed.hosts.join(', ');
  if (url.username || url.password) throw refuse(variable, 'must not carry a user name or password', allowed);
  if (isLoopbackHost(url.hostname)) {
    const { environment } = allowed;
    if (environment.sandboxBaseUrl() !== null || environment.allowLoopbackHosts === true) return;
    throw refuse(
      variable,
      `points at a loopback address (${url.host}); that is allowed only while the sandbox is on or with TRIBUTARY_ALLOW_LOOPBACK_PROVIDERS=1. Allowed hosts: ${list}`,
      allowed,
    );
  }
  if (!allowed.hosts.includes(url.hostname.toLowerCase())) {
    throw refuse(
      variable,
      `points at ${url.host}, which is not one of the provider's hosts: ${list}`,
      allowed,
    );
  }
  // Tokens and app secrets travel to this host: never in clear text, and only on the provider's own port.
  if (url.protocol !== 'https:') throw refuse(variable, `must use https (allowed hosts: ${list})`, allowed);
  if (url.port !== '') throw refuse(variable, `must not name a port (allowed hosts: ${list})`, allowed);
}
