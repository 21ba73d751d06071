import { Anchor, Button, Group, Paper, Skeleton, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Plus, Workflow } from 'lucide-react';
import { Link } from 'react-router';
import type { ExtractionView } from '../../../../src/contract/extractionSchemas.ts';
import { api } from '../../api.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDateTime, formatRelative } from '../../format.ts';
import { useCan } from '../access/session.tsx';
import { earliestNextRun } from './extractionText.ts';
import { ExtractionStatusBadge, RunStatusBadge } from './StatusBadges.tsx';
import { useExtractionNames, useTemplateName } from './useExtractionNames.ts';

const pageSize = 50;
const columns = ['Name', 'Status', 'Source', 'Accounts', 'Template', 'Destination', 'Last run', 'Next run'];
const widths = ['17%', '11%', '9%', '9%', '13%', '17%', '13%', '11%'];

/** `/extractions`: every extraction with its status, source, destination and last and next runs. */
export default function ExtractionsListPage() {
  const pages = useInfiniteQuery({
    // Under the endpoint's name, so a mutation that invalidates `listExtractions` refreshes this too.
    queryKey: ['listExtractions', 'pages'],
    queryFn: ({ pageParam }) =>
      api.call('listExtractions', {
        query: { limit: pageSize, ...(pageParam ? { cursor: pageParam } : {}) },
      }),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const names = useExtractionNames();
  const extractions = pages.data?.pages.flatMap((page) => page.items) ?? [];
  const newButton = useCan('createExtraction') && (
    <Button component={Link} to="/extractions/new" leftSection={<Plus size={16} aria-hidden />}>
      New extraction
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Extractions"
        description="What is copied from each data source into your warehouse, and when."
        actions={newButton}
      />
      {pages.error && <ErrorAlert error={pages.error} onRetry={() => pages.refetch()} />}
      {pages.isSuccess && extractions.length === 0 && (
        <EmptyState
          icon={<Workflow size={40} color="var(--mantine-color-indigo-5)" aria-hidden />}
          title="No extractions yet"
          action={newButton}
        >
          An extraction copies the accounts of a connection into a table of your warehouse on a schedule.
          Start from a connection with accounts, pick a template, and choose when it runs.
        </EmptyState>
      )}
      {(pages.isPending || extractions.length > 0) && (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={980}>
            <Table className="stable-table" verticalSpacing="sm" highlightOnHover aria-label="Extractions">
              <Table.Thead>
                <Table.Tr>
                  {columns.map((column, index) => (
                    <Table.Th key={column} w={widths[index]}>
                      {column}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {pages.isPending
                  ? Array.from({ length: 4 }, (_, row) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
                      <Table.Tr key={row}>
                        {columns.map((column) => (
                          <Table.Td key={column}>
                            <Skeleton height={18} />
                          </Table.Td>
                        ))}
                      </Table.Tr>
                    ))
                  : extractions.map((extraction) => (
                      <ExtractionRow
                        key={extraction.id}
                        extraction={extraction}
                        source={names.dataSource(extraction.dataSource)}
                        destination={names.destination(extraction.destinationId)}
                      />
                    ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      {pages.hasNextPage && (
        <Group justify="center" mt="md">
          <Button variant="default" loading={pages.isFetchingNextPage} onClick={() => pages.fetchNextPage()}>
            Load more
          </Button>
        </Group>
      )}
    </>
  );
}

function ExtractionRow({
  extraction,
  source,
  destination,
}: {
  extraction: ExtractionView;
  source: string;
  destination: string | null;
}) {
  const template = useTemplateName(extraction.templateId);
  const next = earliestNextRun(extraction);
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component={Link} to={`/extractions/${extraction.id}`} fw={500} lineClamp={2}>
          {extraction.name}
        </Anchor>
      </Table.Td>
      <Table.Td>
        <Stack gap={2} align="flex-start">
          <ExtractionStatusBadge extraction={extraction} />
          {extraction.status !== 'active' && extraction.statusDetails && (
            <Text size="xs" c="dimmed" lineClamp={2}>
              {extraction.statusDetails.reason}
            </Text>
          )}
        </Stack>
      </Table.Td>
      <Table.Td>
        <Text size="sm" truncate>
          {source}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{extraction.accounts === 'all' ? 'All' : `${extraction.accounts.length}`}</Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" lineClamp={2}>
          {template}
        </Text>
      </Table.Td>
      <Table.Td>
        <Stack gap={0}>
          <Text size="sm" truncate>
            {destination ?? <Skeleton height={14} width={80} component="span" display="inline-block" />}
          </Text>
          <Text size="xs" c="dimmed" ff="monospace" truncate title={extraction.table}>
            {extraction.table}
          </Text>
        </Stack>
      </Table.Td>
      <Table.Td>
        <LastRun last={extraction.lastRun} />
      </Table.Td>
      <Table.Td>
        {next && extraction.status === 'active' ? (
          <Tooltip label={formatDateTime(next)}>
            <Text size="sm">{formatRelative(next)}</Text>
          </Tooltip>
        ) : (
          <Text size="sm" c="dimmed">
            {extraction.status === 'active' ? 'Not scheduled' : 'Stopped'}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

/** The newest run of one extraction, as the list carries it. */
function LastRun({ last }: { last: ExtractionView['lastRun'] }) {
  if (!last) {
    return (
      <Text size="sm" c="dimmed">
        Never
      </Text>
    );
  }
  return (
    <Stack gap={2} align="flex-start">
      <RunStatusBadge status={last.status} />
      <Tooltip label={formatDateTime(last.createdAt)}>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {formatRelative(last.finishedAt ?? last.createdAt)}
        </Text>
      </Tooltip>
    </Stack>
  );
}
