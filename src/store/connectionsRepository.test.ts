/**
 * The connections list across workspaces on both backends: a page is built from two keyset branches
 * (the workspace's own rows and rows shared with it), so paging must interleave them exactly like
 * one sorted list — every visible row once, in order, nothing from other workspaces.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../../test/postgres.ts';
import { testRequirements } from '../config.ts';
import { type Connection, type ConnectionSortKey, connectionSortKeys } from '../domain/connection.ts';
import { connectionsRepository, type KeysetPosition, sortValueOf } from './connectionsRepository.ts';
import { type Db, migrate, openPglite, openPostgres } from './db.ts';
import { sharesRepository } from './sharesRepository.ts';
import { usersRepository } from './usersRepository.ts';

const { postgresUrl } = testRequirements();

const ours = crypto.randomUUID();
const theirs = crypto.randomUUID();
const third = crypto.randomUUID();

/**
 * Connection `index` of `workspaceId`. Few distinct values per sort key, so equal values (ordered by
 * id) run across both branches; every value is ASCII, where JS and `COLLATE "C"` order alike.
 */
function connection(workspaceId: string, index: number): Connection {
  const names = ['Meta Ads', 'Google Ads', 'GA4', 'TikTok Ads'];
  const accounts = ['Alpha@x.example', 'beta@x.example', 'alpha@x.example', '', 'shared-team@y.example'];
  const statuses = ['loading', 'error', 'ready', 'none'] as const;
  const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n));
  const businessAccount = accounts[index % accounts.length]!;
  return {
    id: crypto.randomUUID(),
    workspaceId,
    dataSource: 'meta-ads',
    dataSourceName: names[(index * 3) % names.length]!,
    authType: 'oauth2',
    businessAccount: businessAccount || null,
    businessAccountId: businessAccount ? String(100 + (index % 3)) : null,
    status: 'active',
    statusDetails: null,
    accountStatus: statuses[index % statuses.length]!,
    accountsCount: statuses[index % statuses.length] === 'ready' ? 1 + (index % 2) : 0,
    accountSync: 'all',
    scopes: [],
    tokenExpiresAt: null,
    createdAt: day(index % 4),
    updatedAt: day(5),
    lastAuthorizedAt: index % 3 === 0 ? null : day(index % 2),
    accountsSyncedAt: null,
  };
}

/** `rows` in the list's order: by sort value, then id, both reversed for desc. */
function sorted(rows: readonly Connection[], sort: ConnectionSortKey, order: 'asc' | 'desc'): string[] {
  const sign = order === 'asc' ? 1 : -1;
  return [...rows]
    .sort((left, right) => {
      const a = sortValueOf(left, sort);
      const b = sortValueOf(right, sort);
      if (a !== b) return a < b ? -sign : sign;
      return left.id < right.id ? -sign : sign;
    })
    .map((row) => row.id);
}

const backends: ['pglite' | 'postgres', () => Promise<Db>][] = [['pglite', () => openPglite(null)]];
const schema = `l_${crypto.randomBytes(5).toString('hex')}`;
if (await postgresAvailable()) backends.push(['postgres', () => openPostgres(postgresUrl, schema)]);

for (const [name, open] of backends) {
  describe(`connections list across workspaces on ${name}`, () => {
    let db: Db;
    /** What each workspace sees: its own connections and those shared with it. */
    const visible = new Map<string, Connection[]>();

    beforeAll(async () => {
      db = await open();
      await migrate(db);
      const at = new Date('2026-01-01T00:00:00Z');
      const userId = crypto.randomUUID();
      await usersRepository.insert(db, {
        id: userId,
        email: 'a@x.example',
        name: 'A',
        passwordHash: null,
        at,
      });
      for (const [id, workspaceName] of [
        [ours, 'Ours'],
        [theirs, 'Theirs'],
        [third, 'Third'],
      ] as const) {
        await usersRepository.insertWorkspace(db, { id, name: workspaceName, at });
        visible.set(id, []);
      }
      const add = async (workspaceId: string, index: number, sharedWith: string[]) => {
        const row = connection(workspaceId, index);
        await connectionsRepository.insert(db, row);
        for (const target of sharedWith) {
          await sharesRepository.insert(db, {
            connectionId: row.id,
            workspaceId: target,
            sharedBy: userId,
            at,
          });
        }
        for (const viewer of [workspaceId, ...sharedWith]) visible.get(viewer)!.push(row);
      };
      // Ours: 7 own; theirs: 6 shared with us (2 of them with the third too), 3 not shared;
      // the third: 2 shared with theirs only, 2 private.
      for (let index = 0; index < 7; index += 1) await add(ours, index, []);
      for (let index = 0; index < 9; index += 1) {
        await add(theirs, index + 2, index < 6 ? (index < 2 ? [ours, third] : [ours]) : []);
      }
      for (let index = 0; index < 4; index += 1) await add(third, index + 1, index < 2 ? [theirs] : []);
    });
    afterAll(async () => {
      if (name === 'postgres') await db.query(`DROP SCHEMA "${schema}" CASCADE`);
      await db?.close();
    });

    /** Every id of one sort, order and search, two rows a page, checking hasMore on the way. */
    async function walk(
      workspaceId: string,
      sort: ConnectionSortKey,
      order: 'asc' | 'desc',
      search: string | null,
    ): Promise<string[]> {
      const walked: string[] = [];
      let after: KeysetPosition | null = null;
      for (let page = 0; page < 50; page += 1) {
        const result = await connectionsRepository.list(db, {
          workspaceId,
          search,
          sort,
          order,
          limit: 2,
          after,
        });
        walked.push(...result.items.map((item) => item.id));
        const last = result.items.at(-1);
        if (!result.hasMore || !last) return walked;
        expect(result.items.length).toBe(2);
        after = { value: sortValueOf(last, sort), id: last.id };
      }
      throw new Error(`${sort} ${order}: more than 50 pages`);
    }

    it('pages own and shared connections together, every row once and in order, in every sort', async () => {
      for (const workspaceId of [ours, theirs]) {
        const rows = visible.get(workspaceId)!;
        expect(rows.length).toBe(workspaceId === ours ? 13 : 11);
        for (const sort of connectionSortKeys) {
          for (const order of ['asc', 'desc'] as const) {
            expect(await walk(workspaceId, sort, order, null), `${sort} ${order}`).toEqual(
              sorted(rows, sort, order),
            );
          }
        }
      }
    });

    it('pages a search the same way, by name and by business account, also sorted by data source', async () => {
      for (const search of ['ads', 'ALPHA', 'shared-team', 'ga4', 'nothing']) {
        const needle = search.toLowerCase();
        const rows = visible
          .get(ours)!
          .filter(
            (row) =>
              row.dataSourceName.toLowerCase().includes(needle) ||
              (row.businessAccount ?? '').toLowerCase().includes(needle),
          );
        for (const sort of connectionSortKeys) {
          for (const order of ['asc', 'desc'] as const) {
            expect(await walk(ours, sort, order, search), `${search} ${sort} ${order}`).toEqual(
              sorted(rows, sort, order),
            );
          }
        }
      }
    });
  });
}
