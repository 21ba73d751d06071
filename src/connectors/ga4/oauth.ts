/**
 * Google OAuth 2.0 for GA4 users, through the shared Google account sign-in (`../google/account-oauth.ts`): the
 * consent URL (PKCE S256, offline access so a refresh token comes back, `prompt=consent` so it comes back on every
 * reconnect), the code exchange, the `refresh_token` grant, revocation and the userinfo identity. What is GA4's
 * own: its scopes, its classification of Google's answers (`errors.ts`) and its reading of token answers (strict
 * `expires_in`, the refresh-token expiry of Testing apps, the sealed secrets a refresh keeps).
 */
import { TributaryError } from '../../domain/errors.ts';
import {
  exchangeGoogleCode,
  type GoogleOAuthClient,
  googleAuthorizationUrl,
  googleIdentity,
  refreshGoogleToken,
  revokeGoogleToken,
} from '../google/account-oauth.ts';
import type { ConnectorEnvironment, OAuth2Flow, ProviderIdentity, TokenSet } from '../kit/types.ts';
import { classifyGoogleApiResponse, classifyTokenResponse } from './errors.ts';
import { type Ga4Settings, malformed, objectBody, requireGa4Settings } from './google-api.ts';

/** Read-only Analytics access, plus who the user is (for the connection's Business Account). */
export const GA4_OAUTH_SCOPES = ['https://www.googleapis.com/auth/analytics.readonly', 'openid', 'email'];

/** Reads a token-endpoint answer into a TokenSet; `previous` supplies what Google did not resend. */
export function parseTokenAnswer(body: unknown, label: string, now: Date, previous?: TokenSet): TokenSet {
  const record = objectBody(body, label);
  const accessToken = record.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') throw malformed(label, 'no access_token');
  const expiresIn = record.expires_in;
  if (expiresIn !== undefined && (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn))) {
    throw malformed(label, 'an expires_in that is not a number');
  }
  const scopes =
    typeof record.scope === 'string' && record.scope.trim() !== ''
      ? record.scope.trim().split(/\s+/)
      : (previous?.scopes ?? []);
  // Google resends a refresh token only on consent; a refresh answer without one keeps the old grant.
  const refreshToken =
    typeof record.refresh_token === 'string' && record.refresh_token !== ''
      ? record.refresh_token
      : previous?.refreshToken;
  // Apps in "Testing" status (and time-limited grants) get refresh tokens that end; Google then says when.
  const refreshExpiresIn = record.refresh_token_expires_in;
  const refreshExpiresAt =
    typeof refreshExpiresIn === 'number' && Number.isFinite(refreshExpiresIn)
      ? new Date(now.getTime() + refreshExpiresIn * 1000).toISOString()
      : record.refresh_token !== undefined
        ? undefined
        : previous?.refreshExpiresAt;
  const token: TokenSet = { accessToken, scopes };
  if (refreshToken !== undefined) token.refreshToken = refreshToken;
  if (typeof expiresIn === 'number')
    token.expiresAt = new Date(now.getTime() + expiresIn * 1000).toISOString();
  if (refreshExpiresAt !== undefined) token.refreshExpiresAt = refreshExpiresAt;
  if (previous?.secrets !== undefined) token.secrets = previous.secrets;
  return token;
}

/** The GA4 OAuth client of `settings`, reading Google's answers the GA4 way. */
function ga4OAuthClient(settings: Ga4Settings): GoogleOAuthClient {
  return {
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    endpoints: settings.oauthEndpoints,
    product: 'Google Analytics 4',
    readers: {
      classifyToken: (response, grant) =>
        classifyTokenResponse(response, grant === 'refresh_token' ? 'refresh' : 'exchange'),
      classifyRevoke: (response) => {
        if (response.status >= 200 && response.status < 300) return null;
        return classifyTokenResponse(response, 'refresh');
      },
      classifyUserinfo: (response) => classifyGoogleApiResponse(response),
      readToken: (body, label, previous) => parseTokenAnswer(body, label, new Date(), previous),
    },
  };
}

/** The OAuth flow of the GA4 connector. */
export function createGa4OAuth(environment: ConnectorEnvironment): OAuth2Flow {
  return {
    pkce: true,
    scopes: [...GA4_OAUTH_SCOPES],
    authorizationUrl({ state, redirectUri, codeChallenge }) {
      const client = ga4OAuthClient(requireGa4Settings(environment));
      return googleAuthorizationUrl(client, { state, redirectUri, codeChallenge, scopes: GA4_OAUTH_SCOPES });
    },
    async exchangeCode(input) {
      return exchangeGoogleCode(environment, ga4OAuthClient(requireGa4Settings(environment)), input);
    },
  };
}

/** The `refresh_token` grant: a new access token, the old refresh token kept when Google sends none. */
export async function refreshOAuthToken(
  environment: ConnectorEnvironment,
  token: TokenSet,
): Promise<TokenSet> {
  return refreshGoogleToken(environment, ga4OAuthClient(requireGa4Settings(environment)), token);
}

/**
 * Revokes the grant: revoking the refresh token ends every access token issued from it. An already revoked or
 * expired token (`invalid_token`) is revoked enough.
 */
export async function revokeOAuthToken(environment: ConnectorEnvironment, token: TokenSet): Promise<void> {
  const client = ga4OAuthClient(requireGa4Settings(environment));
  try {
    await revokeGoogleToken(environment, client, token);
  } catch (error) {
    if (error instanceof TributaryError && (error.category === 'auth' || error.code === 'provider_error')) {
      return;
    }
    throw error;
  }
}

/** Who granted the token: `GET /v1/userinfo` (`sub`, `email`, `name`). */
export async function identifyOAuthUser(
  environment: ConnectorEnvironment,
  token: TokenSet,
): Promise<ProviderIdentity> {
  return googleIdentity(environment, ga4OAuthClient(requireGa4Settings(environment)), token);
}
