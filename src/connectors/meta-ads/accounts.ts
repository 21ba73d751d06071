/**
 * Parsing of `GET /me/adaccounts` pages. The Graph `User.adaccounts` edge returns AdAccount nodes whose `id`
 * is `act_<account_id>` and whose `account_status` is an unsigned int (facebook-business-sdk-codegen
 * `AdAccount.json`); we keep the bare `account_id` as the account's id everywhere in Tributary.
 */
import { TributaryError } from '../../domain/errors.ts';
import type { ProviderAccount } from '../kit/types.ts';

/** The AdAccount fields discovery asks for; the sandbox and the schema of the page follow these. */
export const AD_ACCOUNT_FIELDS = [
  'id',
  'account_id',
  'name',
  'account_status',
  'currency',
  'timezone_name',
] as const;

/** Meta's documented `account_status` values and the lower-case word we show for each. */
export const ACCOUNT_STATUS_WORDS: Readonly<Record<number, string>> = {
  1: 'active',
  2: 'disabled',
  3: 'unsettled',
  7: 'pending_risk_review',
  8: 'pending_settlement',
  9: 'in_grace_period',
  100: 'pending_closure',
  101: 'closed',
  201: 'any_active',
  202: 'any_closed',
};

/** The status word for an `account_status` value; undocumented values stay visible as `unknown_<n>`. */
export function accountStatusWord(status: unknown): string {
  // The spec says unsigned int; a numeric string is tolerated because Graph serialises some ints as strings.
  const value = typeof status === 'string' && /^\d+$/.test(status) ? Number(status) : status;
  if (typeof value !== 'number' || !Number.isInteger(value)) return 'unknown';
  return ACCOUNT_STATUS_WORDS[value] ?? `unknown_${value}`;
}

/** One parsed page: its accounts and the absolute `paging.next` URL, or null on the last page. */
export interface AdAccountsPage {
  accounts: ProviderAccount[];
  next: string | null;
}

function malformed(label: string, what: string): TributaryError {
  return new TributaryError('provider_malformed_response', `Meta Ads: ${label} returned ${what}`);
}

function optionalString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Maps one AdAccount node, or throws `provider_malformed_response` when it has no usable ids. */
export function parseAdAccount(node: unknown, label: string): ProviderAccount {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    throw malformed(label, 'an ad account that is not an object');
  }
  const record = node as Record<string, unknown>;
  const accountId = optionalString(record.account_id);
  const id = optionalString(record.id);
  if (!accountId || !id) throw malformed(label, 'an ad account without id/account_id');
  return {
    id: accountId,
    // A name is normally present; the act_ id is a recognisable stand-in when a field was filtered out.
    name: optionalString(record.name) ?? id,
    currency: optionalString(record.currency),
    timezone: optionalString(record.timezone_name),
    status: accountStatusWord(record.account_status),
  };
}

/** Parses a whole `/me/adaccounts` page (`{"data":[…],"paging":{…}}`). */
export function parseAdAccountsPage(body: unknown, label: string): AdAccountsPage {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { data?: unknown }).data)) {
    throw malformed(label, 'a page without a data array');
  }
  const { data, paging } = body as { data: unknown[]; paging?: unknown };
  const accounts = data.map((node) => parseAdAccount(node, label));
  let next: string | null = null;
  if (typeof paging === 'object' && paging !== null && 'next' in paging) {
    const value = (paging as { next: unknown }).next;
    if (value !== undefined && value !== null) {
      if (typeof value !== 'string' || value === '')
        throw malformed(label, 'a paging.next that is not a URL');
      next = value;
    }
  }
  return { accounts, next };
}
