/** The seed is deterministic and matches the agreement's table (members, accounts, currencies, statuses). */
import { describe, expect, it } from 'vitest';
import { entitiesOf } from './entities.ts';
import {
  AGENCY_ACCOUNT_COUNT,
  buildSeedUsers,
  HIGH_VOLUME_ACCOUNT_NAME,
  seedUsers,
  userSummaries,
} from './seed.ts';

describe('seed', () => {
  it('is the same on every build, entities included', () => {
    expect(buildSeedUsers()).toEqual(seedUsers);
    const id = seedUsers[0]!.accounts[0]!.id;
    expect(JSON.stringify(entitiesOf(id))).toBe(JSON.stringify(entitiesOf(id)));
  });

  it('has the agreed members and account counts, ids unique across everything', () => {
    expect(userSummaries().map((user) => [user.email, user.name, user.accounts])).toEqual([
      ['alex@example.com', 'Alex Morgan', 4],
      ['nora@example.com', 'Nora Quinn', 0],
      ['agency@example.com', 'Big Agency Ops', AGENCY_ACCOUNT_COUNT],
      ['sam.lee@example.com', 'Sam Lee', 1],
      ['sam.lee@example.org', 'Sam Lee', 1],
    ]);
    const ids = seedUsers.flatMap((user) => user.accounts.map((account) => account.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(userSummaries().map((user) => user.userId)).size).toBe(5);
    const names = seedUsers[2]!.accounts.map((account) => account.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('has the agreed currencies and statuses', () => {
    const byName = new Map(
      seedUsers.flatMap((user) => user.accounts).map((account) => [account.name, account]),
    );
    expect(['EUR', 'USD', 'GBP', 'USD', 'GBP', 'CAD']).toEqual(
      [
        'Morgan Studio — EU',
        'Morgan Studio — US',
        'Morgan Studio — Careers',
        'Morgan Studio — Old',
        'Sam Lee Photography',
        'Sam Lee Consulting',
      ].map((name) => byName.get(name)!.currency),
    );
    expect(byName.get('Morgan Studio — Old')!.status).toBe('CANCELED');
    const highVolume = byName.get(HIGH_VOLUME_ACCOUNT_NAME)!;
    expect([highVolume.currency, entitiesOf(highVolume.id)!.creatives.length]).toEqual(['USD', 700]);
  });
});
