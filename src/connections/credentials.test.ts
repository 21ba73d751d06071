/**
 * Refreshing expiring credentials: one refresh per credential however many readers ask at once, across separate
 * store handles (separate processes on PostgreSQL); the new set stored before it is used; a failed refresh
 * gives the lease back; a lease whose holder died is taken over.
 */
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresAvailable } from '../../test/postgres.ts';
import { testRequirements } from '../config.ts';
import type { TokenSet } from '../connectors/kit/types.ts';
import { DEFAULT_WORKSPACE_ID } from '../domain/access.ts';
import { TributaryError } from '../domain/errors.ts';
import { connectionsRepository } from '../store/connectionsRepository.ts';
import { type Db, migrate, openPglite, openPostgres } from '../store/db.ts';
import { Vault } from '../vault/vault.ts';
import {
  expiresSoon,
  loadCredential,
  REFRESH_MARGIN_MS,
  reauthorizationDue,
  refreshWithLease,
  storeCredential,
  usableCredential,
} from './credentials.ts';

const { postgresUrl } = testRequirements();
const vault = new Vault(crypto.randomBytes(32));
const schema = `c_${crypto.randomBytes(5).toString('hex')}`;

/** A provider's refresh grant as the connector would call it: counts calls, rotates the refresh token. */
function refreshGrant(delayMs = 30) {
  const grant = {
    calls: 0,
    async refresh(token: TokenSet): Promise<TokenSet> {
      grant.calls += 1;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return {
        accessToken: `access-${grant.calls}`,
        refreshToken: `rotated-${grant.calls}`,
        expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
        scopes: token.scopes,
      };
    },
  };
  return grant;
}

async function seedConnection(db: Db, token: TokenSet): Promise<string> {
  const id = crypto.randomUUID();
  const now = new Date();
  await connectionsRepository.insert(db, {
    id,
    workspaceId: DEFAULT_WORKSPACE_ID,
    dataSource: 'google-ads',
    dataSourceName: 'Google Ads',
    authType: 'oauth2',
    businessAccount: 'a@example.com',
    businessAccountId: '1',
    status: 'active',
    statusDetails: null,
    accountStatus: 'ready',
    accountsCount: 1,
    accountSync: 'all',
    scopes: [],
    tokenExpiresAt: null,
    createdAt: now,
    updatedAt: now,
    lastAuthorizedAt: now,
    accountsSyncedAt: now,
  });
  await storeCredential(db, vault, id, token, now);
  return id;
}

const expiring = (): TokenSet => ({
  accessToken: 'access-0',
  refreshToken: 'refresh-0',
  expiresAt: new Date(Date.now() + 60_000).toISOString(),
  scopes: ['ads'],
});

describe('when the user must authorize again', () => {
  const at = '2027-01-01T00:00:00.000Z';
  it("is the refresh token's end when known, never for a self-renewing credential, else the token's expiry", () => {
    const access = { accessToken: 'a', scopes: [], expiresAt: '2026-12-01T00:00:00.000Z' };
    expect(reauthorizationDue({ ...access, refreshToken: 'r', refreshExpiresAt: at }, true)).toEqual(
      new Date(at),
    );
    expect(reauthorizationDue({ ...access, refreshToken: 'r' }, true)).toBeNull();
    expect(reauthorizationDue({ ...access, secrets: { key: '{}' } }, true)).toBeNull();
    // A long-lived token without a refresh grant (Meta) expires when it says.
    expect(reauthorizationDue(access, false)).toEqual(new Date(access.expiresAt));
    expect(reauthorizationDue({ ...access, refreshToken: 'r' }, false)).toEqual(new Date(access.expiresAt));
    expect(reauthorizationDue({ accessToken: 'a', scopes: [] }, true)).toBeNull();
  });
});

describe('expiry margin', () => {
  it('a token expiring within the margin is due, a later one and one without expiry are not', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const at = (ms: number) => ({ ...expiring(), expiresAt: new Date(now + ms).toISOString() });
    expect(expiresSoon(at(REFRESH_MARGIN_MS - 1), now)).toBe(true);
    expect(expiresSoon(at(REFRESH_MARGIN_MS + 1000), now)).toBe(false);
    expect(expiresSoon({ accessToken: 'x', scopes: [] }, now)).toBe(false);
  });
});

const stores: ['pglite' | 'postgres', () => Promise<[Db, Db]>][] = [
  [
    'pglite',
    async () => {
      const db = await openPglite(null);
      return [db, db];
    },
  ],
];
if (await postgresAvailable()) {
  stores.push([
    'postgres',
    async () => [await openPostgres(postgresUrl, schema), await openPostgres(postgresUrl, schema)],
  ]);
}

for (const [name, open] of stores) {
  describe(`credential refresh on ${name}`, () => {
    let first: Db;
    let second: Db;
    beforeAll(async () => {
      [first, second] = await open();
      await migrate(first);
    });
    afterAll(async () => {
      if (name === 'postgres') await first.query(`DROP SCHEMA "${schema}" CASCADE`);
      await first?.close();
      if (second !== first) await second?.close();
    });

    it('readers in two processes at once cause one refresh and all get the stored new token', async () => {
      const id = await seedConnection(first, expiring());
      const grant = refreshGrant();
      const readers = Array.from({ length: 6 }, (_, index) =>
        refreshWithLease({ db: index % 2 ? second : first, vault }, id, grant.refresh, 'access-0'),
      );
      const tokens = await Promise.all(readers);
      expect(grant.calls).toBe(1);
      expect(new Set(tokens.map((token) => token.accessToken))).toEqual(new Set(['access-1']));
      const stored = await loadCredential(second, vault, id);
      expect([stored.accessToken, stored.refreshToken]).toEqual(['access-1', 'rotated-1']);
    });

    it('in one process, concurrent callers share one refresh; a fresh token is not refreshed', async () => {
      const id = await seedConnection(first, expiring());
      const grant = refreshGrant();
      const connector = { refresh: grant.refresh };
      const tokens = await Promise.all(
        Array.from({ length: 4 }, () => usableCredential({ db: first, vault }, id, connector)),
      );
      expect([grant.calls, tokens.every((token) => token.accessToken === 'access-1')]).toEqual([1, true]);
      await usableCredential({ db: first, vault }, id, connector);
      expect(grant.calls).toBe(1);
      // A token the provider refused as expired is refreshed even though its expiry looks far away.
      const forced = await usableCredential({ db: first, vault }, id, connector, { stale: 'access-1' });
      expect([grant.calls, forced.accessToken]).toEqual([2, 'access-2']);
    });

    it('keeps the old refresh token when the provider sends none', async () => {
      const id = await seedConnection(first, expiring());
      const fresh = await refreshWithLease(
        { db: first, vault },
        id,
        async (token) => ({ accessToken: 'access-new', scopes: token.scopes }),
        'access-0',
      );
      expect(fresh.refreshToken).toBe('refresh-0');
      expect((await loadCredential(first, vault, id)).refreshToken).toBe('refresh-0');
    });

    it('a failed refresh gives the lease back and changes nothing', async () => {
      const id = await seedConnection(first, expiring());
      const revoked = async (): Promise<TokenSet> => {
        throw new TributaryError('auth_token_revoked', 'Token has been expired or revoked.');
      };
      await expect(refreshWithLease({ db: first, vault }, id, revoked, 'access-0')).rejects.toMatchObject({
        code: 'auth_token_revoked',
      });
      expect((await loadCredential(first, vault, id)).accessToken).toBe('access-0');
      const grant = refreshGrant(1);
      const fresh = await refreshWithLease({ db: second, vault }, id, grant.refresh, 'access-0');
      expect([grant.calls, fresh.accessToken]).toEqual([1, 'access-1']);
    });

    it('takes over the lease of a refresher that died', async () => {
      const id = await seedConnection(first, expiring());
      await first.query(
        'UPDATE credentials SET refresh_owner = $2, refresh_until = $3 WHERE connection_id = $1',
        [id, 'dead-process', new Date(Date.now() + 300)],
      );
      const grant = refreshGrant(1);
      const fresh = await refreshWithLease({ db: second, vault }, id, grant.refresh, 'access-0');
      expect([grant.calls, fresh.accessToken]).toEqual([1, 'access-1']);
    });
  });
}
