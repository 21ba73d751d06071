import { Button, Code, Group, Modal, Stack, Text } from '@mantine/core';
import { useApiMutation } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import type { Destination } from './DestinationsPage.tsx';

/**
 * Confirms deleting a destination. Tributary only forgets it: the tables already loaded stay in
 * the file or database. The server refuses while extractions write there, and says so.
 */
export function DeleteDestinationModal({
  destination,
  extractionCount,
  onClose,
}: {
  destination: Destination | null;
  extractionCount: number;
  onClose: () => void;
}) {
  const remove = useApiMutation('deleteDestination', ['listDestinations']);
  const close = () => {
    if (remove.isPending) return;
    remove.reset();
    onClose();
  };
  return (
    <Modal
      opened={destination !== null}
      onClose={close}
      closeButtonProps={{ 'aria-label': 'Close' }}
      title={`Delete ${destination?.name ?? 'destination'}?`}
    >
      {destination && (
        <Stack gap="md">
          <Text size="sm">
            Tributary will stop listing this destination. Data already loaded is kept: the tables stay in{' '}
            <Code>{destination.location}</Code>.
          </Text>
          {extractionCount > 0 ? (
            <Text size="sm" c="red.7">
              {extractionCount === 1 ? 'One extraction writes' : `${extractionCount} extractions write`} here.
              A destination in use cannot be deleted: delete those extractions or point them elsewhere first.
            </Text>
          ) : (
            <Text size="sm" c="dimmed">
              No extraction writes here. Extractions created later cannot pick it.
            </Text>
          )}
          {remove.error && <ErrorAlert error={remove.error} title="The destination was not deleted" />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={remove.isPending}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={remove.isPending}
              onClick={() => remove.mutate({ params: { id: destination.id } }, { onSuccess: close })}
            >
              Delete destination
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
