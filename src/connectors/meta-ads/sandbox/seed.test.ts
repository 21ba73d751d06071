import { describe, expect, it } from 'vitest';
import { metaAdsSandbox } from './index.ts';
import { AGENCY_ACCOUNT_COUNT, buildSeedUsers, findUserByEmail, seedUsers, userSummaries } from './seed.ts';

describe('seed', () => {
  it('is deterministic, down to pinned ids', () => {
    expect(buildSeedUsers()).toEqual(seedUsers);
    // Pinned so an accidental change of the seed (which would break demos and recorded traffic) shows up.
    expect(findUserByEmail('alex@example.com')!.userId).toBe('93029907159286132');
    expect(findUserByEmail('agency@example.com')!.userId).toBe('5256442657250225');
    expect(findUserByEmail('agency@example.com')!.accounts[0]!.accountId).toBe('642048566549210');
  });

  it('has the users the brief promises, with their account counts', () => {
    expect(metaAdsSandbox.provider).toBe('meta-ads');
    expect(metaAdsSandbox.users()).toEqual(userSummaries());
    expect(userSummaries().map(({ email, name, accounts }) => [email, name, accounts])).toEqual([
      ['alex@example.com', 'Alex Morgan', 3],
      ['nora@example.com', 'Nora Quinn', 0],
      ['agency@example.com', 'Big Agency Ops', AGENCY_ACCOUNT_COUNT],
      ['sam.lee@example.com', 'Sam Lee', 2],
      ['sam.lee@example.org', 'Sam Lee', 1],
    ]);
    expect(AGENCY_ACCOUNT_COUNT).toBe(1200);
  });

  it('uses well-formed, unique ids', () => {
    const ids = seedUsers.flatMap((user) => [
      user.userId,
      ...user.accounts.map((account) => account.accountId),
    ]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const user of seedUsers) expect(user.userId).toMatch(/^[1-9]\d{14,16}$/);
    for (const account of seedUsers.flatMap((user) => user.accounts)) {
      expect(account.accountId).toMatch(/^[1-9]\d{14,15}$/);
      expect(account.amountSpent).toMatch(/^\d+$/);
    }
    const [com, org] = [findUserByEmail('sam.lee@example.com')!, findUserByEmail('SAM.LEE@example.org ')!];
    expect(com.name).toBe(org.name);
    expect(com.userId).not.toBe(org.userId);
  });

  it('varies currencies, time zones and statuses, with valid IANA zones and distinct names', () => {
    const accounts = seedUsers.flatMap((user) => user.accounts);
    expect(new Set(accounts.map((account) => account.currency)).size).toBeGreaterThanOrEqual(10);
    for (const zone of new Set(accounts.map((account) => account.timezoneName))) {
      expect(() => new Intl.DateTimeFormat('en-US', { timeZone: zone })).not.toThrow();
    }
    const agency = findUserByEmail('agency@example.com')!.accounts;
    expect(new Set(agency.map((account) => account.name)).size).toBe(agency.length);
    const count = (status: number) => agency.filter((account) => account.accountStatus === status).length;
    expect(count(2)).toBeGreaterThanOrEqual(3);
    expect(count(101)).toBeGreaterThanOrEqual(3);
    expect(count(1)).toBeGreaterThan(1100);
    // The very last account is closed: a consumer that drops the last page loses it.
    expect(agency.at(-1)!.accountStatus).toBe(101);
  });
});
