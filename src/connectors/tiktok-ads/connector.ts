/**
 * The TikTok Ads connector factory: TikTok's advertiser authorization (`/portal/auth`, then
 * `oauth2/access_token/` with the `auth_code`), `user/info/` identity, and discovery through
 * `oauth2/advertiser/get/` plus `advertiser/info/` in batches. Every call goes through {@link callOpenApi}, so
 * retries, throttle waits and error codes are uniform.
 */
import { TributaryError } from '../../domain/errors.ts';
import type {
  Connector,
  ConnectorEnvironment,
  OAuth2Flow,
  ProviderAccount,
  ProviderIdentity,
  TokenSet,
} from '../kit/types.ts';
import {
  ADVERTISER_INFO_BATCH,
  ADVERTISER_INFO_FIELDS,
  parseAdvertiserInfo,
  parseAuthorizedAdvertisers,
} from './accounts.ts';
import { tiktokAdsDocs } from './docs.ts';
import { createTiktokAdsExtraction } from './extraction.ts';
import {
  callOpenApi,
  envelopeData,
  malformed,
  openApiUrl,
  requireTiktokSettings,
  resolveTiktokSettings,
  type TiktokSettings,
} from './open-api.ts';
import { tiktokAdsSchema } from './schema.ts';

export {
  resolveTiktokSettings,
  TIKTOK_SANDBOX_APP_ID,
  TIKTOK_SANDBOX_APP_SECRET,
  type TiktokSettings,
} from './open-api.ts';

/** Environment variables the connector reads (declared so config.ts passes them through). */
export const TIKTOK_ENV_VARS = [
  'TIKTOK_APP_ID',
  'TIKTOK_APP_SECRET',
  'TIKTOK_API_BASE_URL',
  'TIKTOK_AUTH_BASE_URL',
] as const;

/**
 * TikTok grants the scopes configured on the developer app, not ones named in the authorization URL; this list
 * documents what the app needs (Ad Account Management, Reporting) and is what the catalog shows.
 */
export const TIKTOK_OAUTH_SCOPES = ['ad_account_management', 'reporting'];

/** Reads `data.access_token` and `data.scope` of the token answer. */
function parseTokenAnswer(body: unknown, label: string): TokenSet {
  const data = envelopeData(body, label);
  const accessToken = data.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') throw malformed(label, 'no access_token');
  // TikTok lists granted scopes as permission ids (numbers) or names; either is kept as text.
  const scope = Array.isArray(data.scope) ? data.scope : [];
  const scopes = scope
    .filter((entry): entry is string | number => typeof entry === 'string' || typeof entry === 'number')
    .map(String);
  // The advertiser token is long-term: no expiry and no refresh token; it ends when the advertiser revokes it.
  return { accessToken, scopes };
}

/** The advertiser ids a token answer says the authorization covers (`data.advertiser_ids`; numbers or strings). */
function authorizedIds(body: unknown): string[] {
  const data = (body as { data?: { advertiser_ids?: unknown } } | null)?.data;
  const ids = Array.isArray(data?.advertiser_ids) ? data.advertiser_ids : [];
  return ids
    .filter((id): id is string | number => typeof id === 'string' || typeof id === 'number')
    .map(String);
}

/** Builds the TikTok Ads connector for one environment (real, sandbox or unconfigured). */
export function createTiktokAdsConnector(environment: ConnectorEnvironment): Connector {
  const oauth: OAuth2Flow = {
    // TikTok's advertiser authorization has no PKCE; the state parameter is what binds the callback.
    pkce: false,
    scopes: [...TIKTOK_OAUTH_SCOPES],
    authorizationUrl({ state, redirectUri }) {
      const settings = requireTiktokSettings(environment);
      const url = new URL(`${settings.authBase}/portal/auth`);
      url.searchParams.set('app_id', settings.appId);
      url.searchParams.set('state', state);
      url.searchParams.set('redirect_uri', redirectUri);
      return url.toString();
    },
    async exchangeCode({ code }) {
      const settings = requireTiktokSettings(environment);
      // The callback's `code` is TikTok's `auth_code` (the redirect carries both); the secret travels in the
      // JSON body, and the label stays generic so neither appears in logs or errors.
      const label = 'POST /oauth2/access_token/';
      const body = await callOpenApi(environment, {
        method: 'POST',
        url: openApiUrl(settings, 'oauth2/access_token/'),
        label,
        json: { app_id: settings.appId, secret: settings.secret, auth_code: code },
      });
      const token = parseTokenAnswer(body, label);
      await assertAdvertisersReadable(settings, token, authorizedIds(body));
      return token;
    },
  };

  /**
   * Refuses an authorization listing an advertiser the user can no longer read (TikTok keeps listing it after its
   * admin withdraws the user's access; every report of it would fail), so nothing is saved and the user is told
   * what to do, instead of a connection that breaks at its first discovery.
   */
  async function assertAdvertisersReadable(settings: TiktokSettings, token: TokenSet, ids: string[]) {
    for (let start = 0; start < ids.length; start += ADVERTISER_INFO_BATCH) {
      const batch = ids.slice(start, start + ADVERTISER_INFO_BATCH).map((id) => ({ id, name: null }));
      try {
        await advertiserDetails(settings, token, batch, start / ADVERTISER_INFO_BATCH + 1);
      } catch (error) {
        if (!(error instanceof TributaryError) || error.category !== 'permission') throw error;
        throw new TributaryError(
          'permission_denied',
          `TikTok authorized advertisers this user cannot read: ${error.message} Ask an admin of the advertiser ` +
            'in TikTok Business Center to give you access again (Analyst or above), or leave it out when you ' +
            'authorize, then connect again.',
        );
      }
    }
  }

  async function identify(token: TokenSet): Promise<ProviderIdentity> {
    const settings = requireTiktokSettings(environment);
    const label = 'GET /user/info/';
    const data = envelopeData(
      await callOpenApi(environment, {
        method: 'GET',
        url: openApiUrl(settings, 'user/info/'),
        label,
        accessToken: token.accessToken,
      }),
      label,
    );
    const raw = data.core_user_id;
    const id = typeof raw === 'number' && Number.isSafeInteger(raw) ? String(raw) : raw;
    if (typeof id !== 'string' || id === '') throw malformed(label, 'a user without a core_user_id');
    const email = typeof data.email === 'string' && data.email !== '' ? data.email : undefined;
    const name =
      typeof data.display_name === 'string' && data.display_name !== '' ? data.display_name : undefined;
    return { businessAccount: email ?? name ?? id, businessAccountId: id };
  }

  async function* discoverAccounts(token: TokenSet): AsyncGenerator<ProviderAccount[]> {
    const settings = requireTiktokSettings(environment);
    const listLabel = 'GET /oauth2/advertiser/get/';
    // TikTok's documented wire format puts the app secret in this query; the label never shows it.
    const authorized = parseAuthorizedAdvertisers(
      await callOpenApi(environment, {
        method: 'GET',
        url: openApiUrl(settings, 'oauth2/advertiser/get/', {
          app_id: settings.appId,
          secret: settings.secret,
        }),
        label: listLabel,
        accessToken: token.accessToken,
      }),
      listLabel,
    );
    for (let start = 0; start < authorized.length; start += ADVERTISER_INFO_BATCH) {
      const batch = authorized.slice(start, start + ADVERTISER_INFO_BATCH);
      yield await advertiserDetails(settings, token, batch, start / ADVERTISER_INFO_BATCH + 1);
    }
  }

  /** One `advertiser/info/` call for up to 100 advertisers, in the order discovery listed them. */
  async function advertiserDetails(
    settings: TiktokSettings,
    token: TokenSet,
    batch: { id: string; name: string | null }[],
    number: number,
  ): Promise<ProviderAccount[]> {
    const label = number === 1 ? 'GET /advertiser/info/' : `GET /advertiser/info/ (batch ${number})`;
    const details = parseAdvertiserInfo(
      await callOpenApi(environment, {
        method: 'GET',
        url: openApiUrl(settings, 'advertiser/info/', {
          advertiser_ids: JSON.stringify(batch.map((advertiser) => advertiser.id)),
          fields: JSON.stringify(ADVERTISER_INFO_FIELDS),
        }),
        label,
        accessToken: token.accessToken,
      }),
      label,
    );
    // An authorized advertiser without details (deleted meanwhile) stays visible with what the list said,
    // rather than vanishing from the connection without a trace.
    return batch.map(
      (advertiser) =>
        details.get(advertiser.id) ?? {
          id: advertiser.id,
          name: advertiser.name ?? advertiser.id,
          currency: null,
          timezone: null,
          status: 'unknown',
        },
    );
  }

  async function revoke(token: TokenSet): Promise<void> {
    const settings = requireTiktokSettings(environment);
    try {
      await callOpenApi(environment, {
        method: 'POST',
        url: openApiUrl(settings, 'oauth2/revoke_token/'),
        label: 'POST /oauth2/revoke_token/',
        json: { app_id: settings.appId, secret: settings.secret, access_token: token.accessToken },
      });
    } catch (error) {
      // An expired or already-revoked token cannot be used anyway: that is revoked enough.
      if (error instanceof TributaryError && error.category === 'auth') return;
      throw error;
    }
  }

  return {
    id: 'tiktok-ads',
    name: 'TikTok Ads',
    authType: 'oauth2',
    get sandbox() {
      return safeSettings(environment)?.sandbox ?? false;
    },
    get configured() {
      return safeSettings(environment) !== null;
    },
    docs: tiktokAdsDocs(),
    schema: tiktokAdsSchema,
    oauth,
    identify,
    discoverAccounts,
    revoke,
    extraction: createTiktokAdsExtraction(environment),
  };
}

/** Settings or null; invalid values count as "not configured" for the flags (calls report the reason). */
function safeSettings(environment: ConnectorEnvironment): TiktokSettings | null {
  try {
    return resolveTiktokSettings(environment);
  } catch {
    return null;
  }
}
