import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { addDays } from '../../../../src/domain/dates.ts';
import { useApiMutation } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { localToday } from './extractionText.ts';

/**
 * "Run extraction" for a date range: re-reads those days now and replaces them in the table.
 * The server checks the range (order, future, provider history); its 400 is shown as is.
 */
export function RunExtractionModal({
  extractionId,
  opened,
  onClose,
  onStarted,
}: {
  extractionId: string;
  opened: boolean;
  onClose: () => void;
  onStarted: (runId: string) => void;
}) {
  const today = localToday();
  const [from, setFrom] = useState(addDays(today, -6));
  const [to, setTo] = useState(today);
  const start = useApiMutation('startExtractionRun', ['listExtractionRuns']);

  const close = () => {
    start.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    start.mutate(
      { params: { id: extractionId }, body: { from, to } },
      {
        onSuccess: (run) => {
          start.reset();
          onStarted(run.id);
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={close} title="Run extraction" centered>
      <form onSubmit={submit}>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            Reads every account of this extraction for the days below and replaces those days in the table.
            Days already loaded are never duplicated.
          </Text>
          <Group grow>
            <TextInput
              type="date"
              label="From"
              value={from}
              max={today}
              onChange={(event) => setFrom(event.currentTarget.value)}
              required
            />
            <TextInput
              type="date"
              label="To"
              value={to}
              max={today}
              onChange={(event) => setTo(event.currentTarget.value)}
              required
            />
          </Group>
          {start.error && <ErrorAlert error={start.error} title="The run was not started" />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={start.isPending}>
              Start run
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
