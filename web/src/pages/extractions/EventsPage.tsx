import {
  Badge,
  Button,
  Group,
  Paper,
  Select,
  Skeleton,
  Stack,
  Text,
  ThemeIcon,
  Tooltip,
} from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Bell, CircleAlert, CircleCheck, Info, TriangleAlert } from 'lucide-react';
import { Link, useSearchParams } from 'react-router';
import { api } from '../../api.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDateTime, formatRelative } from '../../format.ts';
import {
  type EventView,
  eventLink,
  eventMessage,
  eventSeverity,
  eventTypeLabel,
  eventTypes,
  type Severity,
  severityColors,
} from './eventText.ts';

const pageSize = 50;
const severityIcons: Record<Severity, typeof Info> = {
  error: CircleAlert,
  warning: TriangleAlert,
  success: CircleCheck,
  info: Info,
};

/** `/events`: what needs attention, newest first, filtered by type (kept in the URL). */
export default function EventsPage() {
  const [search, setSearch] = useSearchParams();
  const type = search.get('type') ?? '';
  const pages = useInfiniteQuery({
    queryKey: ['listEvents', 'pages', type],
    queryFn: ({ pageParam }) =>
      api.call('listEvents', {
        query: { limit: pageSize, ...(type ? { type } : {}), ...(pageParam ? { before: pageParam } : {}) },
      }),
    initialPageParam: 0,
    // A short page is the last one; otherwise the next page starts before the oldest event shown.
    getNextPageParam: (last) => (last.items.length < pageSize ? undefined : last.items.at(-1)?.id),
    refetchInterval: 15_000,
  });
  const events = pages.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeader
        title="Events"
        description="What needs your attention: failed runs, connection errors, expiring tokens, lost accounts and mismatches."
        actions={
          <Select
            aria-label="Event type"
            placeholder="All event types"
            data={eventTypes}
            value={type || null}
            onChange={(value) => setSearch(value ? { type: value } : {})}
            clearable
            w={260}
          />
        }
      />
      {pages.error && <ErrorAlert error={pages.error} onRetry={() => pages.refetch()} />}
      {pages.isSuccess && events.length === 0 && (
        <EmptyState
          icon={<Bell size={40} color="var(--mantine-color-indigo-5)" aria-hidden />}
          title="Nothing to report"
        >
          {type
            ? `No ${eventTypeLabel(type).toLowerCase()} events.`
            : 'When a run fails, a connection breaks, a token is about to expire or totals do not match, it shows up here.'}
        </EmptyState>
      )}
      {(pages.isPending || events.length > 0) && (
        <Paper withBorder radius="md">
          <Stack gap={0} component="ul" aria-label="Events" m={0} p={0} style={{ listStyle: 'none' }}>
            {pages.isPending
              ? [0, 1, 2, 3, 4].map((row) => (
                  <Group key={row} component="li" p="md" gap="md">
                    <Skeleton circle height={32} />
                    <Skeleton height={18} style={{ flex: 1 }} />
                  </Group>
                ))
              : events.map((event, index) => <EventRow key={event.id} event={event} first={index === 0} />)}
          </Stack>
        </Paper>
      )}
      {pages.hasNextPage && (
        <Group justify="center" mt="md">
          <Button variant="default" loading={pages.isFetchingNextPage} onClick={() => pages.fetchNextPage()}>
            Load older events
          </Button>
        </Group>
      )}
    </>
  );
}

function EventRow({ event, first }: { event: EventView; first: boolean }) {
  const severity = eventSeverity(event.type);
  const Icon = severityIcons[severity];
  const link = eventLink(event);
  return (
    <Group
      component="li"
      px="md"
      py="sm"
      gap="md"
      wrap="nowrap"
      data-event-type={event.type}
      style={{ borderTop: first ? undefined : '1px solid var(--mantine-color-gray-2)' }}
    >
      <ThemeIcon variant="light" color={severityColors[severity]} size="lg" radius="xl" aria-label={severity}>
        <Icon size={18} aria-hidden />
      </ThemeIcon>
      <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
        <Text size="sm" fw={500} lineClamp={2}>
          {eventMessage(event)}
        </Text>
        <Group gap="xs">
          <Badge size="xs" variant="light" color={severityColors[severity]}>
            {eventTypeLabel(event.type)}
          </Badge>
          {event.subjectName && (
            <Text size="xs" fw={500} truncate maw={360} title={event.subjectName}>
              {event.subjectName}
            </Text>
          )}
          <Tooltip label={formatDateTime(event.at)}>
            <Text size="xs" c="dimmed">
              {formatRelative(event.at)}
            </Text>
          </Tooltip>
        </Group>
      </Stack>
      {link && (
        <Button component={Link} to={link.to} variant="subtle" size="xs" style={{ flexShrink: 0 }}>
          {link.label}
        </Button>
      )}
    </Group>
  );
}
