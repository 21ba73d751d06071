/**
 * The LinkedIn Ads connector factory: LinkedIn's 3-legged OAuth (no PKCE; refresh and revoke in `oauth.ts`),
 * identity through OpenID Connect `/v2/userinfo`, and ad account discovery through the cursor-paged
 * `GET /rest/adAccounts?q=search`. Every call goes through {@link callLinkedIn}, so headers, retries, quota waits
 * and error codes are uniform.
 */
import type {
  Connector,
  ConnectorEnvironment,
  ProviderAccount,
  ProviderIdentity,
  ReportRequest,
  TokenSet,
} from '../kit/types.ts';
import { ACCOUNT_PAGE_SIZE, ACCOUNT_SEARCH, parseAdAccountPage } from './accounts.ts';
import { finderPages } from './cursor-paging.ts';
import { linkedinAdsDocs } from './docs.ts';
import { createLinkedInAdsExtraction } from './extraction.ts';
import { createLinkedInOAuth } from './oauth.ts';
import type { AnalyticsPlan } from './report-windows.ts';
import {
  callLinkedIn,
  type LinkedInSettings,
  malformed,
  objectBody,
  requireLinkedInSettings,
  resolveLinkedInSettings,
} from './rest-api.ts';
import { linkedinAdsSchema } from './schema.ts';

/** Environment variables the connector reads (declared so config.ts passes them through). */
export const LINKEDIN_ENV_VARS = [
  'LINKEDIN_CLIENT_ID',
  'LINKEDIN_CLIENT_SECRET',
  'LINKEDIN_VERSION',
  'LINKEDIN_API_BASE_URL',
  'LINKEDIN_AUTH_BASE_URL',
] as const;

/** Options of {@link createLinkedInAdsConnector} beyond the environment (tests and benches). */
export interface LinkedInConnectorOptions {
  /** Told every read's window plan before its first report call. */
  onPlan?: (plan: AnalyticsPlan, request: ReportRequest) => void;
}

/** Builds the LinkedIn Ads connector for one environment (real, sandbox or unconfigured). */
export function createLinkedInAdsConnector(
  environment: ConnectorEnvironment,
  options: LinkedInConnectorOptions = {},
): Connector {
  const { oauth, refresh, revoke } = createLinkedInOAuth(environment);

  async function identify(token: TokenSet): Promise<ProviderIdentity> {
    const settings = requireLinkedInSettings(environment);
    const label = 'GET /v2/userinfo';
    // OpenID Connect userinfo is not a versioned `/rest` resource: the bearer token is all it needs.
    const body = objectBody(
      await callLinkedIn(environment, settings, {
        method: 'GET',
        url: `${settings.apiBase}/v2/userinfo`,
        label,
        accessToken: token.accessToken,
      }),
      label,
    );
    const sub = typeof body.sub === 'string' && body.sub !== '' ? body.sub : null;
    if (sub === null) throw malformed(label, 'a member without a sub');
    const email = typeof body.email === 'string' && body.email !== '' ? body.email : null;
    const name = typeof body.name === 'string' && body.name !== '' ? body.name : null;
    return { businessAccount: email ?? name ?? sub, businessAccountId: sub };
  }

  async function* discoverAccounts(token: TokenSet): AsyncGenerator<ProviderAccount[]> {
    const settings: LinkedInSettings = requireLinkedInSettings(environment);
    const seen = new Set<string>();
    const label = 'GET /rest/adAccounts';
    const pages = finderPages(environment, settings, {
      path: 'adAccounts',
      params: [
        ['q', 'search'],
        ['search', ACCOUNT_SEARCH],
      ],
      pageSize: ACCOUNT_PAGE_SIZE,
      label,
      accessToken: token.accessToken,
    });
    for await (const elements of pages) {
      const accounts = parseAdAccountPage(elements, seen, label);
      if (accounts.length > 0) yield accounts;
    }
  }

  return {
    id: 'linkedin-ads',
    name: 'LinkedIn Ads',
    authType: 'oauth2',
    get sandbox() {
      return safeSettings(environment)?.sandbox ?? false;
    },
    get configured() {
      return safeSettings(environment) !== null;
    },
    docs: linkedinAdsDocs(),
    schema: linkedinAdsSchema,
    oauth,
    identify,
    discoverAccounts,
    revoke,
    refresh,
    extraction: createLinkedInAdsExtraction(environment, options.onPlan),
  };
}

/** Settings or null; invalid values count as "not configured" for the flags (calls report the reason). */
function safeSettings(environment: ConnectorEnvironment): LinkedInSettings | null {
  try {
    return resolveLinkedInSettings(environment);
  } catch {
    return null;
  }
}
