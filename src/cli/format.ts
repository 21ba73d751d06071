/**
 * Plain-text rendering for the CLI: aligned tables and connection summaries.
 */
import type { ConnectionDetailView, ConnectionView } from '../contract/schemas.ts';

/** Renders rows as an aligned text table with a header line. */
export function renderTable(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

/** The Account Status column as the product shows it. */
export function accountStatusLabel(
  connection: Pick<ConnectionView, 'accountStatus' | 'accountsCount'>,
): string {
  switch (connection.accountStatus) {
    case 'loading':
      return 'Loading accounts';
    case 'none':
      return 'No accounts';
    case 'ready':
      return `${connection.accountsCount} account${connection.accountsCount === 1 ? '' : 's'}`;
    case 'error':
      return 'Error';
  }
}

const statusLabel = { pending: 'Pending', active: 'Active', error: 'Error' } as const;
const day = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : '');

/** The eight columns of the Connected Sources list (Actions as the enabled action names). */
export function connectionsTable(connections: ConnectionView[]): string {
  return renderTable(
    [
      'ID',
      'Data Source',
      'Business Account',
      'Status',
      'Account Status',
      'Business Account ID',
      'Created',
      'Last Authorization',
      'Actions',
    ],
    connections.map((connection) => [
      connection.id,
      connection.dataSource.name,
      connection.businessAccount ?? '',
      statusLabel[connection.status],
      accountStatusLabel(connection),
      connection.businessAccountId ?? '',
      day(connection.createdAt),
      day(connection.lastAuthorizedAt),
      Object.entries(connection.actions)
        .filter(([, enabled]) => enabled)
        .map(([action]) => action)
        .join(','),
    ]),
  );
}

/** A connection's details, its problem (if any) and its accounts. */
export function connectionDetails(connection: ConnectionDetailView): string {
  const lines = [
    `Connection        ${connection.id}`,
    `Data source       ${connection.dataSource.name} (${connection.dataSource.id})`,
    `Business account  ${connection.businessAccount ?? '—'} (id ${connection.businessAccountId ?? '—'})`,
    `Status            ${statusLabel[connection.status]}`,
    `Account status    ${accountStatusLabel(connection)}`,
    `Created           ${day(connection.createdAt)}`,
    `Last authorized   ${day(connection.lastAuthorizedAt) || '—'}`,
    `Accounts synced   ${day(connection.accountsSyncedAt) || '—'}`,
    `Account sync      ${connection.accountSync === 'all' ? 'all accounts, including new ones' : 'selected accounts only'}`,
    `Auth type         ${connection.configuration.authType}`,
    `Scopes            ${connection.configuration.scopes.join(', ') || '—'}`,
    `Token expires     ${day(connection.configuration.tokenExpiresAt) || '—'}`,
  ];
  if (connection.statusDetails) {
    const problem = connection.statusDetails;
    lines.push(
      '',
      `Problem (${problem.category}, ${problem.code}) at ${day(problem.at)}:`,
      `  ${problem.message}`,
      `  What to do: ${problem.remedy}`,
    );
  }
  if (connection.accounts.length > 0) {
    lines.push(
      '',
      renderTable(
        ['Account ID', 'Name', 'Currency', 'Time zone', 'Status', 'Added', 'Access lost', 'Selected'],
        connection.accounts.map((account) => [
          account.id,
          account.name,
          account.currency ?? '',
          account.timezone ?? '',
          account.status,
          day(account.addedAt),
          day(account.lostAt),
          account.selected ? 'yes' : 'no',
        ]),
      ),
    );
  }
  return lines.join('\n');
}
