/**
 * Reading and writing a connection's credential through the vault, and refreshing expiring credentials (Google,
 * LinkedIn): one refresh at a time per credential across every process, the new set stored before it is used.
 */
import { randomUUID } from 'node:crypto';
import { sleep } from '../connectors/kit/http.ts';
import type { Connector, TokenSet } from '../connectors/kit/types.ts';
import { TributaryError } from '../domain/errors.ts';
import { credentialsRepository } from '../store/credentialsRepository.ts';
import type { Queryable } from '../store/db.ts';
import type { Vault } from '../vault/vault.ts';

/** Refresh an access token this long before it expires, so no read starts with a token about to die. */
export const REFRESH_MARGIN_MS = 10 * 60_000;
/** How long a refresher holds the lease: longer than a refresh call with its retries. */
const REFRESH_LEASE_MS = 2 * 60_000;
/** How often a process waiting for another's refresh looks for the new token. */
const REFRESH_POLL_MS = 150;

/** Seals and stores a token set for a connection (the connection id authenticates the envelope). */
export async function storeCredential(
  db: Queryable,
  vault: Vault,
  connectionId: string,
  token: TokenSet,
  now: Date,
): Promise<void> {
  await credentialsRepository.put(db, connectionId, vault.seal(JSON.stringify(token), connectionId), now);
}

/** Loads and opens a connection's token set; a missing one is an auth error (the user must reconnect). */
export async function loadCredential(db: Queryable, vault: Vault, connectionId: string): Promise<TokenSet> {
  const sealed = await credentialsRepository.get(db, connectionId);
  if (!sealed) throw new TributaryError('auth_token_revoked', 'No credential is stored for this connection');
  return JSON.parse(vault.open(sealed, connectionId)) as TokenSet;
}

/** What refreshing needs: the store, the vault, and the wall clock tokens expire by. */
export interface CredentialStore {
  db: Queryable;
  vault: Vault;
  /** Wall-clock time: provider tokens expire in real time, whatever a sandbox's virtual clock says. */
  clock?: () => number;
}

/** True when the access token expires within the margin (a token without an expiry never does). */
export function expiresSoon(token: TokenSet, nowMs: number): boolean {
  if (!token.expiresAt) return false;
  return Date.parse(token.expiresAt) - nowMs < REFRESH_MARGIN_MS;
}

/**
 * When the user will have to authorize again, as the connection shows it: the refresh token's end when the provider
 * says (LinkedIn's year), never for a credential the connector renews by itself (a Google refresh token or a
 * service-account key), otherwise the access token's own expiry (Meta's 60-day token).
 */
export function reauthorizationDue(token: TokenSet, renewable: boolean): Date | null {
  if (token.refreshExpiresAt) return new Date(token.refreshExpiresAt);
  if (renewable && (token.refreshToken || token.secrets)) return null;
  return token.expiresAt ? new Date(token.expiresAt) : null;
}

/** In-process refreshes under way, by connection: callers in one process share one refresh. */
const inFlight = new Map<string, Promise<TokenSet>>();

/**
 * The connection's credential, ready to use: refreshed first when the connector can refresh and the access token
 * expires soon, or when `stale` names the access token a provider just refused as expired. Concurrent callers in
 * any process share one refresh; the new set is sealed and stored before it is returned.
 */
export async function usableCredential(
  store: CredentialStore,
  connectionId: string,
  connector: Pick<Connector, 'refresh'>,
  options: { stale?: string } = {},
): Promise<TokenSet> {
  const token = await loadCredential(store.db, store.vault, connectionId);
  if (!connector.refresh) return token;
  const nowMs = (store.clock ?? Date.now)();
  const due = options.stale !== undefined ? token.accessToken === options.stale : expiresSoon(token, nowMs);
  if (!due) return token;
  const running = inFlight.get(connectionId);
  if (running) return running;
  const refresh = refreshWithLease(store, connectionId, connector.refresh, token.accessToken).finally(() =>
    inFlight.delete(connectionId),
  );
  inFlight.set(connectionId, refresh);
  return refresh;
}

/**
 * The cross-process half of {@link usableCredential}: takes the credential's refresh lease, refreshes unless
 * another process already replaced the `stale` access token, stores the new set, and returns it. A process that
 * finds the lease taken waits for the token the holder stores (or takes over a lease that ran out).
 */
export async function refreshWithLease(
  store: CredentialStore,
  connectionId: string,
  refresh: (token: TokenSet) => Promise<TokenSet>,
  stale: string,
): Promise<TokenSet> {
  const clock = store.clock ?? Date.now;
  const owner = randomUUID();
  const giveUpAt = clock() + REFRESH_LEASE_MS + 10_000;
  for (;;) {
    const now = new Date(clock());
    const sealed = await credentialsRepository.claimRefresh(
      store.db,
      connectionId,
      owner,
      now,
      new Date(now.getTime() + REFRESH_LEASE_MS),
    );
    if (sealed) {
      try {
        const current = JSON.parse(store.vault.open(sealed, connectionId)) as TokenSet;
        // Another process refreshed between our read and the lease: its token is the one to use.
        if (current.accessToken !== stale) {
          await credentialsRepository.releaseRefresh(store.db, connectionId, owner);
          return current;
        }
        const fresh = await refresh(current);
        const merged: TokenSet = {
          ...fresh,
          // A provider that does not rotate sends no refresh token: the old grant stays valid.
          refreshToken: fresh.refreshToken ?? current.refreshToken,
          refreshExpiresAt: fresh.refreshExpiresAt ?? current.refreshExpiresAt,
          secrets: fresh.secrets ?? current.secrets,
        };
        const sealedFresh = store.vault.seal(JSON.stringify(merged), connectionId);
        await credentialsRepository.completeRefresh(
          store.db,
          connectionId,
          owner,
          sealedFresh,
          new Date(clock()),
        );
        return merged;
      } catch (error) {
        await credentialsRepository.releaseRefresh(store.db, connectionId, owner).catch(() => {});
        throw error;
      }
    }
    // Another process holds the lease: wait for the token it stores.
    await sleep(REFRESH_POLL_MS);
    const current = await loadCredential(store.db, store.vault, connectionId);
    if (current.accessToken !== stale) return current;
    if (clock() > giveUpAt) {
      throw new TributaryError(
        'provider_timeout',
        'Another process is refreshing this credential and has not finished; the call will be retried',
      );
    }
  }
}
