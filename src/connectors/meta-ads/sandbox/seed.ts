/**
 * The seeded people and ad accounts of the Meta Ads sandbox. Everything is derived from fixed seeds
 * (a small PRNG plus index math), so every start yields the same ids, names and statuses: demos, tests
 * and bug reports can quote them.
 */

import { mulberry32 } from '../../../sandbox/label-random.ts';
import { sampleBrands } from '../../../sandbox/sample-brands.ts';
import type { SandboxUserSummary } from '../../kit/types.ts';

/** A business (Business Manager) that owns ad accounts; the `business` field of an AdAccount. */
export interface SeedBusiness {
  id: string;
  name: string;
}

/** One ad account as the sandbox stores it; the Graph routes project it onto requested fields. */
export interface SeedAdAccount {
  /** Bare numeric id; the Graph `id` is `act_<accountId>`. */
  accountId: string;
  name: string;
  /** Meta's numeric status: 1 active, 2 disabled, 3 unsettled, 9 in grace period, 101 closed… */
  accountStatus: number;
  /** Meta's `disable_reason` (0 = none). */
  disableReason: number;
  currency: string;
  /** IANA time zone name, as Meta's `timezone_name`. */
  timezoneName: string;
  /** Lifetime spend in the account currency's minor unit, a numeric string as Meta sends it. */
  amountSpent: string;
  /** Creation instant, epoch seconds. */
  createdTime: number;
  /** Owning business, absent for personal ad accounts. */
  business?: SeedBusiness | undefined;
}

/** A seeded Meta user who can approve the sandbox OAuth dialog. */
export interface SeedUser {
  email: string;
  name: string;
  firstName: string;
  lastName: string;
  /** App-scoped user id, a 15–17 digit numeric string. */
  userId: string;
  /** Key of the `x-business-use-case-usage` header on this user's ad-account calls. */
  usageKey: string;
  accounts: SeedAdAccount[];
}

/** FNV-1a, to turn a readable seed label into a PRNG seed. */
function hashSeed(label: string): number {
  let hash = 0x811c9dc5;
  for (const char of label) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Hands out numeric ids that are unique across the whole seed (users, accounts, businesses). */
class IdMint {
  private readonly seen = new Set<string>();
  constructor(private readonly random: () => number) {}

  next(minDigits: number, maxDigits: number): string {
    for (;;) {
      const length = minDigits + Math.floor(this.random() * (maxDigits - minDigits + 1));
      let id = String(1 + Math.floor(this.random() * 9));
      while (id.length < length) id += String(Math.floor(this.random() * 10));
      if (!this.seen.has(id)) {
        this.seen.add(id);
        return id;
      }
    }
  }
}

/** Currency and IANA time zone pairs a real agency would plausibly run. */
const markets = [
  { label: 'US East', currency: 'USD', timezone: 'America/New_York' },
  { label: 'US West', currency: 'USD', timezone: 'America/Los_Angeles' },
  { label: 'Germany', currency: 'EUR', timezone: 'Europe/Berlin' },
  { label: 'France', currency: 'EUR', timezone: 'Europe/Paris' },
  { label: 'UK', currency: 'GBP', timezone: 'Europe/London' },
  { label: 'Canada', currency: 'CAD', timezone: 'America/Toronto' },
  { label: 'Australia', currency: 'AUD', timezone: 'Australia/Sydney' },
  { label: 'Japan', currency: 'JPY', timezone: 'Asia/Tokyo' },
  { label: 'Brazil', currency: 'BRL', timezone: 'America/Sao_Paulo' },
  { label: 'India', currency: 'INR', timezone: 'Asia/Kolkata' },
  { label: 'Sweden', currency: 'SEK', timezone: 'Europe/Stockholm' },
  { label: 'Switzerland', currency: 'CHF', timezone: 'Europe/Zurich' },
  { label: 'Mexico', currency: 'MXN', timezone: 'America/Mexico_City' },
  { label: 'Singapore', currency: 'SGD', timezone: 'Asia/Singapore' },
] as const;

/** Agency client brands; one carries `&` and accents so consumers must handle escaping and Unicode. */
const brands = sampleBrands(40);

const campaignLines = ['Prospecting', 'Retargeting', 'Brand', 'Performance', 'Awareness'] as const;

/** Number of ad accounts of the agency user: more than two maximum-size pages, so paging is forced. */
export const AGENCY_ACCOUNT_COUNT = 1200;

/**
 * Agency account indexes with a non-active status (index → [account_status, disable_reason]). Spread
 * over several pages, including the very last account, so a consumer that stops early misses one.
 */
const agencyStatusOverrides: ReadonlyMap<number, readonly [number, number]> = new Map([
  [17, [2, 1]],
  [233, [2, 3]],
  [480, [2, 1]],
  [777, [2, 7]],
  [1111, [2, 1]],
  [91, [101, 0]],
  [640, [101, 0]],
  [1005, [101, 0]],
  [1199, [101, 0]],
  [350, [3, 0]],
  [905, [9, 0]],
]);

interface AccountDraft {
  name: string;
  market: (typeof markets)[number];
  status?: readonly [number, number];
  business?: SeedBusiness;
}

function makeAccounts(mint: IdMint, random: () => number, drafts: AccountDraft[]): SeedAdAccount[] {
  // Accounts created between 2014-01-01 and 2025-01-01 (epoch seconds).
  const from = 1388534400;
  const span = 1735689600 - from;
  return drafts.map((draft) => ({
    accountId: mint.next(15, 16),
    name: draft.name,
    accountStatus: draft.status?.[0] ?? 1,
    disableReason: draft.status?.[1] ?? 0,
    currency: draft.market.currency,
    timezoneName: draft.market.timezone,
    amountSpent: String(Math.floor(random() * 250_000_000)),
    createdTime: from + Math.floor(random() * span),
    business: draft.business,
  }));
}

function market(label: (typeof markets)[number]['label']): (typeof markets)[number] {
  return markets.find((candidate) => candidate.label === label)!;
}

/** Builds the seed from scratch; every call returns equal data (tests check that). */
export function buildSeedUsers(): SeedUser[] {
  const random = mulberry32(hashSeed('tributary/meta-ads/sandbox/v1'));
  const mint = new IdMint(random);
  const user = (email: string, name: string, drafts: (userName: string) => AccountDraft[]): SeedUser => {
    const userId = mint.next(15, 17);
    const [firstName = name, ...rest] = name.split(' ');
    const accounts = makeAccounts(mint, random, drafts(name));
    const business = accounts.find((account) => account.business)?.business;
    return {
      email,
      name,
      firstName,
      lastName: rest.join(' '),
      userId,
      usageKey: business?.id ?? userId,
      accounts,
    };
  };

  const morganStudio: SeedBusiness = { id: mint.next(15, 16), name: 'Morgan Studio' };
  const agencyBusiness: SeedBusiness = { id: mint.next(15, 16), name: 'Big Agency Ops Ltd' };

  return [
    user('alex@example.com', 'Alex Morgan', (userName) => [
      // A personal ad account is named after its owner and belongs to no business, as on Meta.
      { name: userName, market: market('US West') },
      { name: 'Morgan Studio — US', market: market('US East'), business: morganStudio },
      { name: 'Morgan Studio — EU', market: market('Germany'), business: morganStudio },
    ]),
    user('nora@example.com', 'Nora Quinn', () => []),
    user('agency@example.com', 'Big Agency Ops', () =>
      Array.from({ length: AGENCY_ACCOUNT_COUNT }, (_, index) => {
        // index → (index mod 40, index mod 14) is one-to-one below lcm(40, 14) = 280, and the campaign
        // line changes every 280 accounts, so all 1,200 names are distinct while neighbours differ in
        // market (and therefore currency and time zone) on every page.
        const accountMarket = markets[index % markets.length]!;
        const line = campaignLines[Math.floor(index / 280)]!;
        return {
          name: `${brands[index % brands.length]} — ${accountMarket.label} — ${line}`,
          market: accountMarket,
          status: agencyStatusOverrides.get(index),
          business: agencyBusiness,
        };
      }),
    ),
    user('sam.lee@example.com', 'Sam Lee', () => [
      { name: 'Sam Lee Photography', market: market('UK') },
      { name: 'Lee Family Bakery', market: market('Australia') },
    ]),
    // Same display name as the user above, on purpose: consumers must key users by id, not name.
    user('sam.lee@example.org', 'Sam Lee', () => [{ name: 'Sam Lee Consulting', market: market('Canada') }]),
  ];
}

/** Every seeded user, in a stable order. Built once per process. */
export const seedUsers: readonly SeedUser[] = buildSeedUsers();

/** Finds a seeded user by email, case-insensitively (emails are typed by people on the consent page). */
export function findUserByEmail(email: string): SeedUser | undefined {
  const wanted = email.trim().toLowerCase();
  return seedUsers.find((candidate) => candidate.email === wanted);
}

/** The control API's view of the seeded users: `accounts` counts every account discovery must find. */
export function userSummaries(): SandboxUserSummary[] {
  return seedUsers.map((seed) => ({
    email: seed.email,
    name: seed.name,
    userId: seed.userId,
    accounts: seed.accounts.length,
  }));
}
