/**
 * Google's OAuth 2.0 for web server apps (https://developers.google.com/identity/protocols/oauth2/web-server):
 * the authorization URL with PKCE and offline access, the code exchange, the refresh grant, revocation and the
 * OpenID Connect userinfo identity. Knows nothing of Google Ads: any Google data source can use it with its own
 * client, endpoints and product name (the GA4 connector has the same needs).
 */
import { TributaryError } from '../../domain/errors.ts';
import { jsonOf, type ProviderResponse, parseJsonBody, sendWithRetries } from '../kit/http.ts';
import type { ConnectorEnvironment, TokenSet } from '../kit/types.ts';
import { parseRpcStatus } from './google-rpc-status.ts';

/** Where Google's OAuth endpoints are (the real ones, or a sandbox's). */
export interface GoogleOAuthEndpoints {
  authorize: string;
  token: string;
  revoke: string;
  userinfo: string;
}

/** Google's production endpoints. */
export const GOOGLE_OAUTH_ENDPOINTS: GoogleOAuthEndpoints = {
  authorize: 'https://accounts.google.com/o/oauth2/v2/auth',
  token: 'https://oauth2.googleapis.com/token',
  revoke: 'https://oauth2.googleapis.com/revoke',
  userinfo: 'https://openidconnect.googleapis.com/v1/userinfo',
};

/** The same endpoints under one base URL, as a sandbox serves them (`{base}/o/oauth2/v2/auth`, `{base}/token`…). */
export function googleOAuthEndpointsAt(base: string): GoogleOAuthEndpoints {
  return {
    authorize: `${base}/o/oauth2/v2/auth`,
    token: `${base}/token`,
    revoke: `${base}/revoke`,
    userinfo: `${base}/v1/userinfo`,
  };
}

/** A Google OAuth client (a Cloud project's "Web application" credentials) and where it talks to. */
export interface GoogleOAuthClient {
  clientId: string;
  clientSecret: string;
  endpoints: GoogleOAuthEndpoints;
  /** Names the product in error messages, e.g. `Google Ads`. */
  product: string;
}

/** The signed-in Google user, from the OpenID Connect userinfo endpoint. */
export interface GoogleUser {
  /** Google's stable user id. */
  sub: string;
  email: string | null;
  name: string | null;
}

/** The HTTP side of a call: the environment's fetch and settings. */
type Transport = Pick<ConnectorEnvironment, 'fetch' | 'http'>;

/**
 * The consent URL. `access_type=offline` asks for a refresh token and `prompt=consent` makes Google send one again
 * on a reconnect (it sends it only on the first consent otherwise).
 */
export function googleAuthorizationUrl(
  client: GoogleOAuthClient,
  input: { state: string; redirectUri: string; scopes: string[]; codeChallenge?: string | undefined },
): string {
  const url = new URL(client.endpoints.authorize);
  url.searchParams.set('client_id', client.clientId);
  url.searchParams.set('redirect_uri', input.redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', input.scopes.join(' '));
  url.searchParams.set('state', input.state);
  url.searchParams.set('access_type', 'offline');
  url.searchParams.set('prompt', 'consent');
  if (input.codeChallenge) {
    url.searchParams.set('code_challenge', input.codeChallenge);
    url.searchParams.set('code_challenge_method', 'S256');
  }
  return url.toString();
}

/** Which grant a token-endpoint answer belongs to: `invalid_grant` means different things for each. */
type Grant = 'authorization_code' | 'refresh_token';

/** The `{error, error_description}` of an OAuth endpoint answer, when it has one. */
function oauthErrorOf(response: ProviderResponse): { error: string; description: string | null } | null {
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
  grant: Grant,
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

/** Classifies an answer of an endpoint called with the access token (userinfo). */
function classifyBearerResponse(response: ProviderResponse, what: string): TributaryError | null {
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

function form(fields: Record<string, string | undefined>): string {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) body.set(key, value);
  return body.toString();
}

const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };

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

async function tokenCall(
  transport: Transport,
  client: GoogleOAuthClient,
  grant: Grant,
  fields: Record<string, string | undefined>,
): Promise<TokenSet> {
  // The label names the grant only: codes, refresh tokens and the client secret never reach logs.
  const label = `POST /token (${grant})`;
  const response = await sendWithRetries(
    transport.fetch,
    transport.http,
    {
      method: 'POST',
      url: client.endpoints.token,
      label,
      headers: FORM_HEADERS,
      body: form({
        ...fields,
        grant_type: grant,
        client_id: client.clientId,
        client_secret: client.clientSecret,
      }),
    },
    { classify: (answer) => classifyGoogleTokenResponse(answer, grant, client.product) },
  );
  return parseGoogleTokenAnswer(parseJsonBody(response, label), `${client.product}: ${label}`);
}

/** Exchanges the callback code (with the PKCE verifier when the URL carried a challenge). */
export function exchangeGoogleCode(
  transport: Transport,
  client: GoogleOAuthClient,
  input: { code: string; redirectUri: string; codeVerifier?: string | undefined },
): Promise<TokenSet> {
  return tokenCall(transport, client, 'authorization_code', {
    code: input.code,
    redirect_uri: input.redirectUri,
    code_verifier: input.codeVerifier,
  });
}

/**
 * A new access token from the refresh token. Google does not rotate refresh tokens, so the old one is kept when
 * the answer has none (it normally has none); `invalid_grant` → `auth_token_revoked`.
 */
export async function refreshGoogleToken(
  transport: Transport,
  client: GoogleOAuthClient,
  token: TokenSet,
): Promise<TokenSet> {
  if (!token.refreshToken) {
    throw new TributaryError(
      'auth_token_revoked',
      `${client.product}: the credential has no refresh token; reconnect to grant offline access`,
    );
  }
  const fresh = await tokenCall(transport, client, 'refresh_token', { refresh_token: token.refreshToken });
  return {
    ...token,
    ...fresh,
    refreshToken: fresh.refreshToken ?? token.refreshToken,
    // A refresh answer names the scopes again; an answer without them keeps what was granted.
    scopes: fresh.scopes.length > 0 ? fresh.scopes : token.scopes,
  };
}

/**
 * Revokes the grant (revoking either token ends both). A token Google no longer knows (`invalid_token`) is
 * already as revoked as it gets.
 */
export async function revokeGoogleToken(
  transport: Transport,
  client: GoogleOAuthClient,
  token: TokenSet,
): Promise<void> {
  const what = `${client.product}: Google revoke endpoint`;
  await sendWithRetries(
    transport.fetch,
    transport.http,
    {
      method: 'POST',
      url: client.endpoints.revoke,
      label: 'POST /revoke',
      headers: FORM_HEADERS,
      body: form({ token: token.refreshToken ?? token.accessToken }),
    },
    {
      classify: (response) => {
        if (response.status === 400 && oauthErrorOf(response)?.error === 'invalid_token') return null;
        return classifyBearerResponse(response, what);
      },
    },
  );
}

/** Who the token belongs to: `sub`, `email`, `name` from the OpenID Connect userinfo endpoint. */
export async function googleUserinfo(
  transport: Transport,
  client: GoogleOAuthClient,
  token: TokenSet,
): Promise<GoogleUser> {
  const label = 'GET /v1/userinfo';
  const response = await sendWithRetries(
    transport.fetch,
    transport.http,
    {
      method: 'GET',
      url: client.endpoints.userinfo,
      label,
      headers: { authorization: `Bearer ${token.accessToken}`, accept: 'application/json' },
    },
    { classify: (answer) => classifyBearerResponse(answer, `${client.product}: Google userinfo`) },
  );
  const body = parseJsonBody(response, label);
  const user = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (typeof user.sub !== 'string' || user.sub === '') {
    throw new TributaryError('provider_malformed_response', `${client.product}: ${label} returned no sub`);
  }
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  return { sub: user.sub, email: text(user.email), name: text(user.name) };
}
