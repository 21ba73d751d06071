import { Checkbox, Group, Skeleton, Table, Text, UnstyledButton } from '@mantine/core';
import { ArrowDown, ArrowUp, ArrowUpDown } from 'lucide-react';
import { Fragment, startTransition, useEffect, useState } from 'react';
import type { ConnectionView } from '../../../../src/contract/schemas.ts';
import type { ConnectionSortKey } from '../../../../src/domain/connection.ts';
import { ConnectionRow, columnCount } from './ConnectionRow.tsx';
import type { SortOrder } from './useConnectionsList.ts';

interface Column {
  label: string;
  sort?: ConnectionSortKey;
  width?: number;
}

// Fixed widths keep the table steady while pages load and polls refresh; Business Account takes
// what is left, so the table fits a 1280-wide screen next to the menu.
const columns: Column[] = [
  { label: 'Data Source', sort: 'dataSource', width: 96 },
  { label: 'Business Account', sort: 'businessAccount' },
  { label: 'Status', width: 80 },
  { label: 'Account Status', sort: 'accountStatus', width: 124 },
  { label: 'Business Account ID', sort: 'businessAccountId', width: 138 },
  { label: 'Created', sort: 'createdAt', width: 110 },
  { label: 'Last Authorization', sort: 'lastAuthorizedAt', width: 116 },
  { label: 'Actions', width: 136 },
];

// A first screenful at 1080p; the rest of the page renders in the next, interruptible pass.
const firstPassRows = 16;

/**
 * The rows to render now: on a new search or sort only the top of the list, so the rows a person
 * sees show as soon as the response is in, then all of them right after that paint.
 */
function useProgressiveRows<T>(rows: T[], viewKey: string, stale: boolean): T[] {
  const [complete, setComplete] = useState<string | null>(null);
  // The previous view's rows stay whole while the new ones load: no shrinking table meanwhile.
  const done = stale || complete === viewKey;
  useEffect(() => {
    if (done) return;
    const frame = requestAnimationFrame(() => startTransition(() => setComplete(viewKey)));
    return () => cancelAnimationFrame(frame);
  }, [done, viewKey]);
  return done ? rows : rows.slice(0, firstPassRows);
}

// Stable keys for the skeleton rows and cells shown before the first page arrives.
const placeholderRows = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8'];
const placeholderCells = Array.from({ length: columnCount }, (_, index) => `c${index}`);

/** The Connected Sources table: eight columns, sortable headers, optional group rows per source. */
export function ConnectionsTable({
  rows,
  loading,
  stale,
  viewKey,
  sort,
  order,
  grouped,
  selected,
  expanded,
  reconnectingId,
  onSort,
  onToggleSelect,
  onToggleAll,
  selectable,
  onToggleExpand,
  onReconnect,
  onDelete,
}: {
  rows: ConnectionView[];
  loading: boolean;
  /** True while the rows shown belong to the previous search or sort. */
  stale: boolean;
  viewKey: string;
  sort: ConnectionSortKey;
  order: SortOrder;
  grouped: boolean;
  selected: ReadonlySet<string>;
  expanded: ReadonlySet<string>;
  reconnectingId: string | null;
  onSort(sort: ConnectionSortKey): void;
  onToggleSelect(id: string): void;
  onToggleAll(): void;
  /** False for a role that cannot delete: rows have no checkboxes then. */
  selectable: boolean;
  onToggleExpand(id: string): void;
  onReconnect(connection: ConnectionView): void;
  onDelete(connection: ConnectionView): void;
}) {
  const selectedShown = rows.filter((row) => selected.has(row.id)).length;
  const shown = useProgressiveRows(rows, viewKey, stale);
  return (
    <Table.ScrollContainer minWidth={1000}>
      <Table
        className="stable-table"
        highlightOnHover
        verticalSpacing="xs"
        horizontalSpacing={8}
        aria-label="Connected sources"
        aria-busy={loading || stale}
        data-view={viewKey}
        data-stale={stale || loading ? 'true' : 'false'}
        style={{ opacity: stale ? 0.6 : 1, transition: 'opacity 120ms' }}
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={56}>
              <Group gap={6} wrap="nowrap">
                <span style={{ width: 22, flexShrink: 0 }} />
                {selectable && (
                  <Checkbox
                    size="xs"
                    aria-label="Select all shown connections"
                    checked={rows.length > 0 && selectedShown === rows.length}
                    indeterminate={selectedShown > 0 && selectedShown < rows.length}
                    disabled={rows.length === 0}
                    onChange={onToggleAll}
                  />
                )}
              </Group>
            </Table.Th>
            {columns.map((column) => (
              <HeaderCell key={column.label} column={column} sort={sort} order={order} onSort={onSort} />
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {loading
            ? placeholderRows.map((key) => <SkeletonRow key={key} />)
            : shown.map((row, index) => (
                <Fragment key={row.id}>
                  {grouped && row.dataSource.id !== shown[index - 1]?.dataSource.id && (
                    <Table.Tr data-group-header={row.dataSource.id} bg="gray.1">
                      <Table.Td colSpan={columnCount}>
                        <Text size="sm" fw={600}>
                          {row.dataSource.name}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  )}
                  <ConnectionRow
                    connection={row}
                    selected={selected.has(row.id)}
                    expanded={expanded.has(row.id)}
                    reconnecting={reconnectingId === row.id}
                    selectable={selectable}
                    onToggleSelect={onToggleSelect}
                    onToggleExpand={onToggleExpand}
                    onReconnect={onReconnect}
                    onDelete={onDelete}
                  />
                </Fragment>
              ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function HeaderCell({
  column,
  sort,
  order,
  onSort,
}: {
  column: Column;
  sort: ConnectionSortKey;
  order: SortOrder;
  onSort(sort: ConnectionSortKey): void;
}) {
  if (!column.sort) {
    return (
      <Table.Th w={column.width} fz="xs">
        {column.label}
      </Table.Th>
    );
  }
  const active = column.sort === sort;
  const Icon = !active ? ArrowUpDown : order === 'asc' ? ArrowUp : ArrowDown;
  const key = column.sort;
  return (
    <Table.Th
      w={column.width}
      aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}
      className="sortable-header"
    >
      <UnstyledButton
        onClick={() => onSort(key)}
        aria-label={`Sort by ${column.label}${active ? (order === 'asc' ? ', sorted ascending' : ', sorted descending') : ''}`}
        fw={600}
        fz="xs"
      >
        <Group gap={4} wrap="nowrap">
          <span>{column.label}</span>
          <Icon
            size={14}
            aria-hidden
            style={{ flexShrink: 0 }}
            color={active ? 'var(--mantine-color-indigo-6)' : 'var(--mantine-color-gray-5)'}
          />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}

function SkeletonRow() {
  return (
    <Table.Tr>
      {placeholderCells.map((key) => (
        <Table.Td key={key}>
          <Skeleton height={18} radius="sm" />
        </Table.Td>
      ))}
    </Table.Tr>
  );
}
