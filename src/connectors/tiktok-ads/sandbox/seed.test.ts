import { describe, expect, it } from 'vitest';
import { cellsOf } from './audience.ts';
import { entitiesOf } from './entities.ts';
import {
  AGENCY_ADVERTISER_COUNT,
  buildSeedUsers,
  findAdvertiser,
  findUserByEmail,
  userSummaries,
} from './seed.ts';

describe('seed', () => {
  it('is deterministic', () => {
    expect(buildSeedUsers()).toEqual(buildSeedUsers());
  });

  it('has the agreed users and advertiser counts', () => {
    expect(userSummaries().map(({ email, name, accounts }) => ({ email, name, accounts }))).toEqual([
      { email: 'alex@example.com', name: 'Alex Morgan', accounts: 3 },
      { email: 'nora@example.com', name: 'Nora Quinn', accounts: 0 },
      { email: 'agency@example.com', name: 'Big Agency Ops', accounts: AGENCY_ADVERTISER_COUNT },
      { email: 'sam.lee@example.com', name: 'Sam Lee', accounts: 2 },
      { email: 'sam.lee@example.org', name: 'Sam Lee', accounts: 1 },
      { email: 'rita@example.com', name: 'Rita Shah', accounts: 2 },
    ]);
    expect(AGENCY_ADVERTISER_COUNT).toBe(250);
  });

  it('gives Alex a EUR Berlin, a USD New York and a disabled advertiser', () => {
    const alex = findUserByEmail('ALEX@example.com ')!;
    expect(alex.advertisers.map((a) => [a.currency, a.timezone, a.status])).toEqual([
      ['EUR', 'Europe/Berlin', 'STATUS_ENABLE'],
      ['USD', 'America/New_York', 'STATUS_ENABLE'],
      ['GBP', 'Europe/London', 'STATUS_DISABLE'],
    ]);
  });

  it('has unique numeric ids that stay exact as JSON numbers', () => {
    const ids = userSummaries().map((user) => user.userId);
    for (const user of buildSeedUsers()) {
      for (const advertiser of user.advertisers) {
        ids.push(advertiser.advertiserId);
        const entities = entitiesOf(advertiser.advertiserId)!;
        for (const list of [entities.campaigns, entities.adgroups, entities.ads])
          ids.push(...list.map((e) => e.id));
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^\d{16}$/);
      expect(Number.isSafeInteger(Number(id))).toBe(true);
    }
  });

  it('builds campaigns → ad groups → ads and three audience countries per advertiser', () => {
    const advertiser = findUserByEmail('alex@example.com')!.advertisers[0]!;
    expect(findAdvertiser(advertiser.advertiserId)?.advertiser).toBe(advertiser);
    const entities = entitiesOf(advertiser.advertiserId)!;
    expect(entities.campaigns.length).toBeGreaterThanOrEqual(2);
    expect(entities.campaigns[0]!.objective).toBe('WEB_CONVERSIONS');
    for (const ad of entities.ads) expect(entities.adgroups[ad.adgroup]!.campaign).toBe(ad.campaign);
    expect(cellsOf(entities)).toHaveLength(6 * 3 * 3);
    expect(entitiesOf('1')).toBeUndefined();
  });

  it('spreads non-enabled agency advertisers over all three discovery batches', () => {
    const statuses = findUserByEmail('agency@example.com')!.advertisers.map((a) => a.status);
    for (const batch of [0, 100, 200]) {
      expect(statuses.slice(batch, batch + 100).some((status) => status !== 'STATUS_ENABLE')).toBe(true);
    }
    expect(statuses.at(-1)).toBe('STATUS_LIMIT');
  });
});
