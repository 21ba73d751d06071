/**
 * Connections: one credential for one data source. Two independent state machines live on it —
 * the credential (`status`) and account discovery (`accountStatus`) — with their allowed
 * transitions as data, checked on every update.
 */
import type { ProblemDetails } from './errors.ts';

export const credentialStatuses = ['pending', 'active', 'error'] as const;
export type CredentialStatus = (typeof credentialStatuses)[number];

export const accountStatuses = ['loading', 'none', 'ready', 'error'] as const;
export type AccountStatus = (typeof accountStatuses)[number];

/** How a connection chooses the accounts extractions may use: all of them (including later ones), or a selection. */
export const accountSyncModes = ['all', 'selected'] as const;
export type AccountSyncMode = (typeof accountSyncModes)[number];

/** Allowed credential transitions: authorization activates, a provider auth failure errors, reconnect re-activates. */
export const credentialTransitions: Record<CredentialStatus, readonly CredentialStatus[]> = {
  pending: ['pending', 'active', 'error'],
  active: ['active', 'error'],
  error: ['error', 'active'],
};

/**
 * Allowed account-discovery transitions. A sync normally passes through `loading`, but two syncs
 * may overlap, so a finished one can land on any outcome from any state.
 */
export const accountTransitions: Record<AccountStatus, readonly AccountStatus[]> = {
  loading: ['loading', 'none', 'ready', 'error'],
  none: ['loading', 'none', 'ready', 'error'],
  ready: ['loading', 'ready', 'none', 'error'],
  error: ['loading', 'error', 'ready', 'none'],
};

/** Throws when a state machine is asked to make a move its table does not allow. */
export function assertTransition<S extends string>(
  machine: string,
  table: Record<S, readonly S[]>,
  from: S,
  to: S,
): void {
  if (!table[from].includes(to)) throw new Error(`Illegal ${machine} transition ${from} → ${to}`);
}

/** A connection as the domain sees it (no credential material). */
export interface Connection {
  id: string;
  /** The workspace that owns it (others may have its accounts shared with them). */
  workspaceId: string;
  dataSource: string;
  dataSourceName: string;
  authType: 'oauth2' | 'api_key' | 'login' | 'service_account';
  businessAccount: string | null;
  businessAccountId: string | null;
  status: CredentialStatus;
  statusDetails: ProblemDetails | null;
  accountStatus: AccountStatus;
  /** Accounts extractions may use: selected and not lost. */
  accountsCount: number;
  accountSync: AccountSyncMode;
  scopes: string[];
  tokenExpiresAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  lastAuthorizedAt: Date | null;
  accountsSyncedAt: Date | null;
}

/** A new connection, before its first authorization completes. */
export function newPendingConnection(
  id: string,
  workspaceId: string,
  source: { id: string; name: string; authType: Connection['authType'] },
  now: Date,
): Connection {
  return {
    id,
    workspaceId,
    dataSource: source.id,
    dataSourceName: source.name,
    authType: source.authType,
    businessAccount: null,
    businessAccountId: null,
    status: 'pending',
    statusDetails: null,
    accountStatus: 'loading',
    accountsCount: 0,
    accountSync: 'all',
    scopes: [],
    tokenExpiresAt: null,
    createdAt: now,
    updatedAt: now,
    lastAuthorizedAt: null,
    accountsSyncedAt: null,
  };
}

/** What a user may do with a connection right now. */
export interface ConnectionActions {
  /** Set up an extraction: only for an active connection with at least one account. */
  extract: boolean;
  /** Always available: reconnecting also fixes an error. */
  reconnect: boolean;
  delete: boolean;
}

export function connectionActions(
  connection: Pick<Connection, 'status' | 'accountsCount'>,
): ConnectionActions {
  return {
    extract: connection.status === 'active' && connection.accountsCount > 0,
    reconnect: true,
    delete: true,
  };
}

/** The account status a finished discovery leads to. */
export function accountStatusFor(activeAccounts: number): AccountStatus {
  return activeAccounts > 0 ? 'ready' : 'none';
}

/** Sort keys the connections list accepts; Status and Actions are deliberately not sortable. */
export const connectionSortKeys = [
  'dataSource',
  'businessAccount',
  'accountStatus',
  'businessAccountId',
  'createdAt',
  'lastAuthorizedAt',
] as const;
export type ConnectionSortKey = (typeof connectionSortKeys)[number];

/** An account discovered behind a connection. */
export interface Account {
  connectionId: string;
  providerAccountId: string;
  name: string;
  currency: string | null;
  timezone: string | null;
  providerStatus: string;
  addedAt: Date;
  lostAt: Date | null;
  /** Whether extractions may use it; new accounts are selected only when the connection syncs all. */
  selected: boolean;
  /** A manager account (Google Ads MCC): it groups others and has no report data of its own. */
  manager: boolean;
  /** Names of the accounts above it, top first; empty for a top-level account. */
  managerPath: string[];
}

/** Whether an extraction may read an account now: reachable, selected, and not a manager (managers hold no data). */
export function isUsableAccount(account: Pick<Account, 'lostAt' | 'selected' | 'manager'>): boolean {
  return account.lostAt === null && account.selected && !account.manager;
}

/**
 * Why a run cannot read an account, or null when it can: lost, a manager, in a status the provider serves no
 * reports for (`unreportableStatuses`, e.g. Google Ads `canceled`), or no longer selected.
 */
export function accountSkipReason(
  account: Pick<Account, 'lostAt' | 'selected' | 'manager' | 'providerStatus'>,
  unreportableStatuses: readonly string[],
): string | null {
  if (account.lostAt !== null) return 'Access to this account was lost';
  if (account.manager) return 'A manager account has no report data of its own; extract its client accounts';
  if (unreportableStatuses.includes(account.providerStatus)) {
    return `The provider serves no reports for a ${account.providerStatus} account`;
  }
  if (!account.selected) return 'The account is no longer selected on its connection';
  return null;
}
