import { ActionIcon, Button, Checkbox, Loader, SimpleGrid, Text } from '@mantine/core';
import { Minus, Plus, RotateCw, Trash2 } from 'lucide-react';
import { memo } from 'react';
import { Link } from 'react-router';
import type { ConnectionView } from '../../../../src/contract/schemas.ts';
import type { ErrorCategory } from '../../../../src/domain/errors.ts';
import { formatDate, formatDateTime } from '../../format.ts';
import { useSession } from '../access/session.tsx';
import { accountsLabel, SharedFromBadge, statusLabels } from './ConnectionBadges.tsx';
import classes from './ConnectionRow.module.css';

const statusClass = { active: 'active', error: 'failed', pending: 'pending' } as const;

/** The columns after the leading select/expand cell; the details row spans them all. */
export const columnCount = 9;

const categoryLabels: Record<ErrorCategory, string> = {
  auth: 'Authorization',
  permission: 'Permissions',
  quota: 'Rate limit or quota',
  transient: 'Temporary provider problem',
  provider: 'Provider error',
  config: 'Configuration',
  destination: 'Destination',
  internal: 'Internal error',
};

/** A human name for an error category. */
export function categoryLabel(category: ErrorCategory): string {
  return categoryLabels[category] ?? category;
}

/** How the row names its connection to a screen reader: "Meta Ads alex@example.com". */
export function connectionName(connection: ConnectionView): string {
  return `${connection.dataSource.name} ${connection.businessAccount ?? '(not authorized)'}`;
}

interface RowProps {
  connection: ConnectionView;
  selected: boolean;
  expanded: boolean;
  reconnecting: boolean;
  /** False for a role that cannot delete: no checkbox. */
  selectable: boolean;
  onToggleSelect(id: string): void;
  onToggleExpand(id: string): void;
  onReconnect(connection: ConnectionView): void;
  onDelete(connection: ConnectionView): void;
}

/**
 * One connection: memoised, because polling refreshes the list every 1.5 s and only the rows whose
 * data changed should render again (react-query keeps unchanged rows' objects identical).
 */
export const ConnectionRow = memo(function ConnectionRow({
  connection,
  selected,
  expanded,
  reconnecting,
  selectable,
  onToggleSelect,
  onToggleExpand,
  onReconnect,
  onDelete,
}: RowProps) {
  const name = connectionName(connection);
  const details = connection.statusDetails;
  return (
    <>
      <tr
        data-connection-row={connection.id}
        className={selected ? `${classes.row} ${classes.selected}` : classes.row}
      >
        <td className={classes.cell}>
          <div className={classes.lead}>
            {details ? (
              <ActionIcon
                variant="subtle"
                color="red"
                size="sm"
                aria-label={`${expanded ? 'Hide' : 'Show'} issue details for ${name}`}
                aria-expanded={expanded}
                onClick={() => onToggleExpand(connection.id)}
              >
                {expanded ? <Minus size={16} /> : <Plus size={16} />}
              </ActionIcon>
            ) : (
              <span className={classes.spacer} />
            )}
            {selectable && (
              <Checkbox
                size="xs"
                aria-label={`Select ${name}`}
                checked={selected}
                onChange={() => onToggleSelect(connection.id)}
              />
            )}
          </div>
        </td>
        <td className={classes.cell}>
          <Link to={`/connections/${connection.id}`} className={`${classes.link} ${classes.truncate}`}>
            {connection.dataSource.name}
          </Link>
        </td>
        <td className={classes.cell}>
          <span className={classes.truncate} title={connection.businessAccount ?? undefined}>
            {connection.businessAccount || '—'}
          </span>
          <SharedFromBadge sharedFrom={connection.sharedFrom} />
        </td>
        <td className={classes.cell}>
          <span className={`${classes.badge} ${classes[statusClass[connection.status]]}`}>
            {statusLabels[connection.status]}
          </span>
        </td>
        <td className={classes.cell}>
          <AccountStatusText connection={connection} />
        </td>
        <td className={classes.cell}>
          <span
            className={`${classes.mono} ${classes.truncate}`}
            title={connection.businessAccountId ?? undefined}
          >
            {connection.businessAccountId || '—'}
          </span>
        </td>
        <td className={`${classes.cell} ${classes.nowrap}`} title={formatDateTime(connection.createdAt)}>
          {formatDate(connection.createdAt)}
        </td>
        <td
          className={`${classes.cell} ${classes.nowrap}`}
          title={
            connection.lastAuthorizedAt ? formatDateTime(connection.lastAuthorizedAt) : 'Not authorized yet'
          }
        >
          {connection.lastAuthorizedAt && formatDate(connection.lastAuthorizedAt)}
        </td>
        <td className={classes.cell}>
          <RowActions
            connection={connection}
            name={name}
            reconnecting={reconnecting}
            onReconnect={onReconnect}
            onDelete={onDelete}
          />
        </td>
      </tr>
      {details && expanded && (
        <tr data-issue-details={connection.id} className={classes.row}>
          <td colSpan={columnCount} className={classes.details}>
            <SimpleGrid cols={{ base: 2, lg: 4 }} spacing="lg" py={4}>
              <Detail label="What happened">{details.message}</Detail>
              <Detail label="When">{formatDateTime(details.at)}</Detail>
              <Detail label="Category">{categoryLabel(details.category)}</Detail>
              <Detail label="What to do">{details.remedy}</Detail>
            </SimpleGrid>
          </td>
        </tr>
      )}
    </>
  );
});

/** The Account Status cell in plain elements (see the CSS module on why). */
function AccountStatusText({ connection }: { connection: ConnectionView }) {
  if (connection.accountStatus === 'loading') {
    return (
      <span className={classes.loading}>
        <Loader size={12} aria-hidden />
        <span className={classes.dimmed}>Loading accounts</span>
      </span>
    );
  }
  if (connection.accountStatus === 'error') return <span className={classes.error}>Error</span>;
  if (connection.accountStatus === 'ready') return <span>{accountsLabel(connection.accountsCount)}</span>;
  // Not authorized yet reads as the help page puts it: authorization has not been completed.
  return (
    <span className={classes.dimmed}>
      {connection.status === 'pending' ? 'Loading accounts' : 'No accounts'}
    </span>
  );
}

function Detail({ label, children }: { label: string; children: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm">{children}</Text>
    </div>
  );
}

function RowActions({
  connection,
  name,
  reconnecting,
  onReconnect,
  onDelete,
}: {
  connection: ConnectionView;
  name: string;
  reconnecting: boolean;
  onReconnect(connection: ConnectionView): void;
  onDelete(connection: ConnectionView): void;
}) {
  const { can } = useSession();
  // Shared from another workspace: read and extracted from here, never reconnected or deleted.
  const own = connection.sharedFrom === null;
  // Native titles rather than Mantine tooltips: a hundred floating tooltips per page cost more to
  // mount than the rows themselves. What the role cannot do is not offered at all.
  return (
    <div className={classes.actions}>
      {!can('createExtraction') ? null : connection.actions.extract ? (
        <Button
          size="compact-xs"
          variant="light"
          component={Link}
          to={`/extractions/new?connection=${connection.id}`}
          aria-label={`Extract from ${name}`}
          style={{ flexShrink: 0 }}
        >
          Extract
        </Button>
      ) : (
        <span title="Needs an active connection with at least one account">
          <Button
            size="compact-xs"
            variant="light"
            disabled
            aria-label={`Extract from ${name} (unavailable)`}
          >
            Extract
          </Button>
        </span>
      )}
      {own && can('reconnectConnection') && (
        <ActionIcon
          variant="subtle"
          color="gray"
          size="md"
          title="Reconnect"
          aria-label={`Reconnect ${name}`}
          loading={reconnecting}
          disabled={!connection.actions.reconnect}
          onClick={() => onReconnect(connection)}
        >
          <RotateCw size={16} />
        </ActionIcon>
      )}
      {own && can('deleteConnection') && (
        <ActionIcon
          variant="subtle"
          color="red"
          size="md"
          title="Delete"
          aria-label={`Delete ${name}`}
          disabled={!connection.actions.delete}
          onClick={() => onDelete(connection)}
        >
          <Trash2 size={16} />
        </ActionIcon>
      )}
    </div>
  );
}
