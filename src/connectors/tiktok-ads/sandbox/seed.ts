/**
 * The seeded people and advertisers (ad accounts) of the TikTok Ads sandbox. Everything derives from
 * fixed labels, so every start yields the same ids, names and statuses: demos, tests and bug reports
 * can quote them.
 */

import { sampleBrands } from '../../../sandbox/sample-brands.ts';
import type { SandboxUserSummary } from '../../kit/types.ts';
import { numericId } from './hash.ts';

/** TikTok's advertiser `status` words (`advertiser/info/`). */
export type AdvertiserStatus =
  | 'STATUS_ENABLE'
  | 'STATUS_DISABLE'
  | 'STATUS_LIMIT'
  | 'STATUS_PENDING_CONFIRM'
  | 'STATUS_CONFIRM_FAIL';

/** One advertiser as the sandbox stores it. */
export interface SeedAdvertiser {
  /** Numeric string, 16 digits. */
  advertiserId: string;
  name: string;
  currency: string;
  /** IANA zone; reports use the advertiser's zone for days. */
  timezone: string;
  /** ISO 3166 country of the advertiser's market; also its main audience country. */
  country: string;
  status: AdvertiserStatus;
  company: string;
  /** Creation instant, epoch seconds. */
  createTime: number;
}

/** A seeded TikTok For Business user who can approve the sandbox authorization page. */
export interface SeedUser {
  email: string;
  name: string;
  /** TikTok's `core_user_id`, a numeric string. */
  coreUserId: string;
  advertisers: SeedAdvertiser[];
  /**
   * Advertisers of other users this user's authorization still lists but can no longer read (their admin took the
   * permission back): `advertiser/info/` answers 40001 for them.
   */
  withdrawn: SeedAdvertiser[];
}

/** Every advertiser a user's authorization lists: their own, then the withdrawn ones. */
export function authorizedAdvertisers(user: SeedUser): SeedAdvertiser[] {
  return [...user.advertisers, ...user.withdrawn];
}

const markets = [
  { label: 'Germany', currency: 'EUR', timezone: 'Europe/Berlin', country: 'DE' },
  { label: 'US East', currency: 'USD', timezone: 'America/New_York', country: 'US' },
  { label: 'UK', currency: 'GBP', timezone: 'Europe/London', country: 'GB' },
  { label: 'US West', currency: 'USD', timezone: 'America/Los_Angeles', country: 'US' },
  { label: 'France', currency: 'EUR', timezone: 'Europe/Paris', country: 'FR' },
  { label: 'Australia', currency: 'AUD', timezone: 'Australia/Sydney', country: 'AU' },
  { label: 'Canada', currency: 'CAD', timezone: 'America/Toronto', country: 'CA' },
  { label: 'Singapore', currency: 'SGD', timezone: 'Asia/Singapore', country: 'SG' },
  { label: 'Brazil', currency: 'BRL', timezone: 'America/Sao_Paulo', country: 'BR' },
  { label: 'Mexico', currency: 'MXN', timezone: 'America/Mexico_City', country: 'MX' },
] as const;
type Market = (typeof markets)[number];

const brands = sampleBrands(25);

/** Number of advertisers of the agency user: three `advertiser/info/` batches of at most 100. */
export const AGENCY_ADVERTISER_COUNT = 250;

/** Agency advertisers with a status other than enabled, spread over all three batches (last one too). */
const agencyStatusOverrides: ReadonlyMap<number, AdvertiserStatus> = new Map([
  [7, 'STATUS_DISABLE'],
  [99, 'STATUS_LIMIT'],
  [100, 'STATUS_PENDING_CONFIRM'],
  [163, 'STATUS_CONFIRM_FAIL'],
  [201, 'STATUS_DISABLE'],
  [249, 'STATUS_LIMIT'],
]);

interface Draft {
  name: string;
  market: Market;
  status?: AdvertiserStatus | undefined;
}

function market(label: Market['label']): Market {
  return markets.find((candidate) => candidate.label === label)!;
}

/** Builds the seed from scratch; every call returns equal data (tests check that). */
export function buildSeedUsers(): SeedUser[] {
  const used = new Set<string>();
  const user = (email: string, name: string, company: string, drafts: Draft[]): SeedUser => ({
    email,
    name,
    // Core user ids are long numeric strings; the prefix keeps them apart from advertiser ids.
    coreUserId: numericId(`tributary/tiktok-ads/user/${email}`, '69', used),
    withdrawn: [],
    advertisers: drafts.map((draft, index) => ({
      advertiserId: numericId(`tributary/tiktok-ads/advertiser/${email}/${index}`, '7', used),
      name: draft.name,
      currency: draft.market.currency,
      timezone: draft.market.timezone,
      country: draft.market.country,
      status: draft.status ?? 'STATUS_ENABLE',
      company,
      // Created between 2021-01-01 and 2024-01-01, a step per advertiser so each one differs.
      createTime: 1609459200 + ((index * 7_919_311 + email.length * 86_400) % 94_608_000),
    })),
  });
  const alex = user('alex@example.com', 'Alex Morgan', 'Morgan Studio GmbH', [
    { name: 'Morgan Studio — EU', market: market('Germany') },
    { name: 'Morgan Studio — US', market: market('US East') },
    { name: 'Morgan Studio — UK (paused)', market: market('UK'), status: 'STATUS_DISABLE' },
  ]);
  // Rita once had access to one of Alex's advertisers; Alex's admin withdrew it, but her authorization lists it.
  const rita = user('rita@example.com', 'Rita Shah', 'Shah Retail Ltd', [
    { name: 'Shah Retail — UK', market: market('UK') },
  ]);
  rita.withdrawn = [alex.advertisers[0]!];
  return [
    alex,
    user('nora@example.com', 'Nora Quinn', 'Quinn Consulting', []),
    user(
      'agency@example.com',
      'Big Agency Ops',
      'Big Agency Ops Ltd',
      Array.from({ length: AGENCY_ADVERTISER_COUNT }, (_, index) => {
        const advertiserMarket = markets[index % markets.length]!;
        // (index mod 25, index mod 10) repeats every 50; the wave number keeps all 250 names distinct.
        return {
          name: `${brands[index % brands.length]} — ${advertiserMarket.label} — ${Math.floor(index / 50) + 1}`,
          market: advertiserMarket,
          status: agencyStatusOverrides.get(index),
        };
      }),
    ),
    user('sam.lee@example.com', 'Sam Lee', 'Sam Lee Photography', [
      { name: 'Sam Lee Photography', market: market('UK') },
      { name: 'Lee Family Bakery', market: market('Australia') },
    ]),
    // Same display name as the user above, on purpose: consumers must key users by id, not name.
    user('sam.lee@example.org', 'Sam Lee', 'Sam Lee Consulting', [
      { name: 'Sam Lee Consulting', market: market('Canada') },
    ]),
    rita,
  ];
}

/** Every seeded user, in a stable order. Built once per process. */
export const seedUsers: readonly SeedUser[] = buildSeedUsers();

/** Finds a seeded user by email, case-insensitively (people type emails). */
export function findUserByEmail(email: string): SeedUser | undefined {
  const wanted = email.trim().toLowerCase();
  return seedUsers.find((candidate) => candidate.email === wanted);
}

let advertiserIndex: Map<string, { owner: SeedUser; advertiser: SeedAdvertiser }> | undefined;

/** The seeded advertiser with this id, with its owner; undefined when there is none. */
export function findAdvertiser(id: string): { owner: SeedUser; advertiser: SeedAdvertiser } | undefined {
  if (!advertiserIndex) {
    advertiserIndex = new Map();
    for (const owner of seedUsers) {
      for (const advertiser of owner.advertisers) {
        advertiserIndex.set(advertiser.advertiserId, { owner, advertiser });
      }
    }
  }
  return advertiserIndex.get(id);
}

/** The control API's view of the seeded users: `accounts` counts every advertiser discovery must find. */
export function userSummaries(): SandboxUserSummary[] {
  return seedUsers.map((seed) => ({
    email: seed.email,
    name: seed.name,
    userId: seed.coreUserId,
    // Discovery of a user with a withdrawn advertiser is refused (40001); the count is what the list shows.
    accounts: authorizedAdvertisers(seed).length,
  }));
}
