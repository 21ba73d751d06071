import { Button, Group, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { Share2 } from 'lucide-react';
import { useState } from 'react';
import type { ConnectionDetailView } from '../../../../src/contract/schemas.ts';
import { useApiMutation, useApiQuery } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../format.ts';
import { useSession } from '../access/session.tsx';

/**
 * Sharing (admins, on the connection's Settings tab): the workspaces this connection's accounts are
 * shared with, sharing with another workspace the admin also administers, and unsharing (which
 * pauses that workspace's extractions on it).
 */
export function ConnectionSharingCard({ connection }: { connection: ConnectionDetailView }) {
  const { session } = useSession();
  const request = { params: { id: connection.id } };
  const shares = useApiQuery('listConnectionShares', request);
  const share = useApiMutation('shareConnection', ['listConnectionShares']);
  const unshare = useApiMutation('unshareConnection', ['listConnectionShares']);
  const [target, setTarget] = useState<string | null>(null);
  const sharedWith = new Set((shares.data?.items ?? []).map((item) => item.workspaceId));
  // Only workspaces the user administers can receive a share (the server checks it too).
  const candidates = session.workspaces.filter(
    (w) => w.role === 'admin' && w.id !== session.workspace?.id && !sharedWith.has(w.id),
  );
  const items = shares.data?.items ?? [];
  return (
    <Paper withBorder p="lg" radius="md" aria-label="Sharing" component="section">
      <Title order={4} mb={4}>
        Sharing
      </Title>
      <Text size="sm" c="dimmed" mb="md" maw={640}>
        Another workspace can read this connection’s accounts and extract from them; it cannot reconnect, sync
        or delete it. Unsharing pauses that workspace’s extractions on it.
      </Text>
      <Stack gap="sm">
        {shares.isError && <ErrorAlert error={shares.error} title="Could not load the shares" />}
        {items.length > 0 && (
          <Table aria-label="Shared with" verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Workspace</Table.Th>
                <Table.Th>Shared</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((item) => (
                <Table.Tr key={item.workspaceId} data-share-row={item.workspaceName}>
                  <Table.Td>{item.workspaceName}</Table.Td>
                  <Table.Td>{formatDateTime(item.sharedAt)}</Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      aria-label={`Stop sharing with ${item.workspaceName}`}
                      loading={
                        unshare.isPending && unshare.variables?.params?.workspaceId === item.workspaceId
                      }
                      onClick={() =>
                        unshare.mutate({ params: { id: connection.id, workspaceId: item.workspaceId } })
                      }
                    >
                      Unshare
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {shares.data && items.length === 0 && <Text size="sm">Not shared with any other workspace.</Text>}
        {unshare.isError && <ErrorAlert error={unshare.error} title="Could not unshare" />}
        {candidates.length > 0 ? (
          <Group gap="sm" align="flex-end">
            <Select
              label="Share with"
              placeholder="Pick a workspace"
              data={candidates.map((w) => ({ value: w.id, label: w.name }))}
              value={target}
              onChange={setTarget}
              w={280}
            />
            <Button
              leftSection={<Share2 size={16} aria-hidden />}
              disabled={!target}
              loading={share.isPending}
              onClick={() =>
                target &&
                share.mutate(
                  { ...request, body: { workspaceId: target } },
                  { onSuccess: () => setTarget(null) },
                )
              }
            >
              Share
            </Button>
          </Group>
        ) : (
          <Text size="xs" c="dimmed">
            You can share with other workspaces you administer; create one from the workspace menu.
          </Text>
        )}
        {share.isError && <ErrorAlert error={share.error} title="Could not share" />}
      </Stack>
    </Paper>
  );
}
