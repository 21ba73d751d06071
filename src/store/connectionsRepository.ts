/**
 * SQL for connections: insert, read, state updates and the keyset-paginated list behind the
 * Connected Sources page. Takes the db handle; maps rows to domain objects.
 */
import type {
  AccountStatus,
  AccountSyncMode,
  Connection,
  ConnectionSortKey,
  CredentialStatus,
} from '../domain/connection.ts';
import type { ProblemDetails } from '../domain/errors.ts';
import type { Queryable, Row } from './db.ts';

/** The ORDER BY expression of each sort key; each has a matching (workspace_id, expression, id) index (migration 0009). */
const sortExpressions: Record<ConnectionSortKey, { sql: string; cast: string }> = {
  dataSource: { sql: 'lower(data_source_name) COLLATE "C"', cast: 'text' },
  businessAccount: { sql: 'lower(business_account) COLLATE "C"', cast: 'text' },
  businessAccountId: { sql: 'business_account_id COLLATE "C"', cast: 'text' },
  accountStatus: { sql: 'account_sort', cast: 'int' },
  createdAt: { sql: 'created_at', cast: 'timestamptz' },
  lastAuthorizedAt: { sql: "COALESCE(last_authorized_at, 'epoch'::timestamptz)", cast: 'timestamptz' },
};

/** Where a page starts: the sort value and id of the last row of the previous page. */
export interface KeysetPosition {
  value: string | number;
  id: string;
}

export interface ListConnectionsQuery {
  /** Only connections of this workspace, and those shared with it. */
  workspaceId: string;
  search: string | null;
  sort: ConnectionSortKey;
  order: 'asc' | 'desc';
  limit: number;
  after: KeysetPosition | null;
}

function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(String(value));
}

function rowToConnection(row: Row): Connection {
  return {
    id: String(row.id),
    workspaceId: String(row.workspace_id),
    dataSource: String(row.data_source),
    dataSourceName: String(row.data_source_name),
    authType: row.auth_type as Connection['authType'],
    businessAccount: row.business_account ? String(row.business_account) : null,
    businessAccountId: row.business_account_id ? String(row.business_account_id) : null,
    status: row.status as CredentialStatus,
    statusDetails: (row.status_details as ProblemDetails | null) ?? null,
    accountStatus: row.account_status as AccountStatus,
    accountsCount: Number(row.accounts_count),
    accountSync: row.account_sync === 'selected' ? 'selected' : ('all' satisfies AccountSyncMode),
    scopes: (row.scopes as string[] | null) ?? [],
    tokenExpiresAt: toDate(row.token_expires_at),
    createdAt: toDate(row.created_at)!,
    updatedAt: toDate(row.updated_at)!,
    lastAuthorizedAt: toDate(row.last_authorized_at),
    accountsSyncedAt: toDate(row.accounts_synced_at),
  };
}

/** The sort value of a connection, as a cursor carries it. */
export function sortValueOf(connection: Connection, sort: ConnectionSortKey): string | number {
  switch (sort) {
    case 'dataSource':
      return connection.dataSourceName.toLowerCase();
    case 'businessAccount':
      return (connection.businessAccount ?? '').toLowerCase();
    case 'businessAccountId':
      return connection.businessAccountId ?? '';
    case 'accountStatus':
      return connection.accountStatus === 'loading'
        ? -2
        : connection.accountStatus === 'error'
          ? -1
          : connection.accountsCount;
    case 'createdAt':
      return connection.createdAt.toISOString();
    case 'lastAuthorizedAt':
      return (connection.lastAuthorizedAt ?? new Date(0)).toISOString();
  }
}

/** A connection as column → value, in the table's own representation. */
function columnValues(connection: Connection) {
  return {
    id: connection.id,
    workspace_id: connection.workspaceId,
    data_source: connection.dataSource,
    data_source_name: connection.dataSourceName,
    auth_type: connection.authType,
    created_at: connection.createdAt,
    business_account: connection.businessAccount ?? '',
    business_account_id: connection.businessAccountId ?? '',
    status: connection.status,
    status_details: connection.statusDetails ? JSON.stringify(connection.statusDetails) : null,
    account_status: connection.accountStatus,
    accounts_count: connection.accountsCount,
    account_sync: connection.accountSync,
    scopes: connection.scopes,
    token_expires_at: connection.tokenExpiresAt,
    updated_at: connection.updatedAt,
    last_authorized_at: connection.lastAuthorizedAt,
    accounts_synced_at: connection.accountsSyncedAt,
  };
}

/** Escapes LIKE wildcards so a search for `50%` finds the text `50%`. */
function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (match) => `\\${match}`)}%`;
}

/** Adds a parameter and returns its placeholder (`$1`, `$2`, … in order of binding). */
type Bind = (value: unknown) => string;

/** A WHERE condition that binds its own parameters. */
type Condition = (bind: Bind) => string;

/**
 * The connections a workspace sees — its own and those shared with it — filtered by `where`, as one
 * ordered page of at most `limit` rows. Not one `workspace_id = $w OR id IN (shares)` condition:
 * that defeats the workspace's index and checks shares row by row. Two branches instead, each ordered
 * and limited on its own: own rows walk a workspace-leading index (migration 0009) from the keyset
 * position; shared rows are read share by share (the `OFFSET 0` keeps the planner from turning that
 * into a hash join over the whole table, its pick once a workspace has a few thousand shares) and
 * sorted. The outer sort merges at most 2 × limit rows. The shared branch leaves out the workspace's
 * own rows, so no row comes twice (as with the OR).
 */
function visiblePage(workspace: string, where: readonly string[], orderBy: string, limit: string): string {
  const filters = where.map((condition) => ` AND ${condition}`).join('');
  return `SELECT * FROM (
       (SELECT * FROM connections WHERE workspace_id = ${workspace}::uuid${filters}
        ORDER BY ${orderBy} LIMIT ${limit})
       UNION ALL
       (SELECT * FROM (
          SELECT shared.* FROM connection_shares AS share, LATERAL (
            SELECT * FROM connections
            WHERE id = share.connection_id AND workspace_id <> ${workspace}::uuid${filters} OFFSET 0
          ) AS shared
          WHERE share.workspace_id = ${workspace}::uuid
        ) AS shared_rows
        ORDER BY ${orderBy} LIMIT ${limit})
     ) AS visible
     ORDER BY ${orderBy} LIMIT ${limit}`;
}

/** Search by data source name or business account (both served by trigram indexes). */
function searchCondition(search: string): Condition {
  return (bind) => {
    const pattern = bind(likePattern(search));
    return `(data_source_name ILIKE ${pattern} OR business_account ILIKE ${pattern})`;
  };
}

/** One keyset page (limit + 1 rows, to tell whether more follow) under `conditions`. */
async function selectPage(
  db: Queryable,
  query: ListConnectionsQuery,
  conditions: Condition[],
): Promise<Row[]> {
  const expression = sortExpressions[query.sort];
  const params: unknown[] = [];
  const bind: Bind = (value) => `$${params.push(value)}`;
  const workspace = bind(query.workspaceId);
  const where = conditions.map((condition) => condition(bind));
  if (query.after) {
    const comparison = query.order === 'asc' ? '>' : '<';
    const value = bind(query.after.value);
    const id = bind(query.after.id);
    where.push(`((${expression.sql}), id) ${comparison} (${value}::${expression.cast}, ${id}::uuid)`);
  }
  const direction = query.order === 'asc' ? 'ASC' : 'DESC';
  const limit = bind(query.limit + 1);
  return db.query(
    visiblePage(workspace, where, `${expression.sql} ${direction}, id ${direction}`, limit),
    params,
  );
}

/**
 * Sorting by data source while searching needs its own plan: the rows whose *name* matches sit in
 * one contiguous stretch of the name index (often at its far end), which a filtered index walk
 * finds only after reading most of the table. So the page is built from two ordered parts —
 * rows of each matching name, read by index range, and rows matching by business account only —
 * merged by the same (name, id) order.
 */
async function listByDataSourceWithSearch(
  db: Queryable,
  query: ListConnectionsQuery,
  search: string,
): Promise<Row[]> {
  const needle = search.toLowerCase();
  const names = (await distinctSourceNames(db)).filter((name) => name.includes(needle));
  if (query.order === 'desc') names.reverse();
  const wanted = query.limit + 1;
  const direction = query.order === 'asc' ? 'ASC' : 'DESC';
  const byName: Row[] = [];
  for (const name of names) {
    if (byName.length >= wanted) break;
    const after = query.after;
    if (after && (query.order === 'asc' ? name < String(after.value) : name > String(after.value))) continue;
    const params: unknown[] = [];
    const bind: Bind = (value) => `$${params.push(value)}`;
    const workspace = bind(query.workspaceId);
    const where = [`lower(data_source_name) COLLATE "C" = ${bind(name)}`];
    if (after && name === String(after.value)) {
      where.push(`id ${query.order === 'asc' ? '>' : '<'} ${bind(after.id)}::uuid`);
    }
    const limit = bind(wanted - byName.length);
    byName.push(...(await db.query(visiblePage(workspace, where, `id ${direction}`, limit), params)));
  }
  const byAccount = await selectPage(db, query, [
    (bind) =>
      `business_account ILIKE ${bind(likePattern(search))}` +
      ` AND NOT (lower(data_source_name) COLLATE "C" = ANY(${bind(names)}::text[]))`,
  ]);
  const sign = query.order === 'asc' ? 1 : -1;
  const key = (row: Row) => [String(row.data_source_name).toLowerCase(), String(row.id)] as const;
  return [...byName, ...byAccount]
    .sort((left, right) => {
      const [leftName, leftId] = key(left);
      const [rightName, rightId] = key(right);
      if (leftName !== rightName) return leftName < rightName ? -sign : sign;
      return leftId < rightId ? -sign : leftId > rightId ? sign : 0;
    })
    .slice(0, wanted);
}

/** The distinct (lower-cased) data source names, by a skip scan over the name index: a few probes, not a table scan. */
async function distinctSourceNames(db: Queryable): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `WITH RECURSIVE names(name) AS (
       (SELECT lower(data_source_name) COLLATE "C" FROM connections ORDER BY 1 LIMIT 1)
       UNION ALL
       SELECT (SELECT lower(data_source_name) COLLATE "C" FROM connections
               WHERE lower(data_source_name) COLLATE "C" > names.name ORDER BY 1 LIMIT 1)
       FROM names WHERE names.name IS NOT NULL
     )
     SELECT name FROM names WHERE name IS NOT NULL`,
  );
  return rows.map((row) => row.name);
}

export const connectionsRepository = {
  async insert(db: Queryable, connection: Connection): Promise<void> {
    const columns = columnValues(connection);
    const names = Object.keys(columns);
    await db.query(
      `INSERT INTO connections (${names.join(', ')}) VALUES (${names.map((_, index) => `$${index + 1}`).join(', ')})`,
      Object.values(columns),
    );
  },

  async get(db: Queryable, id: string, options: { forUpdate?: boolean } = {}): Promise<Connection | null> {
    const rows = await db.query(
      `SELECT * FROM connections WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ? rowToConnection(rows[0]) : null;
  },

  /** Writes the mutable fields of `connection` back (the caller checked the transitions). */
  async update(db: Queryable, connection: Connection): Promise<void> {
    const { id, workspace_id, data_source, data_source_name, auth_type, created_at, ...mutable } =
      columnValues(connection);
    const names = Object.keys(mutable);
    await db.query(
      `UPDATE connections SET ${names.map((name, index) => `${name} = $${index + 2}`).join(', ')} WHERE id = $1`,
      [id, ...Object.values(mutable)],
    );
  },

  /** Deletes a connection with its credential, accounts and pending authorizations. Returns false if it was gone. */
  async delete(db: Queryable, id: string): Promise<boolean> {
    const rows = await db.query('DELETE FROM connections WHERE id = $1 RETURNING id', [id]);
    return rows.length > 0;
  },

  /** One page of the list, plus whether more rows follow. */
  async list(db: Queryable, query: ListConnectionsQuery): Promise<{ items: Connection[]; hasMore: boolean }> {
    const rows =
      query.search && query.sort === 'dataSource'
        ? await listByDataSourceWithSearch(db, query, query.search)
        : await selectPage(db, query, query.search ? [searchCondition(query.search)] : []);
    return { items: rows.slice(0, query.limit).map(rowToConnection), hasMore: rows.length > query.limit };
  },

  /** Ids of active connections whose accounts were last synced before `before` (for the daily re-discovery). */
  async listDueForDiscovery(db: Queryable, before: Date): Promise<string[]> {
    const rows = await db.query(
      `SELECT id FROM connections WHERE status = 'active'
         AND (accounts_synced_at IS NULL OR accounts_synced_at < $1) ORDER BY id`,
      [before],
    );
    return rows.map((row) => String(row.id));
  },
};
