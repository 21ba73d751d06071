/**
 * Ad account discovery: `GET /rest/adAccounts?q=search&search=(…)` lists the accounts the member has a role on,
 * cursor-paged. Account ids are longs on the wire (`"id":1234567`) and decimal strings for us; LinkedIn accounts
 * carry no time zone because reporting days are UTC.
 */
import type { ProviderAccount } from '../kit/types.ts';
import { malformed } from './rest-api.ts';
import { idOf, restliList } from './restli.ts';

/** Every account status, so the search lists canceled and draft accounts too (shown, with their status). */
export const ACCOUNT_STATUSES = ['ACTIVE', 'CANCELED', 'DRAFT', 'PENDING_DELETION', 'REMOVED'];

/** The search criteria of discovery: `(status:(values:List(ACTIVE,…)))`. */
export const ACCOUNT_SEARCH = `(status:(values:${restliList(ACCOUNT_STATUSES)}))`;

/** Accounts per discovery page: the finder's maximum, so most members need one call. */
export const ACCOUNT_PAGE_SIZE = 1000;

/** LinkedIn reports every account's days in UTC. */
export const LINKEDIN_REPORTING_TIMEZONE = 'UTC';

/** A status such as `PENDING_DELETION` as a lower-case word (`pending_deletion`); unknown shapes read `unknown`. */
export function accountStatusWord(status: unknown): string {
  if (typeof status !== 'string' || !/^[A-Z][A-Z0-9_]*$/.test(status)) return 'unknown';
  return status.toLowerCase();
}

/** One element of the account search as a provider account. */
export function parseAdAccount(element: Record<string, unknown>, label: string): ProviderAccount {
  const id = idOf(element.id);
  if (id === null) throw malformed(label, 'an ad account without a numeric id');
  const name = typeof element.name === 'string' && element.name.trim() !== '' ? element.name : id;
  const currency =
    typeof element.currency === 'string' && /^[A-Z]{3}$/.test(element.currency) ? element.currency : null;
  return {
    id,
    name,
    currency,
    timezone: LINKEDIN_REPORTING_TIMEZONE,
    status: accountStatusWord(element.status),
  };
}

/** A page of the account search, without accounts already seen on an earlier page. */
export function parseAdAccountPage(
  elements: Record<string, unknown>[],
  seen: Set<string>,
  label: string,
): ProviderAccount[] {
  const accounts: ProviderAccount[] = [];
  for (const element of elements) {
    const account = parseAdAccount(element, label);
    if (seen.has(account.id)) continue;
    seen.add(account.id);
    accounts.push(account);
  }
  return accounts;
}
