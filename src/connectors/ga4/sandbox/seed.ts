/**
 * The seeded Google users, service accounts, GA4 accounts and properties of the sandbox. Everything derives from
 * fixed labels, so every start yields the same ids, names and settings: demos, tests and bug reports can quote them.
 */

import { sampleBrands } from '../../../sandbox/sample-brands.ts';
import type { SandboxUserSummary } from '../../kit/types.ts';
import { numericId } from './hash.ts';

/** One GA4 property as the Admin API describes it. */
export interface SeedProperty {
  /** Digits only (`properties/<id>` on the wire). */
  propertyId: string;
  accountId: string;
  displayName: string;
  timeZone: string;
  currencyCode: string;
  industryCategory: string;
  /** ISO 3166 country of the property's main audience (the traffic generator leans on it). */
  homeCountry: string;
  /** Web properties report landing pages; app properties have `(not set)` there. */
  platform: 'web' | 'app';
  /** Typical sessions on a full day. */
  dailySessions: number;
  /** RFC 3339 with milliseconds, as Google sends them. */
  createTime: string;
  updateTime: string;
}

/** One GA4 account (`accounts/<id>`) and its properties. */
export interface SeedAccount {
  accountId: string;
  displayName: string;
  properties: SeedProperty[];
}

/** A seeded Google user who can approve the sandbox consent page. */
export interface SeedUser {
  email: string;
  name: string;
  givenName: string;
  familyName: string;
  /** Google's stable user id (`sub`): 21 digits. */
  sub: string;
  accounts: SeedAccount[];
}

/** A seeded service account; its key file is in `service-account-keys/`. */
export interface SeedServiceAccount {
  email: string;
  /** The key file's name in `service-account-keys/` (without `.json`). */
  keyFile: string;
  /** The numeric `client_id` of the key file (also the token's `sub`). */
  clientId: string;
  accounts: SeedAccount[];
}

interface Market {
  label: string;
  timeZone: string;
  currencyCode: string;
  country: string;
}

const markets: readonly Market[] = [
  { label: 'DE', timeZone: 'Europe/Berlin', currencyCode: 'EUR', country: 'Germany' },
  { label: 'US', timeZone: 'America/New_York', currencyCode: 'USD', country: 'United States' },
  { label: 'UK', timeZone: 'Europe/London', currencyCode: 'GBP', country: 'United Kingdom' },
  { label: 'US West', timeZone: 'America/Los_Angeles', currencyCode: 'USD', country: 'United States' },
  { label: 'FR', timeZone: 'Europe/Paris', currencyCode: 'EUR', country: 'France' },
  { label: 'AU', timeZone: 'Australia/Sydney', currencyCode: 'AUD', country: 'Australia' },
  { label: 'CA', timeZone: 'America/Toronto', currencyCode: 'CAD', country: 'Canada' },
  { label: 'JP', timeZone: 'Asia/Tokyo', currencyCode: 'JPY', country: 'Japan' },
];

const brands = sampleBrands(20);

const industries = [
  'TECHNOLOGY',
  'SHOPPING',
  'TRAVEL',
  'FOOD_AND_DRINK',
  'HEALTHCARE',
  'ARTS_AND_ENTERTAINMENT',
  'BUSINESS_AND_INDUSTRIAL_MARKETS',
  'HOME_AND_GARDEN',
] as const;

interface PropertyDraft {
  name: string;
  timeZone: string;
  currencyCode: string;
  country: string;
  platform?: 'web' | 'app';
  industry?: string;
}

interface AccountDraft {
  name: string;
  properties: PropertyDraft[];
}

const DAY_MS = 86_400_000;
/** 2021-01-04T00:00:00Z: the seed's first creation instant. */
const SEED_EPOCH = Date.UTC(2021, 0, 4);

function buildAccounts(owner: string, drafts: AccountDraft[], used: Set<string>): SeedAccount[] {
  return drafts.map((draft, accountIndex) => {
    const accountId = numericId(`tributary/ga4/account/${owner}/${draft.name}`, 9, used);
    return {
      accountId,
      displayName: draft.name,
      properties: draft.properties.map((property, index) => {
        const label = `tributary/ga4/property/${owner}/${draft.name}/${index}`;
        const created = SEED_EPOCH + ((accountIndex * 97 + index * 13) % 900) * DAY_MS + index * 3_723_456;
        return {
          propertyId: numericId(label, 9, used),
          accountId,
          displayName: property.name,
          timeZone: property.timeZone,
          currencyCode: property.currencyCode,
          industryCategory: property.industry ?? industries[(accountIndex + index) % industries.length]!,
          homeCountry: property.country,
          platform: property.platform ?? 'web',
          dailySessions: 120 + ((index * 7919 + accountIndex * 131 + owner.length * 17) % 1400),
          createTime: new Date(created).toISOString(),
          updateTime: new Date(created + 41 * DAY_MS + 1234).toISOString(),
        };
      }),
    };
  });
}

function market(label: string): Market {
  return markets.find((candidate) => candidate.label === label)!;
}

function fromMarket(name: string, label: string, extra: Partial<PropertyDraft> = {}): PropertyDraft {
  const found = market(label);
  return {
    name,
    timeZone: found.timeZone,
    currencyCode: found.currencyCode,
    country: found.country,
    ...extra,
  };
}

/** `count` agency client properties with distinct names, spread over markets and industries. */
function agencyProperties(prefix: string, count: number): PropertyDraft[] {
  return Array.from({ length: count }, (_, index) => {
    const where = markets[index % markets.length]!;
    const wave = Math.floor(index / brands.length) + 1;
    return fromMarket(`${brands[index % brands.length]} — ${where.label} ${prefix}${wave}`, where.label, {
      platform: index % 9 === 4 ? 'app' : 'web',
    });
  });
}

/** The whole seed; every call returns equal data (tests check that). */
export function buildSeed(): { users: SeedUser[]; serviceAccounts: SeedServiceAccount[] } {
  const used = new Set<string>();
  const user = (email: string, name: string, drafts: AccountDraft[]): SeedUser => {
    const [givenName = name, ...rest] = name.split(' ');
    return {
      email,
      name,
      givenName,
      familyName: rest.join(' '),
      sub: numericId(`tributary/ga4/user/${email}`, 21, used),
      accounts: buildAccounts(email, drafts, used),
    };
  };
  const alex = user('alex@example.com', 'Alex Morgan', [
    {
      name: 'Morgan Studio',
      properties: [
        fromMarket('morganstudio.com — Web', 'DE', { industry: 'ARTS_AND_ENTERTAINMENT' }),
        fromMarket('Morgan Studio App', 'US', { platform: 'app', industry: 'ARTS_AND_ENTERTAINMENT' }),
      ],
    },
    {
      name: 'Morgan Labs',
      properties: [fromMarket('labs.morganstudio.com', 'UK', { industry: 'TECHNOLOGY' })],
    },
  ]);
  const users = [
    alex,
    user('nora@example.com', 'Nora Quinn', []),
    user('agency@example.com', 'Big Agency Ops', [
      { name: 'Agency Clients A', properties: agencyProperties('A', 230) },
      { name: 'Agency Clients B', properties: agencyProperties('B', 40) },
      { name: 'Agency Internal', properties: agencyProperties('Internal ', 10) },
    ]),
    user('sam.lee@example.com', 'Sam Lee', [
      { name: 'Sam Lee Photography', properties: [fromMarket('samleephoto.co.uk', 'UK')] },
    ]),
    // Same display name as the user above, on purpose: consumers must key users by id, not name.
    user('sam.lee@example.org', 'Sam Lee', [
      { name: 'Sam Lee Consulting', properties: [fromMarket('samleeconsulting.ca', 'CA')] },
    ]),
  ];
  const serviceAccounts: SeedServiceAccount[] = [
    {
      email: 'reporting@tributary-sandbox.iam.gserviceaccount.com',
      keyFile: 'reporting',
      clientId: '104857610000000000001',
      // Granted Viewer on Alex's accounts: sees the very same properties.
      accounts: alex.accounts,
    },
    {
      email: 'no-access@tributary-sandbox.iam.gserviceaccount.com',
      keyFile: 'no-access',
      clientId: '104857610000000000002',
      accounts: [],
    },
  ];
  return { users, serviceAccounts };
}

const seed = buildSeed();

/** Every seeded user, in a stable order. */
export const seedUsers: readonly SeedUser[] = seed.users;

/** Every seeded service account. */
export const seedServiceAccounts: readonly SeedServiceAccount[] = seed.serviceAccounts;

/** Finds a seeded user by email, case-insensitively (people type emails). */
export function findUserByEmail(email: string): SeedUser | undefined {
  const wanted = email.trim().toLowerCase();
  return seedUsers.find((candidate) => candidate.email === wanted);
}

/** Finds a seeded service account by `client_email`. */
export function findServiceAccount(email: string): SeedServiceAccount | undefined {
  const wanted = email.trim().toLowerCase();
  return seedServiceAccounts.find((candidate) => candidate.email === wanted);
}

const propertyIndex = new Map<string, { account: SeedAccount; property: SeedProperty }>();
for (const owner of seedUsers) {
  for (const account of owner.accounts) {
    for (const property of account.properties) propertyIndex.set(property.propertyId, { account, property });
  }
}

/** The seeded property with this id and its account; undefined when there is none. */
export function findProperty(id: string): { account: SeedAccount; property: SeedProperty } | undefined {
  return propertyIndex.get(id);
}

/** The control API's view of the seeded users: `accounts` counts the properties discovery must find. */
export function userSummaries(): SandboxUserSummary[] {
  return seedUsers.map((seedUser) => ({
    email: seedUser.email,
    name: seedUser.name,
    userId: seedUser.sub,
    accounts: seedUser.accounts.reduce((sum, account) => sum + account.properties.length, 0),
  }));
}
