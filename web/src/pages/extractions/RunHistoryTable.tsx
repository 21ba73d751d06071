import { Anchor, Badge, Paper, Skeleton, Stack, Table, Text, Tooltip } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { History } from 'lucide-react';
import { Link } from 'react-router';
import type { EndpointResult } from '../../../../src/contract/endpoints.ts';
import type { ApiError } from '../../api.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime, formatDuration, formatInteger, formatRelative } from '../../format.ts';
import { categoryLabels, describeWindow, triggerLabels } from './extractionText.ts';
import { RunStatusBadge } from './StatusBadges.tsx';

const headers = [
  'Started',
  'Status',
  'Trigger',
  'Days',
  'Inserted',
  'Updated',
  'Deleted',
  'API calls',
  'Quota waits',
  'Duration',
  'Error',
];
const numeric = new Set(['Inserted', 'Updated', 'Deleted', 'API calls', 'Quota waits', 'Duration']);
const widths: Record<string, number> = { Started: 120, Status: 124, Trigger: 84, Error: 160 };
const started = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/** The run history: one row per run, newest first; a row opens the run. */
export function RunHistoryTable({
  extractionId,
  runs,
}: {
  extractionId: string;
  runs: UseQueryResult<EndpointResult<'listExtractionRuns'>, ApiError>;
}) {
  if (runs.error) return <ErrorAlert error={runs.error} onRetry={() => runs.refetch()} />;
  if (runs.data?.items.length === 0) {
    return (
      <EmptyState icon={<History size={36} aria-hidden />} title="No runs yet">
        Runs appear here when a schedule fires or when you click Run extraction.
      </EmptyState>
    );
  }
  return (
    <Paper withBorder radius="md">
      <Table.ScrollContainer minWidth={1000} px="xs">
        <Table verticalSpacing="sm" fz="sm" highlightOnHover aria-label="Run history">
          <Table.Thead>
            <Table.Tr>
              {headers.map((header) => (
                <Table.Th
                  key={header}
                  ta={numeric.has(header) ? 'right' : undefined}
                  style={{ whiteSpace: 'nowrap', minWidth: widths[header] }}
                >
                  {header}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {!runs.data
              ? Array.from({ length: 3 }, (_, row) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
                  <Table.Tr key={row}>
                    {headers.map((header) => (
                      <Table.Td key={header}>
                        <Skeleton height={18} />
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))
              : runs.data.items.map((run) => (
                  <Table.Tr key={run.id}>
                    <Table.Td>
                      <Anchor
                        style={{ whiteSpace: 'nowrap' }}
                        component={Link}
                        to={`/extractions/${extractionId}/runs/${run.id}`}
                        size="sm"
                        aria-label={`Open run of ${formatDateTime(run.createdAt)}`}
                      >
                        {started.format(new Date(run.createdAt))}
                      </Anchor>
                      <Text size="xs" c="dimmed">
                        {formatRelative(run.createdAt)}
                      </Text>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <RunStatusBadge status={run.status} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{triggerLabels[run.trigger]}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {describeWindow(run.window)}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">{formatInteger(run.rows.inserted)}</Table.Td>
                    <Table.Td ta="right">{formatInteger(run.rows.updated)}</Table.Td>
                    <Table.Td ta="right">{formatInteger(run.rows.deleted)}</Table.Td>
                    <Table.Td ta="right">{formatInteger(run.apiCalls)}</Table.Td>
                    <Table.Td ta="right">
                      {run.quotaWaitMs > 0 ? formatDuration(run.quotaWaitMs) : '—'}
                    </Table.Td>
                    <Table.Td ta="right">{formatDuration(run.durationMs)}</Table.Td>
                    <Table.Td maw={280}>
                      {run.error ? (
                        <Stack gap={2}>
                          <Badge color="red" variant="outline" size="sm">
                            {categoryLabels[run.error.category] ?? run.error.category}
                          </Badge>
                          <Tooltip label={run.error.message} multiline w={320}>
                            <Text size="xs" c="red.8" lineClamp={2}>
                              {run.error.message}
                            </Text>
                          </Tooltip>
                        </Stack>
                      ) : run.reconciliation?.status === 'mismatched' ? (
                        <Badge color="orange" variant="outline" size="sm">
                          {run.reconciliation.mismatches.length} mismatches
                        </Badge>
                      ) : (
                        <Text size="sm" c="dimmed">
                          —
                        </Text>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
