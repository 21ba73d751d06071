import { Anchor, Badge, Button, Paper, Skeleton, Table, Text } from '@mantine/core';
import { Workflow } from 'lucide-react';
import { Link } from 'react-router';
import type { ExtractionView } from '../../../../src/contract/extractionSchemas.ts';
import { useApiQuery } from '../../api.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDate, formatRelative } from '../../format.ts';

const statusColors: Record<ExtractionView['status'], string> = {
  active: 'teal',
  paused: 'gray',
  error: 'red',
};

/** The next run of an extraction across its schedules, if any. */
function nextRunOf(extraction: ExtractionView): string | null {
  const runs = extraction.schedules.flatMap((schedule) => schedule.nextRuns.slice(0, 1)).sort();
  return extraction.status === 'paused' ? null : (runs[0] ?? null);
}

/** The Overview tab: the extractions that read from this connection. */
export function ConnectionOverviewTab({
  connectionId,
  canExtract,
}: {
  connectionId: string;
  canExtract: boolean;
}) {
  const extractions = useApiQuery('listExtractions', { query: { connectionId, limit: 200 } });
  if (extractions.isError) {
    return (
      <ErrorAlert
        error={extractions.error}
        title="Could not load the extractions"
        onRetry={() => void extractions.refetch()}
      />
    );
  }
  if (!extractions.data) return <Skeleton height={160} radius="md" />;
  const items = extractions.data.items;
  if (items.length === 0) {
    return (
      <EmptyState
        icon={<Workflow size={32} color="var(--mantine-color-indigo-6)" aria-hidden />}
        title="No extractions yet"
        action={
          canExtract ? (
            <Button component={Link} to={`/extractions/new?connection=${connectionId}`}>
              Extract
            </Button>
          ) : undefined
        }
      >
        {canExtract
          ? 'Set up an extraction to load this connection’s data into a destination on a schedule.'
          : 'Extractions can be set up once the connection is active and has at least one account.'}
      </EmptyState>
    );
  }
  return (
    <Paper withBorder radius="md">
      <Table verticalSpacing="sm" highlightOnHover aria-label="Extractions of this connection">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Extraction</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Accounts</Table.Th>
            <Table.Th>Table</Table.Th>
            <Table.Th>Next run</Table.Th>
            <Table.Th>Created</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((extraction) => (
            <Table.Tr key={extraction.id}>
              <Table.Td>
                <Anchor component={Link} to={`/extractions/${extraction.id}`} fw={500} size="sm">
                  {extraction.name}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {extraction.templateId}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color={statusColors[extraction.status]}>
                  {extraction.status}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  {extraction.accounts === 'all' ? 'All accounts' : `${extraction.accounts.length} selected`}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {extraction.table}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatRelative(nextRunOf(extraction))}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{formatDate(extraction.createdAt)}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
