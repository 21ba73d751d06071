import { Button, Group, List, Modal, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ConnectionView } from '../../../../src/contract/schemas.ts';
import { api } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

type Deletable = Pick<ConnectionView, 'id' | 'dataSource' | 'businessAccount'>;

/**
 * Confirms and performs the deletion of one or several connections, saying what is removed (the
 * connection and its credential) and what is kept (data already loaded into destinations).
 */
export function DeleteConnectionsModal({
  connections,
  onClose,
  onDeleted,
}: {
  /** What to delete; null closes the modal. */
  connections: Deletable[] | null;
  onClose(): void;
  onDeleted(ids: string[]): void;
}) {
  const client = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const many = (connections?.length ?? 0) > 1;
  const close = () => {
    if (busy) return;
    setError(null);
    onClose();
  };
  const confirm = async () => {
    if (!connections) return;
    setBusy(true);
    setError(null);
    const deleted: string[] = [];
    try {
      for (const connection of connections) {
        await api.call('deleteConnection', { params: { id: connection.id } });
        deleted.push(connection.id);
      }
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
      await client.invalidateQueries({ queryKey: ['listConnections'] });
      if (deleted.length > 0) onDeleted(deleted);
    }
  };
  const first = connections?.[0];
  return (
    <Modal
      opened={connections !== null}
      onClose={close}
      title={many ? `Delete ${connections?.length} connections?` : 'Delete this connection?'}
      centered
    >
      <Stack gap="sm">
        {many ? (
          <List size="sm" spacing={2}>
            {connections?.slice(0, 5).map((connection) => (
              <List.Item key={connection.id}>
                {connection.dataSource.name} — {connection.businessAccount ?? 'not authorized'}
              </List.Item>
            ))}
            {(connections?.length ?? 0) > 5 && (
              <List.Item>and {(connections?.length ?? 0) - 5} more</List.Item>
            )}
          </List>
        ) : (
          first && (
            <Text size="sm" fw={500}>
              {first.dataSource.name} — {first.businessAccount ?? 'not authorized'}
            </Text>
          )
        )}
        <Text size="sm">
          {many
            ? 'The connections and their stored credentials are'
            : 'The connection and its stored credential are'}{' '}
          deleted, and extractions that use {many ? 'them' : 'it'} stop.{' '}
          <strong>Data already loaded into your destinations is kept</strong>, and nothing is deleted at the
          data source.
        </Text>
        {error !== null && <ErrorAlert error={error} title="Not everything was deleted" />}
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={close} disabled={busy}>
            Cancel
          </Button>
          <Button color="red" onClick={confirm} loading={busy}>
            {many ? `Delete ${connections?.length} connections` : 'Delete connection'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
