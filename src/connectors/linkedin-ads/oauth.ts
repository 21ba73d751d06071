/**
 * LinkedIn's 3-legged OAuth 2.0: the authorization page, the code exchange and the `refresh_token` grant (both at
 * `POST /oauth/v2/accessToken`, form-encoded with the client secret), and `POST /oauth/v2/revoke`. LinkedIn's web
 * flow has no PKCE; `state` binds the callback. Access tokens live 60 days; the refresh token lives a year from the
 * first grant and refreshing does not extend it, so both expiries are forecast from the `*_expires_in` answers.
 */
import { TributaryError } from '../../domain/errors.ts';
import type { ConnectorEnvironment, OAuth2Flow, TokenSet } from '../kit/types.ts';
import { classifyLinkedInOAuthResponse, type OAuthCall } from './errors.ts';
import {
  callLinkedIn,
  type LinkedInSettings,
  malformed,
  objectBody,
  requireLinkedInSettings,
} from './rest-api.ts';

/** Scopes asked for: ads read and reporting, plus OpenID Connect for the member's identity (`/v2/userinfo`). */
export const LINKEDIN_OAUTH_SCOPES = ['r_ads', 'r_ads_reporting', 'openid', 'profile', 'email'];

/** Without these the connection could find no account or read no report; a token lacking one is refused. */
export const REQUIRED_SCOPES = ['r_ads', 'r_ads_reporting'];

/** Parsed `/oauth/v2/accessToken` answer. */
interface TokenAnswer {
  accessToken: string;
  expiresIn: number | undefined;
  refreshToken: string | undefined;
  refreshExpiresIn: number | undefined;
  scopes: string[] | undefined;
}

function seconds(value: unknown, field: string, label: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw malformed(label, `a ${field} that is not a number of seconds`);
  }
  return value;
}

/** Reads `{access_token, expires_in, refresh_token?, refresh_token_expires_in?, scope}` (scope comma-separated). */
export function parseTokenAnswer(body: unknown, label: string): TokenAnswer {
  const record = objectBody(body, label);
  const accessToken = record.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') throw malformed(label, 'no access_token');
  const refreshToken =
    typeof record.refresh_token === 'string' && record.refresh_token !== ''
      ? record.refresh_token
      : undefined;
  const scopes =
    typeof record.scope === 'string'
      ? record.scope
          .split(/[,\s]+/)
          .map((scope) => scope.trim())
          .filter((scope) => scope !== '')
      : undefined;
  return {
    accessToken,
    expiresIn: seconds(record.expires_in, 'expires_in', label),
    refreshToken,
    refreshExpiresIn: seconds(record.refresh_token_expires_in, 'refresh_token_expires_in', label),
    scopes,
  };
}

function after(now: Date, secondsFromNow: number | undefined): string | undefined {
  return secondsFromNow === undefined
    ? undefined
    : new Date(now.getTime() + secondsFromNow * 1000).toISOString();
}

/**
 * The scopes missing from a granted list. A member can untick permissions on the consent page; LinkedIn then
 * issues a token without them, which would fail later with 403 on every call.
 */
export function missingScopes(granted: string[]): string[] {
  return REQUIRED_SCOPES.filter((scope) => !granted.includes(scope));
}

/** The OAuth part of the connector, plus refresh and revoke. */
export function createLinkedInOAuth(environment: ConnectorEnvironment): {
  oauth: OAuth2Flow;
  refresh(token: TokenSet): Promise<TokenSet>;
  revoke(token: TokenSet): Promise<void>;
} {
  async function tokenCall(
    settings: LinkedInSettings,
    call: OAuthCall,
    form: Record<string, string>,
  ): Promise<unknown> {
    const path = call === 'revoke' ? 'revoke' : 'accessToken';
    // The label names the grant but never the code, token or secret the form carries.
    const label = call === 'revoke' ? 'POST /oauth/v2/revoke' : `POST /oauth/v2/accessToken (${call})`;
    return callLinkedIn(environment, settings, {
      method: 'POST',
      url: `${settings.authBase}/oauth/v2/${path}`,
      label,
      form: { ...form, client_id: settings.clientId, client_secret: settings.clientSecret },
      classify: (response) => classifyLinkedInOAuthResponse(response, call),
    }).catch((error: unknown) => {
      // Revoke answers 200 with an empty body, which the JSON parse refuses: that is success.
      if (
        call === 'revoke' &&
        error instanceof TributaryError &&
        error.code === 'provider_malformed_response'
      ) {
        return null;
      }
      throw error;
    });
  }

  const oauth: OAuth2Flow = {
    pkce: false,
    scopes: [...LINKEDIN_OAUTH_SCOPES],
    authorizationUrl({ state, redirectUri }) {
      const settings = requireLinkedInSettings(environment);
      const url = new URL(`${settings.authBase}/oauth/v2/authorization`);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('client_id', settings.clientId);
      url.searchParams.set('redirect_uri', redirectUri);
      url.searchParams.set('state', state);
      url.searchParams.set('scope', LINKEDIN_OAUTH_SCOPES.join(' '));
      // URLSearchParams writes spaces as `+`; LinkedIn's documented form is `%20`.
      return url
        .toString()
        .replace(/scope=([^&]*)/, (_, value: string) => `scope=${value.replace(/\+/g, '%20')}`);
    },
    async exchangeCode({ code, redirectUri }) {
      const settings = requireLinkedInSettings(environment);
      const now = new Date();
      const label = 'POST /oauth/v2/accessToken (exchange)';
      const answer = parseTokenAnswer(
        await tokenCall(settings, 'exchange', {
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
        }),
        label,
      );
      if (answer.scopes === undefined) throw malformed(label, 'a token without its granted scope');
      const missing = missingScopes(answer.scopes);
      if (missing.length > 0) {
        // Refused before anything is stored: a connection that can read nothing is worse than none.
        throw new TributaryError(
          'permission_denied',
          `LinkedIn Ads: the member did not grant ${missing.join(' and ')}; reconnect and allow ${
            missing.length > 1 ? 'these permissions' : 'this permission'
          } on LinkedIn's consent page`,
          { details: { missingScopes: missing } },
        );
      }
      return {
        accessToken: answer.accessToken,
        refreshToken: answer.refreshToken,
        expiresAt: after(now, answer.expiresIn),
        refreshExpiresAt: after(now, answer.refreshExpiresIn),
        scopes: answer.scopes,
      };
    },
  };

  async function refresh(token: TokenSet): Promise<TokenSet> {
    if (!token.refreshToken) {
      // Only apps approved for programmatic refresh tokens get one; without it the member must reconnect.
      throw new TributaryError(
        'auth_token_expired',
        'LinkedIn Ads: this connection has no refresh token (the app is not enabled for programmatic refresh); reconnect it',
      );
    }
    const settings = requireLinkedInSettings(environment);
    const now = new Date();
    const answer = parseTokenAnswer(
      await tokenCall(settings, 'refresh', {
        grant_type: 'refresh_token',
        refresh_token: token.refreshToken,
      }),
      'POST /oauth/v2/accessToken (refresh)',
    );
    return {
      accessToken: answer.accessToken,
      // LinkedIn returns the same refresh token; keep ours when it sends none.
      refreshToken: answer.refreshToken ?? token.refreshToken,
      expiresAt: after(now, answer.expiresIn),
      // The refresh token's remaining life: refreshing does not extend it, so the old forecast stays when unsaid.
      refreshExpiresAt: after(now, answer.refreshExpiresIn) ?? token.refreshExpiresAt,
      scopes: answer.scopes ?? token.scopes,
      ...(token.secrets ? { secrets: token.secrets } : {}),
    };
  }

  async function revoke(token: TokenSet): Promise<void> {
    const settings = requireLinkedInSettings(environment);
    try {
      await tokenCall(settings, 'revoke', { token: token.accessToken });
    } catch (error) {
      // An expired or already-revoked token cannot be used anyway: that is revoked enough.
      if (error instanceof TributaryError && error.category === 'auth') return;
      throw error;
    }
  }

  return { oauth, refresh, revoke };
}
