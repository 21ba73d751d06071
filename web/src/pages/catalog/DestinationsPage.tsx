import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Paper,
  Skeleton,
  Table,
  Text,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { Database, HardDrive, Plus, Server, Trash2 } from 'lucide-react';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { EndpointResult } from '../../../../src/contract/endpoints.ts';
import { useApiQuery } from '../../api.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatDate, formatDateTime } from '../../format.ts';
import { useSession } from '../access/session.tsx';
import { AddDestinationModal } from './AddDestinationModal.tsx';
import { DeleteDestinationModal } from './DeleteDestinationModal.tsx';

/** One destination as the API lists it. */
export type Destination = EndpointResult<'listDestinations'>['items'][number];

/** "DuckDB" / "PostgreSQL" with an icon that tells a local file from a server at a glance. */
export function DestinationKind({ kind }: { kind: Destination['kind'] }) {
  return kind === 'duckdb' ? (
    <Badge variant="light" color="yellow" leftSection={<HardDrive size={12} aria-hidden />}>
      DuckDB
    </Badge>
  ) : (
    <Badge variant="light" color="blue" leftSection={<Server size={12} aria-hidden />}>
      PostgreSQL
    </Badge>
  );
}

/** How many extractions write to each destination (the first 200 extractions; enough to warn). */
function useExtractionCounts(): { counts: Map<string, number>; partial: boolean } {
  const extractions = useApiQuery('listExtractions', { query: { limit: 200 } });
  return useMemo(() => {
    const counts = new Map<string, number>();
    for (const extraction of extractions.data?.items ?? []) {
      counts.set(extraction.destinationId, (counts.get(extraction.destinationId) ?? 0) + 1);
    }
    return { counts, partial: Boolean(extractions.data?.nextCursor) };
  }, [extractions.data]);
}

function UsageCell({ count, partial }: { count: number; partial: boolean }) {
  if (count === 0)
    return (
      <Text size="sm" c="dimmed">
        {partial ? '—' : 'None'}
      </Text>
    );
  return (
    <Text size="sm">
      {count}
      {partial ? '+' : ''} {count === 1 ? 'extraction' : 'extractions'}
    </Text>
  );
}

const columns = [
  { name: 'name', width: '21%' },
  { name: 'kind', width: '17%' },
  { name: 'where', width: '31%' },
  { name: 'usage', width: '12%' },
  { name: 'created', width: '13%' },
  { name: 'actions', width: '6%' },
];

function LoadingRows() {
  return Array.from({ length: 3 }, (_, row) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: placeholder rows have no identity
    <Table.Tr key={row}>
      {columns.map((column) => (
        <Table.Td key={column.name}>
          <Skeleton height={20} my={2} />
        </Table.Td>
      ))}
    </Table.Tr>
  ));
}

/** `/destinations`: the warehouses extractions write to; `adding` opens the Add destination form. */
export function DestinationsPage({ adding }: { adding: boolean }) {
  const navigate = useNavigate();
  const destinations = useApiQuery('listDestinations');
  const { counts, partial } = useExtractionCounts();
  const [deleting, setDeleting] = useState<Destination | null>(null);
  const items = destinations.data?.items ?? [];
  const defaultLocation = items.find((item) => item.isDefault && item.kind === 'duckdb')?.location ?? null;

  const { can } = useSession();
  const canDelete = can('deleteDestination');
  const addButton = can('createDestination') && (
    <Button component={Link} to="/destinations/new" leftSection={<Plus size={16} aria-hidden />}>
      Add destination
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Destinations"
        description="The warehouses extractions load data into: a DuckDB file on this machine or a PostgreSQL schema."
        actions={addButton}
      />
      {destinations.error ? (
        <ErrorAlert
          error={destinations.error}
          title="Could not load destinations"
          onRetry={() => destinations.refetch()}
        />
      ) : destinations.data && items.length === 0 ? (
        <EmptyState
          icon={<Database size={36} color="var(--mantine-color-gray-5)" aria-hidden />}
          title="No destinations yet"
          action={addButton}
        >
          Add a DuckDB file or a PostgreSQL database for your extractions to load data into.
        </EmptyState>
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={900}>
            <Table className="stable-table" verticalSpacing="sm" horizontalSpacing="md" highlightOnHover>
              <colgroup>
                {columns.map((column) => (
                  <col key={column.name} style={{ width: column.width }} />
                ))}
              </colgroup>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Kind</Table.Th>
                  <Table.Th>Where</Table.Th>
                  <Table.Th>Used by</Table.Th>
                  <Table.Th>Created</Table.Th>
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {destinations.isPending ? (
                  <LoadingRows />
                ) : (
                  items.map((destination) => {
                    const used = counts.get(destination.id) ?? 0;
                    return (
                      <Table.Tr key={destination.id} data-testid="destination-row">
                        <Table.Td>
                          <Group gap="xs" wrap="nowrap">
                            <Text size="sm" fw={500} truncate="end">
                              {destination.name}
                            </Text>
                            {destination.isDefault && (
                              <Tooltip label="Extractions use it unless they name another destination">
                                <Badge size="sm" variant="outline" color="gray">
                                  Default
                                </Badge>
                              </Tooltip>
                            )}
                          </Group>
                        </Table.Td>
                        <Table.Td>
                          <DestinationKind kind={destination.kind} />
                        </Table.Td>
                        <Table.Td>
                          <Tooltip label={destination.location} openDelay={400}>
                            {/* Truncating at the start keeps the file name visible; the marks stop the
                                right-to-left trick from moving a leading "/" to the end. */}
                            <Text size="sm" ff="monospace" truncate="start">
                              {`\u200E${destination.location}\u200E`}
                            </Text>
                          </Tooltip>
                        </Table.Td>
                        <Table.Td>
                          <UsageCell count={used} partial={partial} />
                        </Table.Td>
                        <Table.Td>
                          <Tooltip label={formatDateTime(destination.createdAt)}>
                            <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                              {formatDate(destination.createdAt)}
                            </Text>
                          </Tooltip>
                        </Table.Td>
                        <Table.Td>
                          {canDelete && (
                            <Tooltip
                              label={
                                destination.isDefault
                                  ? 'The default destination cannot be deleted'
                                  : `Delete ${destination.name}`
                              }
                            >
                              <ActionIcon
                                variant="subtle"
                                color="red"
                                aria-label={`Delete ${destination.name}`}
                                // data-disabled keeps the tooltip explaining why (a disabled button gets no hover)
                                data-disabled={destination.isDefault || undefined}
                                aria-disabled={destination.isDefault || undefined}
                                onClick={() => {
                                  if (!destination.isDefault) setDeleting(destination);
                                }}
                              >
                                <Trash2 size={16} aria-hidden />
                              </ActionIcon>
                            </Tooltip>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    );
                  })
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      <AddDestinationModal
        opened={adding && can('createDestination')}
        defaultLocation={defaultLocation}
        onClose={() => navigate('/destinations')}
      />
      <DeleteDestinationModal
        destination={deleting}
        extractionCount={deleting ? (counts.get(deleting.id) ?? 0) : 0}
        onClose={() => setDeleting(null)}
      />
    </>
  );
}
