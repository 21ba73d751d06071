/**
 * The GA4 connector factory. Two credentials: a Google user through OAuth (refresh token, userinfo identity) and a
 * service-account JSON key through the credential form (a signed assertion per access token, the key kept sealed
 * in `TokenSet.secrets`). Discovery lists the Analytics accounts (`accountSummaries`) and then each account's
 * properties (`properties?filter=parent:…`, for time zone and currency); a Tributary account is a property.
 */
import { TributaryError } from '../../domain/errors.ts';
import type {
  Connector,
  ConnectorEnvironment,
  ProviderAccount,
  ProviderIdentity,
  TokenSet,
} from '../kit/types.ts';
import {
  type AccountSummary,
  accountFromSummary,
  parseAccountSummaries,
  parsePropertiesPage,
} from './accounts.ts';
import { ga4Docs } from './docs.ts';
import { createGa4Extraction } from './extraction.ts';
import {
  callGoogle,
  type Ga4Settings,
  offersOAuth,
  requireGa4Settings,
  safeGa4Settings,
} from './google-api.ts';
import { createGa4OAuth, identifyOAuthUser, refreshOAuthToken, revokeOAuthToken } from './oauth.ts';
import { ga4Schema } from './schema.ts';
import {
  checkAdminAccess,
  createServiceAccountForm,
  refreshServiceAccountToken,
  SERVICE_ACCOUNT_SECRET,
  serviceAccountIdentity,
  serviceAccountKeyOf,
} from './service-account.ts';

/** Environment variables the connector reads (declared so config.ts passes them through). */
export const GA4_ENV_VARS = [
  'GA4_CLIENT_ID',
  'GA4_CLIENT_SECRET',
  'GA4_ADMIN_API_BASE_URL',
  'GA4_DATA_API_BASE_URL',
] as const;

/** Both Admin API lists take at most 200 entries a page. */
export const ADMIN_PAGE_SIZE = 200;
/** Guard against a provider that never stops paginating. */
export const MAX_ADMIN_PAGES = 10_000;

/** Builds the GA4 connector for one environment (real, sandbox or unconfigured). */
export function createGa4Connector(environment: ConnectorEnvironment): Connector {
  async function identify(token: TokenSet): Promise<ProviderIdentity> {
    const key = serviceAccountKeyOf(token);
    if (!key) return identifyOAuthUser(environment, token);
    // A service account has no userinfo; the key says who it is, and one Admin call proves the token works.
    await checkAdminAccess(environment, token);
    return serviceAccountIdentity(key);
  }

  /** One Admin API list page; `label` names the list, never the token. */
  async function listPage(token: TokenSet, url: URL, label: string): Promise<unknown> {
    return callGoogle(environment, {
      method: 'GET',
      url: url.toString(),
      label,
      accessToken: token.accessToken,
    });
  }

  /** Every page of `accountSummaries`, as they come. */
  async function* accountSummaries(settings: Ga4Settings, token: TokenSet): AsyncGenerator<AccountSummary[]> {
    let pageToken: string | null = null;
    const seen = new Set<string>();
    for (let page = 1; page <= MAX_ADMIN_PAGES; page += 1) {
      const url = new URL(`${settings.adminBase}/accountSummaries`);
      url.searchParams.set('pageSize', String(ADMIN_PAGE_SIZE));
      if (pageToken) url.searchParams.set('pageToken', pageToken);
      const label =
        page === 1 ? 'GET /v1beta/accountSummaries' : `GET /v1beta/accountSummaries (page ${page})`;
      const parsed = parseAccountSummaries(await listPage(token, url, label), label);
      yield parsed.items;
      if (!parsed.nextPageToken) return;
      if (seen.has(parsed.nextPageToken)) throw loop(label);
      seen.add(parsed.nextPageToken);
      pageToken = parsed.nextPageToken;
    }
    throw loop('GET /v1beta/accountSummaries');
  }

  /** The properties of one Analytics account, page by page; summary-only properties come last. */
  async function* accountProperties(
    settings: Ga4Settings,
    token: TokenSet,
    summary: AccountSummary,
  ): AsyncGenerator<ProviderAccount[]> {
    const found = new Set<string>();
    const seen = new Set<string>();
    let pageToken: string | null = null;
    for (let page = 1; ; page += 1) {
      if (page > MAX_ADMIN_PAGES) throw loop('GET /v1beta/properties');
      const url = new URL(`${settings.adminBase}/properties`);
      url.searchParams.set('filter', `parent:${summary.account}`);
      url.searchParams.set('pageSize', String(ADMIN_PAGE_SIZE));
      if (pageToken) url.searchParams.set('pageToken', pageToken);
      const label = page === 1 ? 'GET /v1beta/properties' : `GET /v1beta/properties (page ${page})`;
      const parsed = parsePropertiesPage(await listPage(token, url, label), label, summary.displayName);
      const fresh = parsed.items.filter((account) => !found.has(account.id));
      for (const account of fresh) found.add(account.id);
      if (fresh.length > 0) yield fresh;
      if (!parsed.nextPageToken) break;
      if (seen.has(parsed.nextPageToken)) throw loop(label);
      seen.add(parsed.nextPageToken);
      pageToken = parsed.nextPageToken;
    }
    const missing = summary.properties.filter((property) => !found.has(property.id));
    if (missing.length > 0)
      yield missing.map((property) => accountFromSummary(property, summary.displayName));
  }

  async function* discoverAccounts(token: TokenSet): AsyncGenerator<ProviderAccount[]> {
    const settings = requireGa4Settings(environment);
    // A property may be listed under one account only, but guard anyway: ids must be unique per connection.
    const yielded = new Set<string>();
    for await (const summaries of accountSummaries(settings, token)) {
      for (const summary of summaries) {
        for await (const page of accountProperties(settings, token, summary)) {
          const fresh = page.filter((account) => !yielded.has(account.id));
          for (const account of fresh) yielded.add(account.id);
          if (fresh.length > 0) yield fresh;
        }
      }
    }
  }

  async function refresh(token: TokenSet): Promise<TokenSet> {
    if (token.secrets?.[SERVICE_ACCOUNT_SECRET] !== undefined)
      return refreshServiceAccountToken(environment, token);
    return refreshOAuthToken(environment, token);
  }

  async function revoke(token: TokenSet): Promise<void> {
    // A service account's access ends when its key is deleted in Cloud Console or its Viewer role removed;
    // there is no grant of ours to revoke, and its access tokens lapse within the hour.
    if (token.secrets?.[SERVICE_ACCOUNT_SECRET] !== undefined) return;
    await revokeOAuthToken(environment, token);
  }

  const oauth = createGa4OAuth(environment);
  return {
    id: 'ga4',
    name: 'Google Analytics 4',
    // Without an OAuth client the source takes service-account keys only.
    get authType() {
      return offersOAuth(safeGa4Settings(environment)) ? 'oauth2' : 'service_account';
    },
    get sandbox() {
      return safeGa4Settings(environment)?.sandbox ?? false;
    },
    get configured() {
      return safeGa4Settings(environment) !== null;
    },
    docs: ga4Docs(),
    schema: ga4Schema,
    get oauth() {
      return offersOAuth(safeGa4Settings(environment)) ? oauth : undefined;
    },
    credentialForm: createServiceAccountForm(environment),
    identify,
    discoverAccounts,
    refresh,
    revoke,
    extraction: createGa4Extraction(environment),
  };
}

function loop(label: string): TributaryError {
  return new TributaryError(
    'provider_malformed_response',
    `Google Analytics 4: ${label} kept returning page tokens (a paging loop)`,
  );
}
