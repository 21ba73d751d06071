/**
 * The Google Ads connector factory: Google OAuth with PKCE and offline access (`../google/account-oauth.ts`), identity from
 * the OpenID Connect userinfo endpoint, discovery of every account the user reaches (directly or through
 * managers, `hierarchy.ts`), refresh and revocation of the grant, and report reading (`extraction.ts`).
 */
import { TributaryError } from '../../domain/errors.ts';
import {
  exchangeGoogleCode,
  googleAuthorizationUrl,
  googleIdentity,
  refreshGoogleToken,
  revokeGoogleToken,
} from '../google/account-oauth.ts';
import type {
  Connector,
  ConnectorEnvironment,
  OAuth2Flow,
  ProviderAccount,
  ProviderIdentity,
  TokenSet,
} from '../kit/types.ts';
import {
  type GoogleAdsSettings,
  requireDeveloperToken,
  requireGoogleAdsSettings,
  resolveGoogleAdsSettings,
} from './ads-api.ts';
import { googleAdsDocs } from './docs.ts';
import { createGoogleAdsExtraction } from './extraction.ts';
import { type AccessPaths, walkAccounts } from './hierarchy.ts';
import { googleAdsSchema } from './schema.ts';

export {
  GOOGLE_ADS_SANDBOX_CLIENT_ID,
  GOOGLE_ADS_SANDBOX_CLIENT_SECRET,
  GOOGLE_ADS_SANDBOX_DEVELOPER_TOKEN,
  type GoogleAdsSettings,
  resolveGoogleAdsSettings,
} from './ads-api.ts';

/** Environment variables the connector reads (declared so config.ts passes them through). */
export const GOOGLE_ADS_ENV_VARS = [
  'GOOGLE_ADS_CLIENT_ID',
  'GOOGLE_ADS_CLIENT_SECRET',
  'GOOGLE_ADS_DEVELOPER_TOKEN',
  'GOOGLE_ADS_LOGIN_CUSTOMER_ID',
  'GOOGLE_ADS_API_BASE_URL',
] as const;

/**
 * `adwords` is the Google Ads API scope; `openid email` let userinfo name who authorized (shown as the business
 * account). Google grants nothing narrower for Ads: the scope reads and writes, Tributary only reads.
 */
export const GOOGLE_ADS_OAUTH_SCOPES = ['https://www.googleapis.com/auth/adwords', 'openid', 'email'];

/** Builds the Google Ads connector for one environment (real, sandbox or unconfigured). */
export function createGoogleAdsConnector(environment: ConnectorEnvironment): Connector {
  // How report calls reach each account, learnt by discovery and reused by reads of this process.
  const paths: AccessPaths = new Map();

  const oauth: OAuth2Flow = {
    pkce: true,
    scopes: [...GOOGLE_ADS_OAUTH_SCOPES],
    authorizationUrl({ state, redirectUri, codeChallenge }) {
      const settings = requireGoogleAdsSettings(environment);
      // Without a developer token every Ads call would fail after the user consented: refuse before anything is
      // saved, with where to get one.
      requireDeveloperToken(settings);
      return googleAuthorizationUrl(settings.oauth, {
        state,
        redirectUri,
        codeChallenge,
        scopes: GOOGLE_ADS_OAUTH_SCOPES,
      });
    },
    exchangeCode(input) {
      return exchangeGoogleCode(environment, requireGoogleAdsSettings(environment).oauth, input);
    },
  };

  async function identify(token: TokenSet): Promise<ProviderIdentity> {
    return googleIdentity(environment, requireGoogleAdsSettings(environment).oauth, token);
  }

  function discoverAccounts(token: TokenSet): AsyncIterable<ProviderAccount[]> {
    return walkAccounts(environment, token, paths);
  }

  function refresh(token: TokenSet): Promise<TokenSet> {
    return refreshGoogleToken(environment, requireGoogleAdsSettings(environment).oauth, token);
  }

  async function revoke(token: TokenSet): Promise<void> {
    try {
      await revokeGoogleToken(environment, requireGoogleAdsSettings(environment).oauth, token);
    } catch (error) {
      // An expired or already-revoked grant cannot be used anyway: that is revoked enough.
      if (error instanceof TributaryError && error.category === 'auth') return;
      throw error;
    }
  }

  return {
    id: 'google-ads',
    name: 'Google Ads',
    authType: 'oauth2',
    get sandbox() {
      return safeSettings(environment)?.sandbox ?? false;
    },
    get configured() {
      return safeSettings(environment) !== null;
    },
    docs: googleAdsDocs(),
    schema: googleAdsSchema,
    oauth,
    identify,
    discoverAccounts,
    refresh,
    revoke,
    extraction: createGoogleAdsExtraction(environment, paths),
  };
}

/** Settings or null; invalid values count as "not configured" for the flags (calls report the reason). */
function safeSettings(environment: ConnectorEnvironment): GoogleAdsSettings | null {
  try {
    return resolveGoogleAdsSettings(environment);
  } catch {
    return null;
  }
}
