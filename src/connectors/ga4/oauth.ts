/**
 * Google OAuth 2.0 for GA4 users: the consent URL (PKCE S256, offline access so a refresh token comes back,
 * `prompt=consent` so it comes back on every reconnect), the code exchange, the `refresh_token` grant, revocation,
 * and identity from the OpenID Connect userinfo endpoint.
 */
import { TributaryError } from '../../domain/errors.ts';
import type { ConnectorEnvironment, OAuth2Flow, ProviderIdentity, TokenSet } from '../kit/types.ts';
import { classifyTokenResponse } from './errors.ts';
import { callGoogle, malformed, objectBody, requireGa4Settings } from './google-api.ts';

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

/** The OAuth flow of the GA4 connector. */
export function createGa4OAuth(environment: ConnectorEnvironment): OAuth2Flow {
  return {
    pkce: true,
    scopes: [...GA4_OAUTH_SCOPES],
    authorizationUrl({ state, redirectUri, codeChallenge }) {
      const settings = requireGa4Settings(environment);
      const url = new URL(settings.authorizeUrl);
      url.searchParams.set('client_id', settings.clientId);
      url.searchParams.set('redirect_uri', redirectUri);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('scope', GA4_OAUTH_SCOPES.join(' '));
      url.searchParams.set('access_type', 'offline');
      url.searchParams.set('prompt', 'consent');
      url.searchParams.set('state', state);
      if (codeChallenge !== undefined) {
        url.searchParams.set('code_challenge', codeChallenge);
        url.searchParams.set('code_challenge_method', 'S256');
      }
      return url.toString();
    },
    async exchangeCode({ code, redirectUri, codeVerifier }) {
      const settings = requireGa4Settings(environment);
      // The label stays generic: neither the code nor the secret may reach logs or errors.
      const label = 'POST /token (authorization_code)';
      const form: Record<string, string> = {
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        client_id: settings.clientId,
        client_secret: settings.clientSecret,
      };
      if (codeVerifier !== undefined) form.code_verifier = codeVerifier;
      const body = await callGoogle(environment, {
        method: 'POST',
        url: settings.tokenUrl,
        label,
        form,
        classify: (response) => classifyTokenResponse(response, 'exchange'),
      });
      return parseTokenAnswer(body, label, new Date());
    },
  };
}

/** The `refresh_token` grant: a new access token, the old refresh token kept when Google sends none. */
export async function refreshOAuthToken(
  environment: ConnectorEnvironment,
  token: TokenSet,
): Promise<TokenSet> {
  const settings = requireGa4Settings(environment);
  if (!token.refreshToken) {
    throw new TributaryError(
      'auth_token_revoked',
      'Google Analytics 4: this credential has no refresh token; reconnect to grant offline access',
    );
  }
  const label = 'POST /token (refresh_token)';
  const body = await callGoogle(environment, {
    method: 'POST',
    url: settings.tokenUrl,
    label,
    form: {
      grant_type: 'refresh_token',
      refresh_token: token.refreshToken,
      client_id: settings.clientId,
      client_secret: settings.clientSecret,
    },
    classify: (response) => classifyTokenResponse(response, 'refresh'),
  });
  return parseTokenAnswer(body, label, new Date(), token);
}

/**
 * Revokes the grant: revoking the refresh token ends every access token issued from it. An already revoked or
 * expired token (`invalid_token`) is revoked enough.
 */
export async function revokeOAuthToken(environment: ConnectorEnvironment, token: TokenSet): Promise<void> {
  const settings = requireGa4Settings(environment);
  try {
    await callGoogle(environment, {
      method: 'POST',
      url: settings.revokeUrl,
      label: 'POST /revoke',
      form: { token: token.refreshToken ?? token.accessToken },
      ignoreBody: true,
      classify: (response) => {
        if (response.status >= 200 && response.status < 300) return null;
        return classifyTokenResponse(response, 'refresh');
      },
    });
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
  const settings = requireGa4Settings(environment);
  const label = 'GET /v1/userinfo';
  const body = objectBody(
    await callGoogle(environment, {
      method: 'GET',
      url: settings.userinfoUrl,
      label,
      accessToken: token.accessToken,
    }),
    label,
  );
  const sub = body.sub;
  if (typeof sub !== 'string' || sub === '') throw malformed(label, 'a user without a sub');
  const email = typeof body.email === 'string' && body.email !== '' ? body.email : undefined;
  const name = typeof body.name === 'string' && body.name !== '' ? body.name : undefined;
  return { businessAccount: email ?? name ?? sub, businessAccountId: sub };
}
