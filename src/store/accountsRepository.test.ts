/**
 * Account discovery bookkeeping on both backends: added, kept, lost and regained, with dates.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../../test/postgres.ts';
import { testRequirements } from '../config.ts';
import type { ProviderAccount } from '../connectors/kit/types.ts';
import { DEFAULT_WORKSPACE_ID } from '../domain/access.ts';
import type { Connection } from '../domain/connection.ts';
import { accountsRepository } from './accountsRepository.ts';
import { connectionsRepository, sortValueOf } from './connectionsRepository.ts';
import { type Db, migrate, openPglite, openPostgres } from './db.ts';

const { postgresUrl } = testRequirements();

const account = (id: string, name = `Account ${id}`): ProviderAccount => ({
  id,
  name,
  currency: 'EUR',
  timezone: 'Europe/Berlin',
  status: 'active',
});

function connection(id: string, overrides: Partial<Connection> = {}): Connection {
  const now = new Date('2026-01-01T00:00:00Z');
  return {
    id,
    workspaceId: DEFAULT_WORKSPACE_ID,
    dataSource: 'meta-ads',
    dataSourceName: 'Meta Ads',
    authType: 'oauth2',
    businessAccount: 'a@example.com',
    businessAccountId: '1',
    status: 'active',
    statusDetails: null,
    accountStatus: 'loading',
    accountsCount: 0,
    accountSync: 'all',
    scopes: ['ads_read'],
    tokenExpiresAt: null,
    createdAt: now,
    updatedAt: now,
    lastAuthorizedAt: now,
    accountsSyncedAt: null,
    ...overrides,
  };
}

const backends: ['pglite' | 'postgres', () => Promise<Db>][] = [['pglite', () => openPglite(null)]];
const schema = `r_${crypto.randomBytes(5).toString('hex')}`;
if (await postgresAvailable()) backends.push(['postgres', () => openPostgres(postgresUrl, schema)]);

for (const [name, open] of backends) {
  describe(`repositories on ${name}`, () => {
    let db: Db;
    beforeAll(async () => {
      db = await open();
      await migrate(db);
    });
    afterAll(async () => {
      if (name === 'postgres') await db.query(`DROP SCHEMA "${schema}" CASCADE`);
      await db?.close();
    });

    it('records added, lost and regained accounts with their dates', async () => {
      const id = crypto.randomUUID();
      await connectionsRepository.insert(db, connection(id));
      const day1 = new Date('2026-02-01T00:00:00Z');
      const day2 = new Date('2026-02-02T00:00:00Z');
      const day3 = new Date('2026-02-03T00:00:00Z');

      expect(
        await accountsRepository.applyDiscovery(db, id, [account('1'), account('2'), account('3')], day1),
      ).toEqual({
        added: 3,
        lost: 0,
        active: 3,
      });
      expect(
        await accountsRepository.applyDiscovery(db, id, [account('1', 'Renamed'), account('4')], day2),
      ).toEqual({
        added: 1,
        lost: 2,
        active: 2,
      });
      let accounts = await accountsRepository.list(db, id);
      const byId = new Map(accounts.map((item) => [item.providerAccountId, item]));
      expect(byId.get('1')).toMatchObject({ name: 'Renamed', lostAt: null, addedAt: day1 });
      expect(byId.get('2')?.lostAt).toEqual(day2);
      expect(byId.get('4')?.addedAt).toEqual(day2);
      expect(accounts.at(-1)?.lostAt).not.toBeNull();

      expect(
        await accountsRepository.applyDiscovery(db, id, [account('1'), account('2'), account('4')], day3),
      ).toEqual({
        added: 0,
        lost: 0,
        active: 3,
      });
      accounts = await accountsRepository.list(db, id);
      expect(accounts.find((item) => item.providerAccountId === '2')).toMatchObject({
        lostAt: null,
        addedAt: day1,
      });
      expect(await accountsRepository.applyDiscovery(db, id, [], day3)).toMatchObject({ lost: 3, active: 0 });
    });

    it('selects accounts: a selection excludes later discoveries, "all" takes everything back', async () => {
      const id = crypto.randomUUID();
      await connectionsRepository.insert(db, connection(id));
      const day1 = new Date('2026-02-01T00:00:00Z');
      await accountsRepository.applyDiscovery(db, id, [account('1'), account('2'), account('3')], day1);

      expect(await accountsRepository.select(db, id, ['2', 'nope'])).toEqual(['nope']);
      expect(await accountsRepository.countUsable(db, id)).toBe(3); // refused: nothing changed
      expect(await accountsRepository.select(db, id, ['2'])).toEqual([]);
      expect(await accountsRepository.countUsable(db, id)).toBe(1);

      // A connection with a selection does not take in accounts discovered later…
      const outcome = await accountsRepository.applyDiscovery(
        db,
        id,
        [account('1'), account('2'), account('3'), account('5')],
        day1,
        false,
      );
      expect(outcome).toEqual({ added: 1, lost: 0, active: 1 });
      const selected = (await accountsRepository.list(db, id)).filter((item) => item.selected);
      expect(selected.map((item) => item.providerAccountId)).toEqual(['2']);

      // …and syncing all selects every account again.
      await accountsRepository.select(db, id, null);
      expect(await accountsRepository.countUsable(db, id)).toBe(4);
    });

    it('keeps manager flags and paths (names with any character) and counts only non-managers as usable', async () => {
      const id = crypto.randomUUID();
      await connectionsRepository.insert(db, connection(id));
      const day1 = new Date('2026-02-01T00:00:00Z');
      const top = { ...account('1', 'Top MCC'), manager: true };
      const sub = { ...account('2', 'Sub, "EU" {x}'), manager: true, managerPath: ['Top MCC'] };
      const client = { ...account('3', 'Client'), managerPath: ['Top MCC', 'Sub, "EU" {x}'] };
      const outcome = await accountsRepository.applyDiscovery(db, id, [top, sub, client, account('4')], day1);
      expect(outcome).toEqual({ added: 4, lost: 0, active: 2 });
      const byId = new Map(
        (await accountsRepository.list(db, id)).map((item) => [item.providerAccountId, item]),
      );
      expect(byId.get('1')).toMatchObject({ manager: true, managerPath: [] });
      expect(byId.get('2')).toMatchObject({ manager: true, managerPath: ['Top MCC'] });
      expect(byId.get('3')).toMatchObject({ manager: false, managerPath: ['Top MCC', 'Sub, "EU" {x}'] });
      // A client moved to the top level loses its path on the next discovery.
      await accountsRepository.applyDiscovery(db, id, [top, sub, account('3', 'Client'), account('4')], day1);
      expect(
        (await accountsRepository.list(db, id)).find((item) => item.providerAccountId === '3'),
      ).toMatchObject({ managerPath: [] });
    });

    it('lists with keyset pages, nulls last-authorized as oldest, and escapes LIKE wildcards', async () => {
      const ids = Array.from({ length: 5 }, () => crypto.randomUUID());
      for (const [index, id] of ids.entries()) {
        await connectionsRepository.insert(
          db,
          connection(id, {
            businessAccount: index === 0 ? 'odd_name%@x.example' : `user${index}@x.example`,
            lastAuthorizedAt: index === 1 ? null : new Date(Date.UTC(2026, 0, 10 + index)),
          }),
        );
      }
      const wildcard = await connectionsRepository.list(db, {
        workspaceId: DEFAULT_WORKSPACE_ID,
        search: '_name%',
        sort: 'createdAt',
        order: 'asc',
        limit: 10,
        after: null,
      });
      expect(wildcard.items.map((item) => item.id)).toEqual([ids[0]]);
      const first = await connectionsRepository.list(db, {
        workspaceId: DEFAULT_WORKSPACE_ID,
        search: 'x.example',
        sort: 'lastAuthorizedAt',
        order: 'asc',
        limit: 2,
        after: null,
      });
      expect(first.items[0]?.id).toBe(ids[1]);
      expect(first.hasMore).toBe(true);
    });

    it('pages a data-source sort under a search exactly like a brute-force filter and sort', async () => {
      const names = ['Meta Ads', 'Google Ads', 'TikTok Ads', 'Metal Widgets'];
      const accounts = ['meta-fan@x.example', 'plain@x.example', 'googler@x.example'];
      const rows: Connection[] = [];
      for (let index = 0; index < 24; index += 1) {
        const row = connection(crypto.randomUUID(), {
          dataSourceName: names[index % names.length]!,
          businessAccount: accounts[index % accounts.length]!,
        });
        rows.push(row);
        await connectionsRepository.insert(db, row);
      }
      for (const search of ['meta', 'GOOGLE', 'x.example', 'nothing']) {
        const needle = search.toLowerCase();
        const everything = (
          await connectionsRepository.list(db, {
            workspaceId: DEFAULT_WORKSPACE_ID,
            search: null,
            sort: 'createdAt',
            order: 'asc',
            limit: 200,
            after: null,
          })
        ).items;
        const matching = everything.filter(
          (row) =>
            row.dataSourceName.toLowerCase().includes(needle) ||
            (row.businessAccount ?? '').toLowerCase().includes(needle),
        );
        for (const order of ['asc', 'desc'] as const) {
          const sign = order === 'asc' ? 1 : -1;
          const expected = [...matching]
            .sort((left, right) => {
              const a = left.dataSourceName.toLowerCase();
              const b = right.dataSourceName.toLowerCase();
              if (a !== b) return a < b ? -sign : sign;
              return left.id < right.id ? -sign : sign;
            })
            .map((row) => row.id);
          const walked: string[] = [];
          let after: { value: string | number; id: string } | null = null;
          for (;;) {
            const page = await connectionsRepository.list(db, {
              workspaceId: DEFAULT_WORKSPACE_ID,
              search,
              sort: 'dataSource',
              order,
              limit: 3,
              after,
            });
            walked.push(...page.items.map((item) => item.id));
            const last = page.items.at(-1);
            if (!page.hasMore || !last) break;
            after = { value: sortValueOf(last, 'dataSource'), id: last.id };
          }
          expect(walked, `${search} ${order}`).toEqual(expected);
        }
      }
      expect(rows.length).toBe(24);
    });
  });
}
