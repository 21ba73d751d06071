/**
 * Google's own reading of its OAuth answers: the token endpoint's `{error, error_description}` (RFC 6749), the
 * bearer endpoints' google.rpc.Status, and the token answer itself. The default of the account OAuth flow
 * (`account-oauth.ts`); a connector with its own classification (GA4) passes its readers instead.
 */
import { TributaryError } from '../../domain/errors.ts';
import { jsonOf, type ProviderResponse } from '../kit/http.ts';
import type { TokenSet } from '../kit/types.ts';
import { parseRpcStatus } from './rpc-status.ts';

/** Which grant a token-endpoint answer belongs to: `invalid_grant` means different things for each. */
export type GoogleGrant = 'authorization_code' | 'refresh_token';

/** The `{error, error_description}` of an OAuth endpoint answer, when it has one. */
export function oauthErrorOf(
  response: ProviderResponse,
): { error: string; description: string | null } | null {
  const json = jsonOf(response);
  if (!json.ok || typeof json.value !== 'object' || json.value === null) return null;
  const body = json.value as Record<string, unknown>;
  if (typeof body.error !== 'string') return null;
  const description = typeof body.error_description === 'string' ? body.error_description : null;
  return { error: body.error, description };
}

/** Seconds of a `Retry-After` header, when it holds a number. */
function retryAfterMs(response: ProviderResponse): number | null {
  const value = response.headers.get('retry-after');
  return value && /^\d+$/.test(value.trim()) ? Number(value) * 1000 : null;
}

/** Errors shared by every Google endpoint: throttling and outages. Null when the status is not one of them. */
function transportError(response: ProviderResponse, what: string): TributaryError | null {
  if (response.status === 429) {
    const wait = retryAfterMs(response) ?? 10_000;
    return new TributaryError('rate_limited', `${what}: HTTP 429 Too Many Requests`, {
      retryAt: new Date(Date.now() + wait),
    });
  }
  if (response.status === 504) return new TributaryError('provider_timeout', `${what}: HTTP 504`);
  if (response.status >= 500)
    return new TributaryError('provider_unavailable', `${what}: HTTP ${response.status}`);
  return null;
}

/**
 * Classifies an answer of Google's token endpoint. `invalid_grant` on a refresh means the grant is gone (revoked,
 * password changed, a Testing app's 7-day limit): only a new consent helps. On a code exchange it means the code
 * was used, expired or issued for another redirect URI: the user authorizes again. `invalid_client` is our app's
 * configuration.
 */
export function classifyGoogleTokenResponse(
  response: ProviderResponse,
  grant: GoogleGrant,
  product: string,
): TributaryError | null {
  if (response.status >= 200 && response.status < 300) return null;
  const what = `${product}: Google token endpoint`;
  const transport = transportError(response, what);
  if (transport) return transport;
  const oauth = oauthErrorOf(response);
  const reason = oauth ? `${oauth.error}${oauth.description ? ` (${oauth.description})` : ''}` : null;
  const message = `${what} refused the ${grant === 'refresh_token' ? 'refresh' : 'code exchange'}: ${
    reason ?? `HTTP ${response.status}`
  }`;
  if (oauth?.error === 'invalid_grant') {
    return new TributaryError(grant === 'refresh_token' ? 'auth_token_revoked' : 'oauth_denied', message);
  }
  if (oauth?.error === 'invalid_client' || oauth?.error === 'unauthorized_client') {
    return new TributaryError('provider_not_configured', `${message}; check the OAuth client id and secret`);
  }
  return new TributaryError('provider_error', message, { details: { httpStatus: response.status } });
}

/** Classifies an answer of an endpoint called with the access token (userinfo, revoke); `what` names it. */
export function classifyGoogleBearerResponse(
  response: ProviderResponse,
  what: string,
): TributaryError | null {
  if (response.status >= 200 && response.status < 300) return null;
  const transport = transportError(response, what);
  if (transport) return transport;
  const json = jsonOf(response);
  const rpc = json.ok ? parseRpcStatus(json.value) : null;
  const oauth = oauthErrorOf(response);
  const reason = rpc?.message ?? oauth?.description ?? oauth?.error ?? `HTTP ${response.status}`;
  // Google answers an expired, revoked or unknown token alike (401, `invalid_token`); a refresh tells them apart.
  if (response.status === 401) return new TributaryError('auth_token_expired', `${what}: ${reason}`);
  if (response.status === 403) return new TributaryError('permission_denied', `${what}: ${reason}`);
  return new TributaryError('provider_error', `${what}: ${reason}`, {
    details: { httpStatus: response.status },
  });
}

/** Reads a token answer `{access_token, expires_in, refresh_token?, scope, token_type, id_token?}`. */
export function parseGoogleTokenAnswer(body: unknown, label: string, now: Date = new Date()): TokenSet {
  const malformed = (what: string) =>
    new TributaryError('provider_malformed_response', `${label} returned ${what}`);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw malformed('a non-object body');
  const answer = body as Record<string, unknown>;
  if (typeof answer.access_token !== 'string' || answer.access_token === '')
    throw malformed('no access_token');
  const token: TokenSet = {
    accessToken: answer.access_token,
    scopes: typeof answer.scope === 'string' ? answer.scope.split(' ').filter((scope) => scope !== '') : [],
  };
  if (typeof answer.refresh_token === 'string' && answer.refresh_token !== '') {
    token.refreshToken = answer.refresh_token;
  }
  if (typeof answer.expires_in === 'number' && Number.isFinite(answer.expires_in) && answer.expires_in > 0) {
    token.expiresAt = new Date(now.getTime() + answer.expires_in * 1000).toISOString();
  }
  return token;
}

/**
 * A refreshed token over the one it replaces. Google does not rotate refresh tokens, so the old one is kept when
 * the answer has none (it normally has none); an answer without scopes keeps what was granted.
 */
export function mergeRefreshedToken(previous: TokenSet, fresh: TokenSet): TokenSet {
  return {
    ...previous,
    ...fresh,
    refreshToken: fresh.refreshToken ?? previous.refreshToken,
    scopes: fresh.scopes.length > 0 ? fresh.scopes : previous.scopes,
  };
}
