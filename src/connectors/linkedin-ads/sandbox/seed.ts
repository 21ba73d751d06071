/**
 * The seeded members and ad accounts of the LinkedIn Ads sandbox. Everything derives from fixed labels,
 * so every start yields the same ids, names and statuses: demos, tests and bug reports can quote them.
 */
import type { SandboxUserSummary } from '../../kit/types.ts';
import { hash32, numericId } from './hash.ts';

/** LinkedIn's ad account `status` values. */
export type AccountStatus = 'ACTIVE' | 'CANCELED' | 'DRAFT' | 'PENDING_DELETION' | 'REMOVED';

/** One ad account as the sandbox stores it. */
export interface SeedAccount {
  /** A long on the wire (JSON number). */
  id: number;
  name: string;
  currency: string;
  status: AccountStatus;
  type: 'BUSINESS' | 'ENTERPRISE';
  /** The company page the account belongs to (`urn:li:organization:N`). */
  reference: string;
  /** Creation instant, epoch ms. */
  createdAt: number;
  /** Number of creatives to generate; most accounts get a small random set. */
  creatives?: number | undefined;
}

/** A seeded LinkedIn member who can approve the sandbox consent page. */
export interface SeedUser {
  email: string;
  name: string;
  givenName: string;
  familyName: string;
  /** OpenID Connect `sub`: LinkedIn's opaque member id (alphanumeric, 10 characters). */
  sub: string;
  accounts: SeedAccount[];
}

/** Accounts of the agency member: more than one page at any page size ≤ 1000. */
export const AGENCY_ACCOUNT_COUNT = 1200;

/** The agency account whose 700 creatives overflow the 15,000-element cap in a 30-day CREATIVE report. */
export const HIGH_VOLUME_ACCOUNT_NAME = 'Big Agency — High Volume';
export const HIGH_VOLUME_CREATIVES = 700;

const brands = [
  'Acme Robotics',
  'Blue Harbor Logistics',
  'Cedar & Pine Legal',
  'Delta Cloud Security',
  'Evergreen Health',
  'Fjord Analytics',
  'Granite Capital',
  'Helio Energy',
  'Indigo HR Suite',
  'Juniper Payroll',
  'Kestrel Consulting',
  'Lumen Recruiting',
] as const;
const markets = [
  { label: 'EMEA', currency: 'EUR' },
  { label: 'North America', currency: 'USD' },
  { label: 'UK', currency: 'GBP' },
  { label: 'Canada', currency: 'CAD' },
  { label: 'APAC', currency: 'AUD' },
] as const;

/** Agency accounts whose status is not ACTIVE (spread over the pages, the last one included). */
const agencyStatuses: ReadonlyMap<number, AccountStatus> = new Map([
  [3, 'CANCELED'],
  [101, 'DRAFT'],
  [640, 'PENDING_DELETION'],
  [999, 'CANCELED'],
  [1000, 'REMOVED'],
  [1199, 'DRAFT'],
]);

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function memberSub(email: string): string {
  let text = '';
  for (let index = 0; text.length < 10; index += 1) {
    text += BASE62[hash32(`tributary/linkedin-ads/member/${email}/${index}`) % 62];
  }
  return text;
}

type Draft = Pick<SeedAccount, 'name' | 'currency'> & Partial<Pick<SeedAccount, 'status' | 'creatives'>>;

/** Builds the seed from scratch; every call returns equal data (tests check that). */
export function buildSeedUsers(): SeedUser[] {
  const used = new Set<number>();
  const user = (email: string, name: string, drafts: Draft[]): SeedUser => {
    const [givenName = name, ...rest] = name.split(' ');
    const organization = numericId(`organization/${email}`, 1, used);
    return {
      email,
      name,
      givenName,
      familyName: rest.join(' '),
      sub: memberSub(email),
      accounts: drafts.map((draft, index) => ({
        id: numericId(`account/${email}/${index}`, 5, used),
        name: draft.name,
        currency: draft.currency,
        status: draft.status ?? 'ACTIVE',
        type: index % 7 === 6 ? 'ENTERPRISE' : 'BUSINESS',
        reference: `urn:li:organization:${organization}`,
        // Created between 2020-01-01 and 2024-01-01, a different day per account.
        createdAt: 1_577_836_800_000 + (hash32(`created/${email}/${index}`) % 1461) * 86_400_000,
        creatives: draft.creatives,
      })),
    };
  };
  return [
    user('alex@example.com', 'Alex Morgan', [
      { name: 'Morgan Studio — EU', currency: 'EUR' },
      { name: 'Morgan Studio — US', currency: 'USD' },
      { name: 'Morgan Studio — Careers', currency: 'GBP' },
      { name: 'Morgan Studio — Old', currency: 'USD', status: 'CANCELED' },
    ]),
    user('nora@example.com', 'Nora Quinn', []),
    user(
      'agency@example.com',
      'Big Agency Ops',
      Array.from({ length: AGENCY_ACCOUNT_COUNT }, (_, index): Draft => {
        if (index === 0) {
          return { name: HIGH_VOLUME_ACCOUNT_NAME, currency: 'USD', creatives: HIGH_VOLUME_CREATIVES };
        }
        const market = markets[index % markets.length]!;
        // (index mod 12, index mod 5) repeats every 60; the wave number keeps all names distinct.
        return {
          name: `${brands[index % brands.length]} — ${market.label} — ${Math.floor(index / 60) + 1}`,
          currency: market.currency,
          status: agencyStatuses.get(index),
        };
      }),
    ),
    user('sam.lee@example.com', 'Sam Lee', [{ name: 'Sam Lee Photography', currency: 'GBP' }]),
    // Same display name as the member above, on purpose: consumers must key members by id, not name.
    user('sam.lee@example.org', 'Sam Lee', [{ name: 'Sam Lee Consulting', currency: 'CAD' }]),
  ];
}

/** Every seeded member, in a stable order. Built once per process. */
export const seedUsers: readonly SeedUser[] = buildSeedUsers();

/** Finds a seeded member by email, case-insensitively (people type emails). */
export function findUserByEmail(email: string): SeedUser | undefined {
  const wanted = email.trim().toLowerCase();
  return seedUsers.find((candidate) => candidate.email === wanted);
}

let accountIndex: Map<number, { owner: SeedUser; account: SeedAccount }> | undefined;

/** The seeded account with this id, with its owner; undefined when there is none. */
export function findAccount(id: number): { owner: SeedUser; account: SeedAccount } | undefined {
  if (!accountIndex) {
    accountIndex = new Map();
    for (const owner of seedUsers) {
      for (const account of owner.accounts) accountIndex.set(account.id, { owner, account });
    }
  }
  return accountIndex.get(id);
}

/** The control API's view of the members: `accounts` counts every account discovery must find. */
export function userSummaries(): SandboxUserSummary[] {
  return seedUsers.map((seed) => ({
    email: seed.email,
    name: seed.name,
    userId: seed.sub,
    accounts: seed.accounts.length,
  }));
}
