/**
 * The seeded Google accounts and Google Ads customers of the sandbox: who can sign in, which customers each
 * person reaches directly (`listAccessibleCustomers`), and the manager (MCC) trees under them. Everything
 * derives from fixed labels, so every start yields the same ids, names and statuses.
 */

import { sampleBrands } from '../../../sandbox/sample-brands.ts';
import type { SandboxUserSummary } from '../../kit/types.ts';
import { labelHash, numericId } from './seeded-random.ts';

/** `customer.status` / `customer_client.status` values the seed uses. */
export type CustomerStatus = 'ENABLED' | 'CANCELED' | 'SUSPENDED' | 'CLOSED';

/** One Google Ads customer (a manager account or a client account). */
export interface SeedCustomer {
  /** 10 digits, no dashes. */
  id: string;
  name: string;
  currency: string;
  /** IANA zone; reports use it for days. */
  timeZone: string;
  manager: boolean;
  status: CustomerStatus;
  /** Linked accounts one level down (managers only). */
  children: SeedCustomer[];
  /** The manager directly above, if any. */
  parent?: SeedCustomer | undefined;
}

/** A seeded Google account that can approve the sandbox consent page. */
export interface SeedUser {
  email: string;
  name: string;
  /** OpenID `sub`: Google's numeric account id, 21 digits. */
  sub: string;
  /** Customers the person has direct access to, as `listAccessibleCustomers` lists them. */
  accessible: SeedCustomer[];
}

interface Market {
  label: string;
  currency: string;
  timeZone: string;
}

const markets: readonly Market[] = [
  { label: 'US East', currency: 'USD', timeZone: 'America/New_York' },
  { label: 'Germany', currency: 'EUR', timeZone: 'Europe/Berlin' },
  { label: 'UK', currency: 'GBP', timeZone: 'Europe/London' },
  { label: 'US West', currency: 'USD', timeZone: 'America/Los_Angeles' },
  { label: 'France', currency: 'EUR', timeZone: 'Europe/Paris' },
  { label: 'Australia', currency: 'AUD', timeZone: 'Australia/Sydney' },
  { label: 'Canada', currency: 'CAD', timeZone: 'America/Toronto' },
  { label: 'Japan', currency: 'JPY', timeZone: 'Asia/Tokyo' },
];

const brands = sampleBrands(15);

/** Client accounts directly under "Big Agency MCC" and under "Big Agency Retail". */
export const AGENCY_DIRECT_CLIENTS = 1200;
export const AGENCY_RETAIL_CLIENTS = 50;

/** Agency clients (by index under the top manager) that are not enabled. */
const agencyStatuses: ReadonlyMap<number, CustomerStatus> = new Map([
  [13, 'CANCELED'],
  [404, 'SUSPENDED'],
  [777, 'CLOSED'],
  [1199, 'CANCELED'],
]);

type Draft = Omit<SeedCustomer, 'id' | 'children' | 'parent'> & { children?: Draft[] };

function client(name: string, currency: string, timeZone: string, status: CustomerStatus = 'ENABLED'): Draft {
  return { name, currency, timeZone, manager: false, status };
}

function manager(name: string, currency: string, timeZone: string, children: Draft[]): Draft {
  return { name, currency, timeZone, manager: true, status: 'ENABLED', children };
}

function agencyClient(index: number, wave: string): Draft {
  const market = markets[index % markets.length]!;
  // (brand, market) pairs repeat every 120; the running number keeps every name distinct.
  const name = `${brands[index % brands.length]} — ${market.label} — ${wave}${index + 1}`;
  return client(name, market.currency, market.timeZone, agencyStatuses.get(index));
}

/** Builds the seed from scratch; every call returns equal data (tests check that). */
export function buildSeedUsers(): SeedUser[] {
  const used = new Set<string>();
  const byName = new Map<string, SeedCustomer>();
  const realise = (draft: Draft, parent: SeedCustomer | undefined): SeedCustomer => {
    const { children = [], ...fields } = draft;
    const customer: SeedCustomer = {
      ...fields,
      id: numericId(`tributary/google-ads/customer/${draft.name}`, 10, used),
      children: [],
      parent,
    };
    byName.set(customer.name, customer);
    customer.children = children.map((child) => realise(child, customer));
    return customer;
  };
  const user = (email: string, name: string, trees: Draft[], alsoDirect: string[] = []): SeedUser => {
    const accessible = trees.map((tree) => realise(tree, undefined));
    for (const extra of alsoDirect) accessible.push(byName.get(extra)!);
    // 21 digits like Google's `sub`; two hashes because one 48-bit hash has only 15 digits.
    const digits = `${labelHash(`sub/${email}`)}${labelHash(`sub2/${email}`)}`.padEnd(20, '7').slice(0, 20);
    return { email, name, sub: `1${digits}`, accessible };
  };
  return [
    user(
      'alex@example.com',
      'Alex Morgan',
      [
        manager('Morgan Group MCC', 'USD', 'America/New_York', [
          client('Morgan Brand Search', 'USD', 'America/New_York'),
          manager('Morgan Retail', 'USD', 'America/New_York', [
            client('Retail US Shopping', 'USD', 'America/Los_Angeles'),
            client('Retail Outlet', 'USD', 'America/Chicago', 'CANCELED'),
            manager('Morgan Retail EU', 'EUR', 'Europe/Berlin', [
              client('Retail DE', 'EUR', 'Europe/Berlin'),
              client('Retail FR', 'EUR', 'Europe/Paris'),
              client('Retail UK', 'GBP', 'Europe/London', 'SUSPENDED'),
            ]),
          ]),
        ]),
      ],
      // Also linked to Alex's Google account directly, so reachable with and without the manager.
      ['Retail DE'],
    ),
    user('nora@example.com', 'Nora Quinn', []),
    user('agency@example.com', 'Big Agency Ops', [
      manager('Big Agency MCC', 'USD', 'America/New_York', [
        ...Array.from({ length: AGENCY_DIRECT_CLIENTS }, (_, index) => agencyClient(index, 'A')),
        manager(
          'Big Agency Retail',
          'USD',
          'America/New_York',
          Array.from({ length: AGENCY_RETAIL_CLIENTS }, (_, index) => agencyClient(index, 'R')),
        ),
      ]),
    ]),
    user('sam.lee@example.com', 'Sam Lee', [client('Sam Lee Photography', 'GBP', 'Europe/London')]),
    // Same display name as the user above, on purpose: consumers must key users by id, not name.
    user('sam.lee@example.org', 'Sam Lee', [client('Sam Lee Consulting', 'CAD', 'America/Toronto')]),
  ];
}

/** Every seeded user, in a stable order. Built once per process. */
export const seedUsers: readonly SeedUser[] = buildSeedUsers();

/** Finds a seeded user by email, case-insensitively (people type emails). */
export function findUserByEmail(email: string): SeedUser | undefined {
  const wanted = email.trim().toLowerCase();
  return seedUsers.find((candidate) => candidate.email === wanted);
}

/** The customer and every customer below it, the customer first, depth first. */
export function subtree(customer: SeedCustomer): SeedCustomer[] {
  return [customer, ...customer.children.flatMap(subtree)];
}

/** Every customer a user reaches (directly or through a manager), each once. */
export function reachableCustomers(user: SeedUser): SeedCustomer[] {
  const seen = new Map<string, SeedCustomer>();
  for (const root of user.accessible) for (const customer of subtree(root)) seen.set(customer.id, customer);
  return [...seen.values()];
}

let customerIndex: Map<string, SeedCustomer> | undefined;

/** The seeded customer with this id, or undefined. */
export function findCustomer(id: string): SeedCustomer | undefined {
  if (!customerIndex) {
    customerIndex = new Map();
    for (const user of seedUsers)
      for (const customer of reachableCustomers(user)) customerIndex.set(customer.id, customer);
  }
  return customerIndex.get(id);
}

/** Levels from `ancestor` down to `customer` (0 for itself), or undefined when it is not below it. */
export function levelBelow(ancestor: SeedCustomer, customer: SeedCustomer): number | undefined {
  let level = 0;
  for (let current: SeedCustomer | undefined = customer; current; current = current.parent) {
    if (current === ancestor) return level;
    level += 1;
  }
  return undefined;
}

/** The control API's view of the seeded users: `accounts` counts every customer discovery must find. */
export function userSummaries(): SandboxUserSummary[] {
  return seedUsers.map((seed) => ({
    email: seed.email,
    name: seed.name,
    userId: seed.sub,
    accounts: reachableCustomers(seed).length,
  }));
}
