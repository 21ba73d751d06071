import { Badge, Button, Group, Paper, Skeleton, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { ChevronRight, Plug, Search } from 'lucide-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { useApiQuery } from '../../api.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatInteger } from '../../format.ts';

/** Step 0, when the wizard is opened without a connection: pick one that can be extracted. */
export function ConnectionPicker({ onPick }: { onPick: (connectionId: string) => void }) {
  const [search, setSearch] = useState('');
  const connections = useApiQuery('listConnections', {
    query: { search: search.trim() || undefined, limit: 200 },
  });
  const usable = (connections.data?.items ?? []).filter((connection) => connection.actions.extract);
  if (connections.error)
    return <ErrorAlert error={connections.error} onRetry={() => connections.refetch()} />;
  return (
    <Stack gap="md" maw={760}>
      <Text c="dimmed" size="sm">
        Choose the connection to extract from. Only active connections with at least one account are listed.
      </Text>
      <TextInput
        placeholder="Search by data source or business account"
        aria-label="Search connections"
        leftSection={<Search size={16} aria-hidden />}
        value={search}
        onChange={(event) => setSearch(event.currentTarget.value)}
      />
      {connections.isPending ? (
        <Stack gap="xs">
          {[0, 1, 2].map((key) => (
            <Skeleton key={key} h={64} radius="md" />
          ))}
        </Stack>
      ) : usable.length === 0 ? (
        <EmptyState
          icon={<Plug size={32} aria-hidden />}
          title="No connection is ready to extract"
          action={
            <Button component={Link} to="/connections">
              Go to Connections
            </Button>
          }
        >
          A connection can be extracted once it is authorized and its accounts have loaded.
        </EmptyState>
      ) : (
        <Paper withBorder radius="md">
          {usable.map((connection) => (
            <UnstyledButton
              key={connection.id}
              onClick={() => onPick(connection.id)}
              w="100%"
              px="md"
              py="sm"
              style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}
              aria-label={`Extract from ${connection.dataSource.name}, ${connection.businessAccount ?? 'unnamed'}`}
            >
              <Group justify="space-between" wrap="nowrap">
                <Stack gap={0}>
                  <Text fw={600}>{connection.dataSource.name}</Text>
                  <Text size="sm" c="dimmed">
                    {connection.businessAccount ?? '—'}
                  </Text>
                </Stack>
                <Group gap="sm" wrap="nowrap">
                  <Badge variant="light" color="teal">
                    {formatInteger(connection.accountsCount)} accounts
                  </Badge>
                  <ChevronRight size={18} aria-hidden />
                </Group>
              </Group>
            </UnstyledButton>
          ))}
        </Paper>
      )}
    </Stack>
  );
}
