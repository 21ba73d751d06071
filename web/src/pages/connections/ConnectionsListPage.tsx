import {
  Button,
  Center,
  Group,
  Loader,
  Paper,
  Stack,
  Switch,
  Text,
  TextInput,
  ThemeIcon,
} from '@mantine/core';
import { Plug, Plus, Search, Trash2 } from 'lucide-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { ConnectionView } from '../../../../src/contract/schemas.ts';
import type { ConnectionSortKey } from '../../../../src/domain/connection.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatInteger } from '../../format.ts';
import { useCan } from '../access/session.tsx';
import { ConnectionsTable } from './ConnectionsTable.tsx';
import { DeleteConnectionsModal } from './DeleteConnectionsModal.tsx';
import { useConnectionsList, useListView, useSearchText } from './useConnectionsList.ts';
import { useReconnect } from './useReconnect.ts';

/** Toggles `id` in a set, returning a new set (state updates need a new object). */
function toggled(set: ReadonlySet<string>, id: string): Set<string> {
  const next = new Set(set);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

/** `/connections`: the Connected Sources page. */
export function ConnectionsListPage() {
  const { view, update } = useListView();
  const writeSearch = useCallback((search: string) => update({ search }, { replace: true }), [update]);
  const [searchText, setSearchText] = useSearchText(view.search, writeSearch);
  const list = useConnectionsList(view);
  const { reconnect, reconnectingId, error: reconnectError, clearError } = useReconnect('/connections');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [toDelete, setToDelete] = useState<ConnectionView[] | null>(null);
  const canCreate = useCan('createConnection');
  const canDelete = useCan('deleteConnection');

  const onSort = useCallback(
    (sort: ConnectionSortKey) => {
      const order = sort === view.sort ? (view.order === 'asc' ? 'desc' : 'asc') : 'asc';
      // Grouping needs the list in data source order; sorting by anything else ends it.
      update({ sort, order, grouped: view.grouped && sort === 'dataSource' });
    },
    [update, view.sort, view.order, view.grouped],
  );
  const onToggleSelect = useCallback((id: string) => setSelected((current) => toggled(current, id)), []);
  const onToggleExpand = useCallback((id: string) => setExpanded((current) => toggled(current, id)), []);
  const onDelete = useCallback((connection: ConnectionView) => setToDelete([connection]), []);
  const reconnectRef = useRef(reconnect);
  reconnectRef.current = reconnect;
  const onReconnect = useCallback((connection: ConnectionView) => void reconnectRef.current(connection), []);
  const onToggleAll = () =>
    setSelected((current) =>
      list.rows.every((row) => current.has(row.id)) ? new Set() : new Set(list.rows.map((row) => row.id)),
    );

  const selectedRows = list.rows.filter((row) => selected.has(row.id));
  const loading = list.isPending;
  const empty = !loading && !list.isError && list.rows.length === 0;
  const viewKey = `${view.search}|${view.sort}|${view.order}`;

  return (
    <>
      <PageHeader
        title="Connected sources"
        description="Every data source you have authorized, with its credential and account status."
        actions={
          canCreate && (
            <Button component={Link} to="/connections/new" leftSection={<Plus size={16} />}>
              Make a new connection
            </Button>
          )
        }
      />
      {reconnectError !== null && (
        <Stack mb="md">
          <ErrorAlert error={reconnectError} title="Could not start reconnecting" onRetry={clearError} />
        </Stack>
      )}
      <Group justify="space-between" mb="sm" wrap="nowrap">
        <Group gap="md" wrap="nowrap">
          <TextInput
            w={320}
            placeholder="Search by data source or business account"
            aria-label="Search connections"
            leftSection={<Search size={16} aria-hidden />}
            value={searchText}
            onChange={(event) => setSearchText(event.currentTarget.value)}
            rightSection={list.isFetching && !loading && list.isPlaceholderData ? <Loader size={14} /> : null}
          />
          <Switch
            label="Group by data source"
            checked={view.grouped}
            onChange={(event) =>
              update(
                event.currentTarget.checked
                  ? { grouped: true, sort: 'dataSource', order: 'asc' }
                  : { grouped: false },
              )
            }
          />
        </Group>
        <Group
          gap="sm"
          wrap="nowrap"
          style={{ visibility: canDelete && selectedRows.length > 0 ? 'visible' : 'hidden' }}
        >
          <Text size="sm" c="dimmed">
            {formatInteger(selectedRows.length)} selected
          </Text>
          <Button
            color="red"
            variant="light"
            leftSection={<Trash2 size={16} />}
            onClick={() => setToDelete(selectedRows)}
            disabled={selectedRows.length === 0}
          >
            Delete selected
          </Button>
        </Group>
      </Group>

      {list.isError ? (
        <ErrorAlert
          error={list.error}
          title="Could not load connections"
          onRetry={() => void list.refetch()}
        />
      ) : empty && !view.search ? (
        <EmptyState
          icon={
            <ThemeIcon size={56} radius="xl" variant="light">
              <Plug size={28} />
            </ThemeIcon>
          }
          title="Connect your first data source"
          action={
            canCreate && (
              <Button component={Link} to="/connections/new" leftSection={<Plus size={16} />}>
                Make a new connection
              </Button>
            )
          }
        >
          A connection gives Tributary access to an ad platform with your credentials. Once its accounts load,
          you can extract their data into your destinations.
          {!canCreate && ' Your role in this workspace can view connections but not make them.'}
        </EmptyState>
      ) : (
        <Paper withBorder radius="md">
          <ConnectionsTable
            rows={list.rows}
            loading={loading}
            stale={list.isPlaceholderData}
            viewKey={viewKey}
            sort={view.sort}
            order={view.order}
            grouped={view.grouped}
            selected={selected}
            expanded={expanded}
            reconnectingId={reconnectingId}
            onSort={onSort}
            onToggleSelect={onToggleSelect}
            onToggleAll={onToggleAll}
            selectable={canDelete}
            onToggleExpand={onToggleExpand}
            onReconnect={onReconnect}
            onDelete={onDelete}
          />
          {empty && (
            <Center py="xl">
              <Stack align="center" gap="xs">
                <Text c="dimmed">No connections match “{view.search}”.</Text>
                <Button variant="subtle" onClick={() => setSearchText('')}>
                  Clear search
                </Button>
              </Stack>
            </Center>
          )}
          <ListFooter
            shown={list.rows.length}
            hasMore={list.hasNextPage}
            loadingMore={list.isFetchingNextPage}
            onLoadMore={() => {
              if (list.hasNextPage && !list.isFetching) void list.fetchNextPage();
            }}
          />
        </Paper>
      )}
      <DeleteConnectionsModal
        connections={toDelete}
        onClose={() => setToDelete(null)}
        onDeleted={(ids) => {
          setToDelete(null);
          setSelected((current) => new Set([...current].filter((id) => !ids.includes(id))));
        }}
      />
    </>
  );
}

/** The count shown, and the next page: loaded when the footer scrolls into view, or on the button. */
function ListFooter({
  shown,
  hasMore,
  loadingMore,
  onLoadMore,
}: {
  shown: number;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore(): void;
}) {
  const sentinel = useRef<HTMLDivElement>(null);
  const load = useRef(onLoadMore);
  load.current = onLoadMore;
  // biome-ignore lint/correctness/useExhaustiveDependencies: observing again after each page (`shown`) re-fires the callback when the footer is still in view
  useEffect(() => {
    const element = sentinel.current;
    if (!element || !hasMore) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) load.current();
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasMore, shown]);
  if (shown === 0) return null;
  return (
    <Group
      ref={sentinel}
      justify="space-between"
      px="md"
      py="sm"
      style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}
    >
      <Text size="sm" c="dimmed" aria-live="polite">
        {formatInteger(shown)} {shown === 1 ? 'connection' : 'connections'} shown
        {hasMore ? ', more below' : ''}
      </Text>
      {hasMore && (
        <Button variant="subtle" size="xs" onClick={onLoadMore} loading={loadingMore}>
          Load more
        </Button>
      )}
    </Group>
  );
}
