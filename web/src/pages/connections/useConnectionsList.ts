import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { ConnectionView } from '../../../../src/contract/schemas.ts';
import { type ConnectionSortKey, connectionSortKeys } from '../../../../src/domain/connection.ts';
import { api } from '../../api.ts';

/** Rows per keyset page: enough to fill a 1080p screen, small enough to render at once. */
export const pageSize = 50;
const pollMs = 1500;
// A pending connection nobody finished authorizing will not change by itself; polling for it
// forever would cost a request every 1.5 s for nothing.
const pendingWorthPollingMs = 15 * 60_000;

export type SortOrder = 'asc' | 'desc';

/** What the list shows, as kept in the URL (`?search=&sort=&order=&group=source`). */
export interface ListView {
  search: string;
  sort: ConnectionSortKey;
  order: SortOrder;
  grouped: boolean;
}

function isSortKey(value: string | null): value is ConnectionSortKey {
  return value !== null && (connectionSortKeys as readonly string[]).includes(value);
}

/** The list's view read from and written to the URL, so deep links and the back button work. */
export function useListView() {
  const [params, setParams] = useSearchParams();
  const grouped = params.get('group') === 'source';
  const view: ListView = {
    search: params.get('search') ?? '',
    sort: grouped
      ? 'dataSource'
      : isSortKey(params.get('sort'))
        ? (params.get('sort') as ConnectionSortKey)
        : 'createdAt',
    order:
      params.get('order') === 'asc'
        ? 'asc'
        : params.get('order') === 'desc'
          ? 'desc'
          : grouped
            ? 'asc'
            : 'desc',
    grouped,
  };
  const update = useCallback(
    (change: Partial<ListView>, options: { replace?: boolean } = {}) => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          const set = (key: string, value: string | null) => {
            if (value) next.set(key, value);
            else next.delete(key);
          };
          if (change.search !== undefined) set('search', change.search);
          if (change.sort !== undefined) set('sort', change.sort);
          if (change.order !== undefined) set('order', change.order);
          if (change.grouped !== undefined) set('group', change.grouped ? 'source' : null);
          return next;
        },
        { replace: options.replace },
      );
    },
    [setParams],
  );
  return { view, update };
}

/**
 * The search box's text, written to the URL shortly after typing stops — but the first keystroke
 * after a pause goes through at once, so a search feels instant and a burst of typing still sends
 * few requests. A URL change from elsewhere (back button) replaces the text.
 */
export function useSearchText(urlSearch: string, write: (search: string) => void) {
  const [text, setText] = useState(urlSearch);
  const [debounced] = useDebouncedValue(text.trim(), 250, { leading: true });
  const written = useRef(urlSearch);
  useEffect(() => {
    if (debounced !== written.current) {
      written.current = debounced;
      write(debounced);
    }
  }, [debounced, write]);
  useEffect(() => {
    if (urlSearch !== written.current) {
      written.current = urlSearch;
      setText(urlSearch);
    }
  }, [urlSearch]);
  return [text, setText] as const;
}

/** True while a row is still changing by itself: accounts loading, or an authorization just begun. */
export function isSettling(connection: ConnectionView, now = Date.now()): boolean {
  return (
    connection.accountStatus === 'loading' ||
    (connection.status === 'pending' && now - Date.parse(connection.createdAt) < pendingWorthPollingMs)
  );
}

/** Keyset pages of connections for a view; polls while any loaded row is still settling. */
export function useConnectionsList(view: ListView) {
  const { search, sort, order } = view;
  const query = useInfiniteQuery({
    // Starts with the endpoint name, so mutations that invalidate `listConnections` refresh it.
    queryKey: ['listConnections', 'pages', { search, sort, order }],
    queryFn: ({ pageParam }) =>
      api.call('listConnections', {
        query: { search: search || undefined, sort, order, limit: pageSize, cursor: pageParam },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // The old rows stay on screen until the new ones arrive: no flash of an empty table.
    placeholderData: keepPreviousData,
    refetchInterval: (current) => {
      const pages = current.state.data?.pages ?? [];
      const now = Date.now();
      return pages.some((page) => page.items.some((item) => isSettling(item, now))) ? pollMs : false;
    },
  });
  const rows = useMemo(() => query.data?.pages.flatMap((page) => page.items) ?? [], [query.data]);
  return { ...query, rows };
}
