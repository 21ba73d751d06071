/**
 * Google's OAuth 2.0 for web server apps (https://developers.google.com/identity/protocols/oauth2/web-server), the
 * sign-in of a Google account: the authorization URL with PKCE and offline access, the code exchange, the refresh
 * grant, revocation and the OpenID Connect userinfo identity. Knows no Google product: each connector (Google Ads,
 * GA4) passes its client, its endpoints (real or sandbox), its scopes and, when it classifies Google's answers its
 * own way, its readers; Google's own reading (`oauth-answers.ts`) is the default.
 */
import { TributaryError } from '../../domain/errors.ts';
import { type ProviderResponse, parseJsonBody, sendWithRetries } from '../kit/http.ts';
import type { ConnectorEnvironment, ProviderIdentity, TokenSet } from '../kit/types.ts';
import {
  classifyGoogleBearerResponse,
  classifyGoogleTokenResponse,
  type GoogleGrant,
  mergeRefreshedToken,
  oauthErrorOf,
  parseGoogleTokenAnswer,
} from './oauth-answers.ts';

export type { GoogleGrant } from './oauth-answers.ts';

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

/**
 * How a connector reads Google's OAuth answers, when not the way `oauth-answers.ts` does. Each returns null for a
 * usable answer, else the error it means.
 */
export interface GoogleOAuthReaders {
  /** Classifies a token-endpoint answer of `grant`. */
  classifyToken(response: ProviderResponse, grant: GoogleGrant): TributaryError | null;
  /** Classifies a revoke answer (an already revoked token may count as success). */
  classifyRevoke(response: ProviderResponse): TributaryError | null;
  /** Classifies a userinfo answer. */
  classifyUserinfo(response: ProviderResponse): TributaryError | null;
  /** Reads a token answer (`label` names the call, unprefixed); `previous` is the token a refresh replaces. */
  readToken(body: unknown, label: string, previous?: TokenSet): TokenSet;
}

/** A Google OAuth client (a Cloud project's "Web application" credentials) and where it talks to. */
export interface GoogleOAuthClient {
  clientId: string;
  clientSecret: string;
  endpoints: GoogleOAuthEndpoints;
  /** Names the product in error messages, e.g. `Google Ads`. */
  product: string;
  /** The connector's own readers of Google's answers; Google's own reading when absent. */
  readers?: GoogleOAuthReaders;
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

/** Google's own reading of the answers, with the product named in its messages. */
function googleReaders(product: string): GoogleOAuthReaders {
  return {
    classifyToken: (response, grant) => classifyGoogleTokenResponse(response, grant, product),
    classifyRevoke: (response) => {
      // A token Google no longer knows (`invalid_token`) is already as revoked as it gets.
      if (response.status === 400 && oauthErrorOf(response)?.error === 'invalid_token') return null;
      return classifyGoogleBearerResponse(response, `${product}: Google revoke endpoint`);
    },
    classifyUserinfo: (response) => classifyGoogleBearerResponse(response, `${product}: Google userinfo`),
    readToken: (body, label, previous) => {
      const fresh = parseGoogleTokenAnswer(body, `${product}: ${label}`);
      return previous ? mergeRefreshedToken(previous, fresh) : fresh;
    },
  };
}

function readersOf(client: GoogleOAuthClient): GoogleOAuthReaders {
  return client.readers ?? googleReaders(client.product);
}

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

function form(fields: Record<string, string | undefined>): string {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) body.set(key, value);
  return body.toString();
}

const FORM_HEADERS = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };

async function tokenCall(
  transport: Transport,
  client: GoogleOAuthClient,
  grant: GoogleGrant,
  fields: Record<string, string | undefined>,
  previous?: TokenSet,
): Promise<TokenSet> {
  const readers = readersOf(client);
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
        grant_type: grant,
        ...fields,
        client_id: client.clientId,
        client_secret: client.clientSecret,
      }),
    },
    { classify: (answer) => readers.classifyToken(answer, grant) },
  );
  return readers.readToken(parseJsonBody(response, label), label, previous);
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
 * A new access token from the refresh token, read over the old token (which keeps its refresh token when Google
 * sends none). Without a refresh token there is nothing to ask: `auth_token_revoked`, reconnect.
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
  return tokenCall(transport, client, 'refresh_token', { refresh_token: token.refreshToken }, token);
}

/** Revokes the grant (revoking either token ends both). */
export async function revokeGoogleToken(
  transport: Transport,
  client: GoogleOAuthClient,
  token: TokenSet,
): Promise<void> {
  const readers = readersOf(client);
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
    { classify: (response) => readers.classifyRevoke(response) },
  );
}

/** Who the token belongs to: `sub`, `email`, `name` from the OpenID Connect userinfo endpoint. */
export async function googleUserinfo(
  transport: Transport,
  client: GoogleOAuthClient,
  token: TokenSet,
): Promise<GoogleUser> {
  const readers = readersOf(client);
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
    { classify: (answer) => readers.classifyUserinfo(answer) },
  );
  const body = parseJsonBody(response, label);
  const malformed = (what: string) =>
    new TributaryError('provider_malformed_response', `${client.product}: ${label} returned ${what}`);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw malformed('a body that is not a JSON object');
  }
  const user = body as Record<string, unknown>;
  if (typeof user.sub !== 'string' || user.sub === '') throw malformed('no sub');
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  return { sub: user.sub, email: text(user.email), name: text(user.name) };
}

/** The connection's business account: the user's email, else name, else Google's id; the id is `sub`. */
export async function googleIdentity(
  transport: Transport,
  client: GoogleOAuthClient,
  token: TokenSet,
): Promise<ProviderIdentity> {
  const user = await googleUserinfo(transport, client, token);
  return { businessAccount: user.email ?? user.name ?? user.sub, businessAccountId: user.sub };
}
