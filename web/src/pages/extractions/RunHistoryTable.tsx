import { Anchor, Badge, Group, Paper, Skeleton, Table, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { History } from 'lucide-react';
import { Fragment } from 'react';
import { Link } from 'react-router';
import type { EndpointResult } from '../../../../src/contract/endpoints.ts';
import type { RunView } from '../../../../src/contract/extractionSchemas.ts';
import type { ApiError } from '../../api.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime, formatDuration, formatInteger, formatRelative } from '../../format.ts';
import { categoryLabels, describeWindow, triggerLabels } from './extractionText.ts';
import { RunStatusBadge } from './StatusBadges.tsx';

const headers = [
  'Started',
  'Status',
  'Days',
  'Inserted',
  'Updated',
  'Deleted',
  'API calls',
  'Quota waits',
  'Duration',
];
const numeric = new Set(['Inserted', 'Updated', 'Deleted', 'API calls', 'Quota waits', 'Duration']);
const widths: Record<string, number> = { Started: 120, Status: 116 };
const started = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
});

/** What went wrong in a run, for the line under its row: its error, or the reconciliation's differences. */
function runProblem(run: RunView): { label: string; message: string; color: string } | null {
  if (run.error) {
    return {
      label: `${categoryLabels[run.error.category] ?? run.error.category} error`,
      message: run.error.message,
      color: run.status === 'partial' ? 'orange' : 'red',
    };
  }
  if (run.reconciliation?.status === 'mismatched') {
    const count = run.reconciliation.mismatches.length;
    return {
      label: 'Mismatch',
      message: `${count} difference${count === 1 ? '' : 's'} between the loaded totals and the provider's`,
      color: 'orange',
    };
  }
  return null;
}

/** The run history: one row per run, newest first (a problem on a line under it); a row opens the run. */
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
      <Table.ScrollContainer minWidth={900} px="xs">
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
              : runs.data.items.map((run) => {
                  const problem = runProblem(run);
                  return (
                    <Fragment key={run.id}>
                      <Table.Tr data-run={run.id} style={problem ? { borderBottom: 0 } : undefined}>
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
                          <Text size="xs" c="dimmed" mt={2}>
                            {triggerLabels[run.trigger]}
                          </Text>
                        </Table.Td>
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>{describeWindow(run.window)}</Table.Td>
                        <Table.Td ta="right">{formatInteger(run.rows.inserted)}</Table.Td>
                        <Table.Td ta="right">{formatInteger(run.rows.updated)}</Table.Td>
                        <Table.Td ta="right">{formatInteger(run.rows.deleted)}</Table.Td>
                        <Table.Td ta="right">{formatInteger(run.apiCalls)}</Table.Td>
                        <Table.Td ta="right">
                          {run.quotaWaitMs > 0 ? formatDuration(run.quotaWaitMs) : '—'}
                        </Table.Td>
                        <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                          {formatDuration(run.durationMs)}
                        </Table.Td>
                      </Table.Tr>
                      {problem && (
                        <Table.Tr data-run-problem={run.id}>
                          <Table.Td colSpan={headers.length} pt={0}>
                            <Group gap="xs" wrap="nowrap">
                              <Badge
                                color={problem.color}
                                variant="outline"
                                size="sm"
                                style={{ flexShrink: 0 }}
                              >
                                {problem.label}
                              </Badge>
                              <Text size="xs" c={`${problem.color}.8`} truncate title={problem.message}>
                                {problem.message}
                              </Text>
                            </Group>
                          </Table.Td>
                        </Table.Tr>
                      )}
                    </Fragment>
                  );
                })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
