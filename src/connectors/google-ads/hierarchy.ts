/**
 * Walking a Google Ads user's accounts: the customers the user reaches directly (`listAccessibleCustomers`),
 * then under each manager its `customer_client` children level by level (`googleAds:search`, paged), recursing
 * into sub-managers. Every account is reported once, with its manager path (names top first) and the manager a
 * report call must name in `login-customer-id` to reach it. Discovery yields the walk; a read that does not yet
 * know how to reach an account walks until it finds it.
 */
import { TributaryError } from '../../domain/errors.ts';
import type { ConnectorEnvironment, ProviderAccount, TokenSet } from '../kit/types.ts';
import {
  CUSTOMER_CLIENT_QUERY,
  type CustomerClient,
  customerStatusWord,
  parseAccessibleCustomers,
  parseCustomerClientPage,
} from './accounts.ts';
import { callGoogleAds, type GoogleAdsSettings, malformed, requireGoogleAdsSettings } from './ads-api.ts';

/** Guard against a `nextPageToken` that never ends (the real page size is 10,000 rows). */
export const MAX_SEARCH_PAGES = 1_000;

/** How report calls reach a customer: the manager to name in `login-customer-id`, or null for direct access. */
export type AccessPaths = Map<string, string | null>;

/** Counters of the walk's calls (a read counts them as its own). */
export interface WalkHooks {
  onApiCall?: () => void;
  onQuotaWait?: (ms: number) => void;
  signal?: AbortSignal;
}

/** A manager waiting to be listed: where it sits and which accessible manager reaches it. */
interface PendingManager {
  id: string;
  /** Names of the managers above it, top first. */
  path: string[];
  /** Its own name (known from its parent's listing; a root learns it from its level-0 row). */
  name: string | null;
  /** The accessible manager named in `login-customer-id`; null for a root (reached directly). */
  login: string | null;
}

function toAccount(client: CustomerClient, path: string[]): ProviderAccount {
  const account: ProviderAccount = {
    id: client.id,
    name: client.name ?? client.id,
    currency: client.currency,
    timezone: client.timezone,
    status: customerStatusWord(client.status),
  };
  if (client.manager) account.manager = true;
  if (path.length > 0) account.managerPath = path;
  return account;
}

/** Clients first: the accounts a user extracts lead every page; their managers follow. */
function clientsFirst(accounts: ProviderAccount[]): ProviderAccount[] {
  return [...accounts.filter((found) => !found.manager), ...accounts.filter((found) => found.manager)];
}

/**
 * Walks every account of the token's user, one yielded page per search page, recording in `paths` how each is
 * reached. With GOOGLE_ADS_LOGIN_CUSTOMER_ID set, the walk starts at that manager only.
 */
export async function* walkAccounts(
  environment: ConnectorEnvironment,
  token: TokenSet,
  paths: AccessPaths,
  hooks: WalkHooks = {},
): AsyncGenerator<ProviderAccount[]> {
  const settings = requireGoogleAdsSettings(environment);
  const call = (path: string, label: string, login: string | null, json?: Record<string, unknown>) =>
    callGoogleAds(environment, settings, {
      method: json ? 'POST' : 'GET',
      path,
      label,
      accessToken: token.accessToken,
      loginCustomerId: login,
      ...(json ? { json } : {}),
      ...(hooks.onApiCall ? { onAttempt: hooks.onApiCall } : {}),
      ...(hooks.onQuotaWait ? { onQuotaWait: hooks.onQuotaWait } : {}),
      ...(hooks.signal ? { signal: hooks.signal } : {}),
    });

  const roots = settings.loginCustomerId
    ? [settings.loginCustomerId]
    : await accessibleCustomers(() =>
        call('customers:listAccessibleCustomers', 'GET /customers:listAccessibleCustomers', null),
      );
  const seen = new Set<string>();
  // Directly accessible clients are held back: the walk may still find them under a manager, with a path.
  const direct: ProviderAccount[] = [];

  for (const root of roots) {
    if (seen.has(root)) continue;
    const queue: PendingManager[] = [{ id: root, path: [], name: null, login: null }];
    while (queue.length > 0) {
      const manager = queue.shift()!;
      yield* listManager(manager, queue);
    }
  }
  const rest = direct.filter((found) => !seen.has(found.id));
  for (const found of rest) {
    seen.add(found.id);
    paths.set(found.id, null);
  }
  if (rest.length > 0) yield rest;

  /** Lists one manager's level-0 and level-1 rows, page by page, queuing its sub-managers. */
  async function* listManager(
    manager: PendingManager,
    queue: PendingManager[],
  ): AsyncGenerator<ProviderAccount[]> {
    const isRoot = manager.login === null;
    // Children of a root are reached through the root; deeper ones through the same accessible manager.
    const login = manager.login ?? manager.id;
    let name = manager.name;
    let pageToken: string | null = null;
    for (let page = 1; ; page += 1) {
      if (page > MAX_SEARCH_PAGES) {
        throw malformed(
          `POST /customers/${manager.id}/googleAds:search`,
          `more than ${MAX_SEARCH_PAGES} pages`,
        );
      }
      const label = `POST /customers/${manager.id}/googleAds:search${page > 1 ? ` (page ${page})` : ''}`;
      const body = await searchOrNotEnabled(manager, label, pageToken);
      if (body === null) return;
      const { clients, nextPageToken } = parseCustomerClientPage(body, label);
      const self = clients.find((client) => client.level === 0);
      name ??= self?.name ?? null;
      const found: ProviderAccount[] = [];
      if (self && isRoot) {
        if (!self.manager) {
          direct.push(toAccount(self, []));
          return;
        }
        if (!seen.has(self.id)) {
          seen.add(self.id);
          paths.set(self.id, null);
          found.push(toAccount(self, []));
        }
      }
      const childPath = [...manager.path, name ?? manager.id];
      for (const client of clients) {
        if (client.level !== 1 || seen.has(client.id)) continue;
        seen.add(client.id);
        paths.set(client.id, login);
        found.push(toAccount(client, childPath));
        if (client.manager) queue.push({ id: client.id, path: childPath, name: client.name, login });
      }
      if (found.length > 0) yield clientsFirst(found);
      if (!nextPageToken) return;
      if (nextPageToken === pageToken) throw malformed(label, 'the same nextPageToken again');
      pageToken = nextPageToken;
    }

    async function searchOrNotEnabled(at: PendingManager, label: string, token: string | null) {
      const json = { query: CUSTOMER_CLIENT_QUERY, ...(token ? { pageToken: token } : {}) };
      try {
        return await call(`customers/${at.id}/googleAds:search`, label, at.login, json);
      } catch (error) {
        // A canceled or suspended account the user reaches directly cannot be queried; it is still theirs.
        if (isRoot && isNotEnabled(error)) {
          direct.push({ id: at.id, name: at.id, currency: null, timezone: null, status: 'not_enabled' });
          return null;
        }
        throw error;
      }
    }
  }
}

function isNotEnabled(error: unknown): boolean {
  return (
    error instanceof TributaryError &&
    error.details?.providerCode === 'authorizationError.CUSTOMER_NOT_ENABLED'
  );
}

/**
 * The directly accessible customers. A Google account with no Ads access at all is refused with `NOT_ADS_USER`:
 * for discovery that is simply a user without accounts.
 */
async function accessibleCustomers(list: () => Promise<unknown>): Promise<string[]> {
  try {
    return parseAccessibleCustomers(await list(), 'GET /customers:listAccessibleCustomers');
  } catch (error) {
    if (
      error instanceof TributaryError &&
      error.details?.providerCode === 'authenticationError.NOT_ADS_USER'
    ) {
      return [];
    }
    throw error;
  }
}

/**
 * How report calls reach `customerId`: from `paths` when a walk already saw it, otherwise by walking the user's
 * accounts until it appears. An account the user cannot reach at all is `permission_denied`.
 */
export async function accessPathOf(
  environment: ConnectorEnvironment,
  settings: GoogleAdsSettings,
  token: TokenSet,
  customerId: string,
  paths: AccessPaths,
  hooks: WalkHooks,
): Promise<string | null> {
  if (settings.loginCustomerId) return settings.loginCustomerId;
  if (paths.has(customerId)) return paths.get(customerId) ?? null;
  for await (const _page of walkAccounts(environment, token, paths, hooks)) {
    if (paths.has(customerId)) return paths.get(customerId) ?? null;
  }
  if (paths.has(customerId)) return paths.get(customerId) ?? null;
  throw new TributaryError(
    'permission_denied',
    `Google Ads: customer ${customerId} is not among the accounts this Google user can reach`,
  );
}
