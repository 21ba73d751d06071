import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Pause, Play, RefreshCw, Trash2 } from 'lucide-react';
import { useNavigate } from 'react-router';
import type { ExtractionView } from '../../../../src/contract/extractionSchemas.ts';
import { useApiMutation } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useSession } from '../access/session.tsx';
import { RunExtractionModal } from './RunExtractionModal.tsx';

/** The detail page's actions: Run extraction, Pause or Resume, Delete — with their errors shown in place. */
export function ExtractionActions({
  extraction,
  destinationName,
}: {
  extraction: ExtractionView;
  destinationName: string | null;
}) {
  const navigate = useNavigate();
  const { can } = useSession();
  const [runOpened, runModal] = useDisclosure(false);
  const [deleteOpened, deleteModal] = useDisclosure(false);
  const refreshed = ['getExtraction', 'listExtractions', 'listEvents'] as const;
  const pause = useApiMutation('pauseExtraction', [...refreshed]);
  const resume = useApiMutation('resumeExtraction', [...refreshed]);
  const remove = useApiMutation('deleteExtraction', ['listExtractions']);
  const request = { params: { id: extraction.id } };
  const toggleError = pause.error ?? resume.error;

  return (
    <Stack gap="xs" align="flex-end">
      <Group gap="sm" wrap="nowrap">
        {can('startExtractionRun') && (
          <Button leftSection={<RefreshCw size={16} aria-hidden />} onClick={runModal.open}>
            Run extraction
          </Button>
        )}
        {!can('pauseExtraction') ? null : extraction.status === 'active' ? (
          <Button
            variant="default"
            leftSection={<Pause size={16} aria-hidden />}
            loading={pause.isPending}
            onClick={() => pause.mutate(request, { onSuccess: () => resume.reset() })}
          >
            Pause
          </Button>
        ) : (
          <Button
            variant="default"
            leftSection={<Play size={16} aria-hidden />}
            loading={resume.isPending}
            onClick={() => resume.mutate(request, { onSuccess: () => pause.reset() })}
          >
            Resume
          </Button>
        )}
        {can('deleteExtraction') && (
          <Button
            variant="subtle"
            color="red"
            leftSection={<Trash2 size={16} aria-hidden />}
            onClick={deleteModal.open}
          >
            Delete
          </Button>
        )}
      </Group>
      {toggleError && (
        <ErrorAlert
          error={toggleError}
          title={extraction.status === 'active' ? 'Could not pause' : 'Could not resume'}
        />
      )}
      <RunExtractionModal
        extractionId={extraction.id}
        opened={runOpened}
        onClose={runModal.close}
        onStarted={() => {
          runModal.close();
          navigate(`/extractions/${extraction.id}/runs`);
        }}
      />
      <Modal opened={deleteOpened} onClose={deleteModal.close} title="Delete this extraction?" centered>
        <Stack gap="md">
          <Text size="sm">
            <b>{extraction.name}</b> stops: its schedules end, a run in progress stops, and its run history
            and calendar are removed.
          </Text>
          <Text size="sm" c="dimmed">
            The data already loaded stays in{' '}
            <Text span ff="monospace" size="sm">
              {extraction.table}
            </Text>
            {destinationName ? ` in ${destinationName}` : ''}. Delete the table in your warehouse if you no
            longer need it.
          </Text>
          {remove.error && <ErrorAlert error={remove.error} title="Could not delete" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={deleteModal.close}>
              Keep it
            </Button>
            <Button
              color="red"
              loading={remove.isPending}
              onClick={() => remove.mutate(request, { onSuccess: () => navigate('/extractions') })}
            >
              Delete extraction
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
