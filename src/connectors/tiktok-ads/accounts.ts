/**
 * Parsing of the two discovery answers: `oauth2/advertiser/get/` (the advertisers the token may read:
 * `data.list[]{advertiser_id, advertiser_name}`) and `advertiser/info/` (details: `data.list[]{advertiser_id,
 * name, currency, timezone, status, …}`), and TikTok's advertiser status codes as lower-case words.
 */
import type { ProviderAccount } from '../kit/types.ts';
import { envelopeData, malformed } from './open-api.ts';

/** The advertiser fields discovery asks `advertiser/info/` for. */
export const ADVERTISER_INFO_FIELDS = ['advertiser_id', 'name', 'currency', 'timezone', 'status'] as const;

/** `advertiser/info/` takes at most this many ids per call (more is code 40011 "Too many IDs"). */
export const ADVERTISER_INFO_BATCH = 100;

/** The status words whose plain form ("enable", "limit") would read oddly on a connection page. */
const STATUS_WORDS: Readonly<Record<string, string>> = {
  STATUS_ENABLE: 'active',
  STATUS_DISABLE: 'disabled',
  STATUS_LIMIT: 'limited',
};

/**
 * The word for an advertiser `status` such as `STATUS_ENABLE`. TikTok has a dozen review states
 * (`STATUS_PENDING_CONFIRM`, `STATUS_CONFIRM_FAIL`, `STATUS_WAIT_FOR_BPM_AUDIT`, …); they keep their own name,
 * lower-cased without the prefix, so a new one shows up readable instead of as "unknown".
 */
export function advertiserStatusWord(status: unknown): string {
  if (typeof status !== 'string' || !/^[A-Z0-9_]+$/.test(status)) return 'unknown';
  return STATUS_WORDS[status] ?? status.replace(/^STATUS_/, '').toLowerCase();
}

/** An id TikTok may send as a string or (in some answers) a JSON number; always a digit string for us. */
export function idText(value: unknown): string | null {
  if (typeof value === 'string' && /^\d{1,30}$/.test(value)) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  return null;
}

function optionalString(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function listOf(body: unknown, label: string): unknown[] {
  const list = envelopeData(body, label).list;
  if (!Array.isArray(list)) throw malformed(label, 'a data object without a list');
  return list;
}

function recordOf(entry: unknown, label: string): Record<string, unknown> {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw malformed(label, 'an advertiser that is not an object');
  }
  return entry as Record<string, unknown>;
}

/** The authorized advertisers of `oauth2/advertiser/get/`, in TikTok's order, without duplicates. */
export function parseAuthorizedAdvertisers(
  body: unknown,
  label: string,
): { id: string; name: string | null }[] {
  const seen = new Set<string>();
  const advertisers: { id: string; name: string | null }[] = [];
  for (const entry of listOf(body, label)) {
    const record = recordOf(entry, label);
    const id = idText(record.advertiser_id);
    if (id === null) throw malformed(label, 'an advertiser without a numeric advertiser_id');
    if (seen.has(id)) continue;
    seen.add(id);
    advertisers.push({ id, name: optionalString(record.advertiser_name) });
  }
  return advertisers;
}

/** The details of `advertiser/info/`, by advertiser id. */
export function parseAdvertiserInfo(body: unknown, label: string): Map<string, ProviderAccount> {
  const accounts = new Map<string, ProviderAccount>();
  for (const entry of listOf(body, label)) {
    const record = recordOf(entry, label);
    const id = idText(record.advertiser_id);
    if (id === null) throw malformed(label, 'an advertiser without a numeric advertiser_id');
    accounts.set(id, {
      id,
      name: optionalString(record.name) ?? id,
      currency: optionalString(record.currency),
      timezone: optionalString(record.timezone),
      status: advertiserStatusWord(record.status),
    });
  }
  return accounts;
}
