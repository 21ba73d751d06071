/**
 * The Meta Ads connector factory: Facebook Login (OAuth 2.0 with PKCE, then the long-lived token exchange),
 * `/me` identity, and `/me/adaccounts` discovery over the Graph API. Every call goes through the kit's
 * `sendWithRetries` with {@link classifyMetaResponse}, so retries, quota waits and error codes are uniform.
 */
import { TributaryError } from '../../domain/errors.ts';
import { type ProviderResponse, parseJsonBody, sendWithRetries } from '../kit/http.ts';
import type {
  Connector,
  ConnectorEnvironment,
  OAuth2Flow,
  ProviderAccount,
  ProviderIdentity,
  TokenSet,
} from '../kit/types.ts';
import { AD_ACCOUNT_FIELDS, parseAdAccountsPage } from './accounts.ts';
import { metaAdsDocs } from './docs.ts';
import { classifyMetaResponse } from './errors.ts';
import { createMetaAdsExtraction } from './extraction.ts';
import {
  graphUrl,
  type MetaSettings,
  malformed,
  nextPageUrl,
  requireMetaSettings,
  resolveMetaSettings,
} from './graph.ts';
import { metaAdsSchema } from './schema.ts';

// Re-exported so existing imports of the mode selection from this module keep working.
export {
  META_SANDBOX_CLIENT_ID,
  META_SANDBOX_CLIENT_SECRET,
  type MetaSettings,
  resolveMetaSettings,
} from './graph.ts';

/** Environment variables the connector reads (declared so config.ts passes them through). */
export const META_ENV_VARS = [
  'META_APP_ID',
  'META_APP_SECRET',
  'META_API_VERSION',
  'META_GRAPH_BASE_URL',
  'META_DIALOG_BASE_URL',
] as const;

/** Permissions requested in the login dialog. */
export const META_OAUTH_SCOPES = ['ads_read', 'business_management', 'email'];

/** Guard against a provider that never stops paginating. */
export const MAX_ACCOUNT_PAGES = 10_000;

/** Reads `{access_token, token_type, expires_in}`; `expires_in` may be absent for non-expiring tokens. */
function parseTokenResponse(
  body: unknown,
  label: string,
): { accessToken: string; expiresIn: number | undefined } {
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const accessToken = record.access_token;
  if (typeof accessToken !== 'string' || accessToken === '') throw malformed(label, 'no access_token');
  const raw = record.expires_in;
  const expiresIn = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
  return {
    accessToken,
    expiresIn:
      typeof expiresIn === 'number' && Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : undefined,
  };
}

/** Granted permissions from `{"data":[{"permission","status"}]}`; declined or expired ones are dropped. */
function parseGrantedPermissions(body: unknown, label: string): string[] {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) throw malformed(label, 'a permissions list without a data array');
  const granted: string[] = [];
  for (const entry of data) {
    const { permission, status } = (entry ?? {}) as { permission?: unknown; status?: unknown };
    if (typeof permission === 'string' && status === 'granted') granted.push(permission);
  }
  return granted;
}

/** Builds the Meta Ads connector for one environment (real, sandbox or unconfigured). */
export function createMetaAdsConnector(environment: ConnectorEnvironment): Connector {
  const classify = (response: ProviderResponse) => classifyMetaResponse(response);

  /** One Graph call; `label` is what logs and errors show, so it never contains a token, code or secret. */
  async function call(
    method: 'GET' | 'DELETE',
    url: string,
    label: string,
    accessToken: string | undefined,
  ): Promise<unknown> {
    const headers: Record<string, string> = { accept: 'application/json' };
    // Bearer header rather than ?access_token= so the token never lands in URLs, proxies or access logs.
    if (accessToken !== undefined) headers.authorization = `Bearer ${accessToken}`;
    const response = await sendWithRetries(
      environment.fetch,
      environment.http,
      { method, url, label, headers },
      { classify },
    );
    return parseJsonBody(response, label);
  }

  const oauth: OAuth2Flow = {
    pkce: true,
    scopes: [...META_OAUTH_SCOPES],
    authorizationUrl({ state, redirectUri, codeChallenge }) {
      const settings = requireMetaSettings(environment);
      const url = new URL(`${settings.dialogBase}/${settings.version}/dialog/oauth`);
      url.searchParams.set('client_id', settings.clientId);
      url.searchParams.set('redirect_uri', redirectUri);
      url.searchParams.set('state', state);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('scope', META_OAUTH_SCOPES.join(','));
      if (codeChallenge !== undefined) {
        url.searchParams.set('code_challenge', codeChallenge);
        url.searchParams.set('code_challenge_method', 'S256');
      }
      return url.toString();
    },
    async exchangeCode({ code, redirectUri, codeVerifier }) {
      const settings = requireMetaSettings(environment);
      // Meta's documented wire format puts the app secret and code in the query of these two calls; the
      // labels below stay generic so neither appears in logs or errors.
      const codeParams: Record<string, string> = {
        client_id: settings.clientId,
        redirect_uri: redirectUri,
        client_secret: settings.clientSecret,
        code,
      };
      if (codeVerifier !== undefined) codeParams.code_verifier = codeVerifier;
      const shortLabel = 'GET /oauth/access_token (authorization code)';
      const shortLived = parseTokenResponse(
        await call('GET', graphUrl(settings, '/oauth/access_token', codeParams), shortLabel, undefined),
        shortLabel,
      );

      const longLabel = 'GET /oauth/access_token (fb_exchange_token)';
      const longUrl = graphUrl(settings, '/oauth/access_token', {
        grant_type: 'fb_exchange_token',
        client_id: settings.clientId,
        client_secret: settings.clientSecret,
        fb_exchange_token: shortLived.accessToken,
      });
      const longLived = parseTokenResponse(await call('GET', longUrl, longLabel, undefined), longLabel);
      // The clock is read after the exchange so the expiry is never later than Meta's.
      const expiresAt =
        longLived.expiresIn === undefined
          ? undefined
          : new Date(Date.now() + longLived.expiresIn * 1000).toISOString();

      const permissionsLabel = 'GET /me/permissions';
      const scopes = parseGrantedPermissions(
        await call('GET', graphUrl(settings, '/me/permissions'), permissionsLabel, longLived.accessToken),
        permissionsLabel,
      );
      // Meta has no refresh tokens; a long-lived token is re-obtained by logging in again.
      return { accessToken: longLived.accessToken, expiresAt, scopes };
    },
  };

  async function identify(token: TokenSet): Promise<ProviderIdentity> {
    const settings = requireMetaSettings(environment);
    const label = 'GET /me';
    const body = await call(
      'GET',
      graphUrl(settings, '/me', { fields: 'id,name,email' }),
      label,
      token.accessToken,
    );
    const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const id = record.id;
    if (typeof id !== 'string' || id === '') throw malformed(label, 'a user without an id');
    const email = typeof record.email === 'string' && record.email !== '' ? record.email : undefined;
    const name = typeof record.name === 'string' && record.name !== '' ? record.name : undefined;
    // Email needs the `email` permission and a confirmed address; the name is the next best human handle.
    return { businessAccount: email ?? name ?? id, businessAccountId: id };
  }

  async function* discoverAccounts(token: TokenSet): AsyncGenerator<ProviderAccount[]> {
    const settings = requireMetaSettings(environment);
    let url: string | null = graphUrl(settings, '/me/adaccounts', {
      fields: AD_ACCOUNT_FIELDS.join(','),
      limit: '500',
    });
    for (let page = 1; url !== null; page += 1) {
      if (page > MAX_ACCOUNT_PAGES) {
        throw malformed('GET /me/adaccounts', `more than ${MAX_ACCOUNT_PAGES} pages; paging looks endless`);
      }
      const label: string = page === 1 ? 'GET /me/adaccounts' : `GET /me/adaccounts (page ${page})`;
      const parsed = parseAdAccountsPage(await call('GET', url, label, token.accessToken), label);
      const next = parsed.next === null ? null : nextPageUrl(settings, parsed.next, label);
      // A next link back to the same page is a loop; fail now instead of after 10,000 identical calls.
      if (next !== null && next === url) throw malformed(label, 'a paging.next link to the same page');
      // Meta may send empty pages that still have a next link; skip them but keep following.
      if (parsed.accounts.length > 0) yield parsed.accounts;
      url = next;
    }
  }

  async function revoke(token: TokenSet): Promise<void> {
    const settings = requireMetaSettings(environment);
    try {
      await call(
        'DELETE',
        graphUrl(settings, '/me/permissions'),
        'DELETE /me/permissions',
        token.accessToken,
      );
    } catch (error) {
      // An expired or already-revoked token cannot be used anyway: that is revoked enough.
      if (error instanceof TributaryError && error.category === 'auth') return;
      throw error;
    }
  }

  return {
    id: 'meta-ads',
    name: 'Meta Ads',
    authType: 'oauth2',
    get sandbox() {
      return safeSettings(environment)?.sandbox ?? false;
    },
    get configured() {
      return safeSettings(environment) !== null;
    },
    docs: metaAdsDocs(),
    schema: metaAdsSchema,
    oauth,
    identify,
    discoverAccounts,
    revoke,
    extraction: createMetaAdsExtraction(environment),
  };
}

/** Settings or null; invalid values count as "not configured" for the flags (calls report the reason). */
function safeSettings(environment: ConnectorEnvironment): MetaSettings | null {
  try {
    return resolveMetaSettings(environment);
  } catch {
    return null;
  }
}
