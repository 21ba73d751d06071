/**
 * The base URL of a provider host as every connector takes it: the operator's override (an environment variable)
 * or the provider's host, or the sandbox's base URL. A bad value is the installation's configuration, so it is
 * refused as `provider_not_configured` naming the variable.
 */
import { TributaryError } from '../../domain/errors.ts';

/** `value` (else `fallback`) as an absolute http(s) URL without trailing slashes; `variable` names it in errors. */
export function configuredBaseUrl(value: string | undefined, fallback: string, variable: string): string {
  const raw = value?.trim() || fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TributaryError('provider_not_configured', `${variable} must be an absolute http(s) URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TributaryError('provider_not_configured', `${variable} must be an absolute http(s) URL`);
  }
  return raw.replace(/\/+$/, '');
}
