/**
 * Reading and writing a connection's credential through the vault.
 */
import type { TokenSet } from '../connectors/kit/types.ts';
import { TributaryError } from '../domain/errors.ts';
import { credentialsRepository } from '../store/credentialsRepository.ts';
import type { Queryable } from '../store/db.ts';
import type { Vault } from '../vault/vault.ts';

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
