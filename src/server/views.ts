/**
 * Maps domain objects to the contract's response shapes.
 */
import type { AccountView, ConnectionDetailView, ConnectionView } from '../contract/schemas.ts';
import { type Account, type Connection, connectionActions } from '../domain/connection.ts';

const iso = (value: Date | null) => (value ? value.toISOString() : null);

export function connectionView(connection: Connection): ConnectionView {
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
    actions: connectionActions(connection),
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

export function connectionDetailView(connection: Connection, accounts: Account[]): ConnectionDetailView {
  return {
    ...connectionView(connection),
    configuration: {
      authType: connection.authType,
      scopes: connection.scopes,
      tokenExpiresAt: iso(connection.tokenExpiresAt),
    },
    accounts: accounts.map(accountView),
  };
}
