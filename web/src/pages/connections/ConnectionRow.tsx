import { ActionIcon, Anchor, Button, Checkbox, Group, SimpleGrid, Table, Text, Tooltip } from '@mantine/core';
import { Minus, Plus, RotateCw, Trash2 } from 'lucide-react';
import { memo } from 'react';
import { Link } from 'react-router';
import type { ConnectionView } from '../../../../src/contract/schemas.ts';
import type { ErrorCategory } from '../../../../src/domain/errors.ts';
import { formatDate, formatDateTime } from '../../format.ts';
import { AccountStatusLabel, StatusBadge } from './ConnectionBadges.tsx';

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
  onToggleSelect,
  onToggleExpand,
  onReconnect,
  onDelete,
}: RowProps) {
  const name = connectionName(connection);
  const details = connection.statusDetails;
  return (
    <>
      <Table.Tr data-connection-row={connection.id} bg={selected ? 'indigo.0' : undefined}>
        <Table.Td>
          <Group gap={6} wrap="nowrap">
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
              <span style={{ width: 22, flexShrink: 0 }} />
            )}
            <Checkbox
              size="xs"
              aria-label={`Select ${name}`}
              checked={selected}
              onChange={() => onToggleSelect(connection.id)}
            />
          </Group>
        </Table.Td>
        <Table.Td>
          <Anchor component={Link} to={`/connections/${connection.id}`} fw={500} size="sm" lineClamp={1}>
            {connection.dataSource.name}
          </Anchor>
        </Table.Td>
        <Table.Td>
          <Text size="sm" truncate="end" title={connection.businessAccount ?? undefined}>
            {connection.businessAccount || '—'}
          </Text>
        </Table.Td>
        <Table.Td>
          <StatusBadge status={connection.status} />
        </Table.Td>
        <Table.Td>
          <AccountStatusLabel connection={connection} />
        </Table.Td>
        <Table.Td>
          <Text size="xs" ff="monospace" truncate="end" title={connection.businessAccountId ?? undefined}>
            {connection.businessAccountId || '—'}
          </Text>
        </Table.Td>
        <Table.Td>
          <Text size="sm" title={formatDateTime(connection.createdAt)}>
            {formatDate(connection.createdAt)}
          </Text>
        </Table.Td>
        <Table.Td>
          {connection.lastAuthorizedAt && (
            <Text size="sm" title={formatDateTime(connection.lastAuthorizedAt)}>
              {formatDate(connection.lastAuthorizedAt)}
            </Text>
          )}
        </Table.Td>
        <Table.Td>
          <RowActions
            connection={connection}
            name={name}
            reconnecting={reconnecting}
            onReconnect={onReconnect}
            onDelete={onDelete}
          />
        </Table.Td>
      </Table.Tr>
      {details && expanded && (
        <Table.Tr data-issue-details={connection.id}>
          <Table.Td colSpan={columnCount} bg="red.0">
            <SimpleGrid cols={{ base: 2, lg: 4 }} spacing="lg" py={4} px="xs">
              <Detail label="What happened">{details.message}</Detail>
              <Detail label="When">{formatDateTime(details.at)}</Detail>
              <Detail label="Category">{categoryLabel(details.category)}</Detail>
              <Detail label="What to do">{details.remedy}</Detail>
            </SimpleGrid>
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
});

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
  const canExtract = connection.actions.extract;
  return (
    <Group gap={4} wrap="nowrap" justify="flex-end">
      {canExtract ? (
        <Button
          size="compact-xs"
          variant="light"
          component={Link}
          to={`/extractions/new?connection=${connection.id}`}
          aria-label={`Extract from ${name}`}
        >
          Extract
        </Button>
      ) : (
        <Tooltip label="Needs an active connection with at least one account" withArrow>
          {/* A disabled button gets no pointer events; the span carries the tooltip. */}
          <span>
            <Button
              size="compact-sm"
              variant="light"
              disabled
              aria-label={`Extract from ${name} (unavailable)`}
            >
              Extract
            </Button>
          </span>
        </Tooltip>
      )}
      <Tooltip label="Reconnect" withArrow>
        <ActionIcon
          variant="subtle"
          color="gray"
          size="md"
          aria-label={`Reconnect ${name}`}
          loading={reconnecting}
          disabled={!connection.actions.reconnect}
          onClick={() => onReconnect(connection)}
        >
          <RotateCw size={16} />
        </ActionIcon>
      </Tooltip>
      <Tooltip label="Delete" withArrow>
        <ActionIcon
          variant="subtle"
          color="red"
          size="md"
          aria-label={`Delete ${name}`}
          disabled={!connection.actions.delete}
          onClick={() => onDelete(connection)}
        >
          <Trash2 size={16} />
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}
