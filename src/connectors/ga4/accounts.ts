/**
 * Parsing of the two Admin API discovery answers: `accountSummaries` (the Analytics accounts a credential sees,
 * each with the properties it may read: `accountSummaries[]{account, displayName, propertySummaries[]{property,
 * displayName}}`) and `properties?filter=parent:accounts/…` (each property's `timeZone`, `currencyCode`,
 * `deleteTime`). A Tributary account is a GA4 property; its Analytics account is the one name in `managerPath`.
 */
import type { ProviderAccount } from '../kit/types.ts';
import { isRecord, malformed, objectBody } from './google-api.ts';

/** One Analytics account of an `accountSummaries` page, with the properties listed under it. */
export interface AccountSummary {
  /** `accounts/123`. */
  account: string;
  displayName: string;
  properties: { id: string; displayName: string }[];
}

/** A parsed list page: its entries and the token of the next page (null on the last). */
export interface ListPage<T> {
  items: T[];
  nextPageToken: string | null;
}

/** `properties/456` → `456`; null for anything else. */
export function propertyIdOf(name: unknown): string | null {
  if (typeof name !== 'string') return null;
  const match = /^properties\/(\d{1,30})$/.exec(name);
  return match ? match[1]! : null;
}

function optionalText(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function nextToken(body: Record<string, unknown>, label: string): string | null {
  const token = body.nextPageToken;
  if (token === undefined || token === null || token === '') return null;
  if (typeof token !== 'string') throw malformed(label, 'a nextPageToken that is not a string');
  return token;
}

/** A list field that proto3 JSON omits when empty (`{}` is an empty page). */
function listField(body: Record<string, unknown>, name: string, label: string): unknown[] {
  const list = body[name];
  if (list === undefined) return [];
  if (!Array.isArray(list)) throw malformed(label, `a ${name} that is not a list`);
  return list;
}

/** Parses one `accountSummaries` page. */
export function parseAccountSummaries(body: unknown, label: string): ListPage<AccountSummary> {
  const record = objectBody(body, label);
  const items = listField(record, 'accountSummaries', label).map((entry): AccountSummary => {
    if (!isRecord(entry)) throw malformed(label, 'an account summary that is not an object');
    const account = entry.account;
    if (typeof account !== 'string' || !/^accounts\/\d{1,30}$/.test(account)) {
      throw malformed(label, 'an account summary without an accounts/… name');
    }
    const summaries = entry.propertySummaries === undefined ? [] : entry.propertySummaries;
    if (!Array.isArray(summaries)) throw malformed(label, 'propertySummaries that are not a list');
    const properties = summaries.map((summary) => {
      const id = isRecord(summary) ? propertyIdOf(summary.property) : null;
      if (id === null) throw malformed(label, 'a property summary without a properties/… name');
      return { id, displayName: optionalText((summary as Record<string, unknown>).displayName) ?? id };
    });
    return { account, displayName: optionalText(entry.displayName) ?? account, properties };
  });
  return { items, nextPageToken: nextToken(record, label) };
}

/** The status word of a property: `deleted` once it is in the trash (`deleteTime` set), else `active`. */
export function propertyStatusWord(property: Record<string, unknown>): string {
  return optionalText(property.deleteTime) ? 'deleted' : 'active';
}

/** Parses one `properties` page into accounts under the Analytics account `accountName`. */
export function parsePropertiesPage(
  body: unknown,
  label: string,
  accountName: string,
): ListPage<ProviderAccount> {
  const record = objectBody(body, label);
  const items = listField(record, 'properties', label).map((entry): ProviderAccount => {
    if (!isRecord(entry)) throw malformed(label, 'a property that is not an object');
    const id = propertyIdOf(entry.name);
    if (id === null) throw malformed(label, 'a property without a properties/… name');
    return {
      id,
      name: optionalText(entry.displayName) ?? id,
      currency: optionalText(entry.currencyCode),
      timezone: optionalText(entry.timeZone),
      status: propertyStatusWord(entry),
      managerPath: [accountName],
    };
  });
  return { items, nextPageToken: nextToken(record, label) };
}

/**
 * A property the account summary lists but the properties list did not return (access granted on the property
 * alone, or created in between): kept visible with what the summary says rather than dropped.
 */
export function accountFromSummary(
  property: { id: string; displayName: string },
  accountName: string,
): ProviderAccount {
  return {
    id: property.id,
    name: property.displayName,
    currency: null,
    timezone: null,
    status: 'active',
    managerPath: [accountName],
  };
}
