/**
 * Parsing the answers discovery reads: `customers:listAccessibleCustomers` (`{"resourceNames":["customers/…"]}`,
 * `{}` when there are none: proto3 JSON omits empty lists) and `customer_client` rows of `googleAds:search`
 * (`{"customerClient":{"clientCustomer","level","id","manager","descriptiveName","currencyCode","timeZone",
 * "status"}}`, int64 as strings, false and zero values omitted). Google's status enum → our lower-case words.
 */
import { malformed } from './ads-api.ts';

/**
 * The hierarchy query asked of every manager: itself (level 0) and its direct children (level 1). Asking level by
 * level is what gives each client its manager path; Google's own account-hierarchy example does the same.
 */
export const CUSTOMER_CLIENT_QUERY =
  'SELECT customer_client.client_customer, customer_client.level, customer_client.manager, ' +
  'customer_client.descriptive_name, customer_client.currency_code, customer_client.time_zone, ' +
  'customer_client.id, customer_client.status FROM customer_client WHERE customer_client.level <= 1';

/** One `customer_client` row. */
export interface CustomerClient {
  id: string;
  /** 0 = the customer queried, 1 = a direct child. */
  level: number;
  manager: boolean;
  name: string | null;
  currency: string | null;
  timezone: string | null;
  /** The CustomerStatus enum name (`ENABLED`, `CANCELED`…); null when omitted (UNSPECIFIED). */
  status: string | null;
}

const STATUS_WORDS: Record<string, string> = {
  ENABLED: 'active',
  CANCELED: 'canceled',
  SUSPENDED: 'suspended',
  CLOSED: 'closed',
};

/** Google's CustomerStatus as a lower-case word (`ENABLED` → `active`); unknown values keep their own name. */
export function customerStatusWord(status: string | null): string {
  if (!status) return 'unknown';
  return STATUS_WORDS[status] ?? status.toLowerCase().replace(/[^a-z_]/g, '_');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `customers/1234567890` → `1234567890`, or null for anything else. */
export function customerIdOf(resourceName: unknown): string | null {
  if (typeof resourceName !== 'string') return null;
  return /^customers\/(\d+)$/.exec(resourceName)?.[1] ?? null;
}

/** The customer ids of a `listAccessibleCustomers` answer. */
export function parseAccessibleCustomers(body: unknown, label: string): string[] {
  if (!isRecord(body)) throw malformed(label, 'a body that is not a JSON object');
  if (body.resourceNames === undefined) return [];
  if (!Array.isArray(body.resourceNames)) throw malformed(label, 'resourceNames that is not a list');
  return body.resourceNames.map((name) => {
    const id = customerIdOf(name);
    if (!id) throw malformed(label, `a resource name that is not customers/<id> (${JSON.stringify(name)})`);
    return id;
  });
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** An int64 wire value (a decimal string, or a number from a lenient server) as a number; absent is 0. */
function int64(value: unknown, what: string, label: string): number {
  if (value === undefined || value === null) return 0;
  const number = typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number))
    throw malformed(label, `a non-integer ${what}`);
  return number;
}

/** One row of a `customer_client` search. */
function parseCustomerClient(row: unknown, label: string): CustomerClient {
  const client = isRecord(row) ? row.customerClient : undefined;
  if (!isRecord(client)) throw malformed(label, 'a row without customerClient');
  const id = customerIdOf(client.clientCustomer) ?? (typeof client.id === 'string' ? client.id : null);
  if (!id || !/^\d+$/.test(id)) throw malformed(label, 'a customer_client without an id');
  return {
    id,
    level: int64(client.level, 'customer_client.level', label),
    manager: client.manager === true,
    name: text(client.descriptiveName),
    currency: text(client.currencyCode),
    timezone: text(client.timeZone),
    status: text(client.status),
  };
}

/** One page of a `googleAds:search` answer: `{results?, nextPageToken?, fieldMask, …}`. */
export interface CustomerClientPage {
  clients: CustomerClient[];
  nextPageToken: string | null;
}

/** Parses a `customer_client` search page (an empty result has no `results` at all). */
export function parseCustomerClientPage(body: unknown, label: string): CustomerClientPage {
  if (!isRecord(body)) throw malformed(label, 'a body that is not a JSON object');
  const results = body.results ?? [];
  if (!Array.isArray(results)) throw malformed(label, 'results that is not a list');
  const token = body.nextPageToken;
  if (token !== undefined && typeof token !== 'string')
    throw malformed(label, 'a nextPageToken that is not text');
  return {
    clients: results.map((row) => parseCustomerClient(row, label)),
    nextPageToken: token ? token : null,
  };
}
