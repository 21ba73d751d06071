/**
 * Maps domain objects to the contract's response shapes.
 */
import type { AccountView, ConnectionDetailView, ConnectionView } from '../contract/schemas.ts';
import { type Account, type Connection, connectionActions } from '../domain/connection.ts';

const iso = (value: Date | null) => (value ? value.toISOString() : null);

/** The owning workspace of a connection shared with the viewer's (null: the viewer's own connection). */
export type SharedFrom = ConnectionView['sharedFrom'];

/**
 * A connection as a workspace sees it. A connection shared with it (`sharedFrom` set) can be
 * extracted from there but never reconnected or deleted, so those actions are off.
 */
export function connectionView(connection: Connection, sharedFrom: SharedFrom = null): ConnectionView {
  const actions = connectionActions(connection);
  return {
    id: connection.id,
    dataSource: { id: connection.dataSource, name: connection.dataSourceName },
    businessAccount: connection.businessAccount,
    businessAccountId: connection.businessAccountId,
    status: connection.status,
    statusDetails: connection.statusDetails,
    accountStatus: connection.accountStatus,
    accountsCount: connection.accountsCount,
    accountSync: connection.accountSync,
    createdAt: connection.createdAt.toISOString(),
    lastAuthorizedAt: iso(connection.lastAuthorizedAt),
    accountsSyncedAt: iso(connection.accountsSyncedAt),
    actions: sharedFrom ? { ...actions, reconnect: false, delete: false } : actions,
    sharedFrom,
  };
}

export function accountView(account: Account): AccountView {
  return {
    id: account.providerAccountId,
    name: account.name,
    currency: account.currency,
    timezone: account.timezone,
    status: account.providerStatus,
    addedAt: account.addedAt.toISOString(),
    lostAt: iso(account.lostAt),
    selected: account.selected,
    manager: account.manager,
    managerPath: account.managerPath,
  };
}

export function connectionDetailView(
  connection: Connection,
  accounts: Account[],
  sharedFrom: SharedFrom = null,
): ConnectionDetailView {
  return {
    ...connectionView(connection, sharedFrom),
    configuration: {
      authType: connection.authType,
      scopes: connection.scopes,
      tokenExpiresAt: iso(connection.tokenExpiresAt),
    },
    accounts: accounts.map(accountView),
  };
}
