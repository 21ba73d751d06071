import { Badge, Group, Loader, Text, Tooltip } from '@mantine/core';
import type { ExtractionView, RunView } from '../../../../src/contract/extractionSchemas.ts';
import { formatDateTime } from '../../format.ts';
import { isRunActive, runStatusColors, type SliceView, sliceStatusColors } from './extractionText.ts';

const extractionColors: Record<ExtractionView['status'], string> = {
  active: 'teal',
  paused: 'yellow',
  error: 'red',
};

/** Active / Paused / Error; paused and error carry their reason in a tooltip and for screen readers. */
export function ExtractionStatusBadge({ extraction }: { extraction: ExtractionView }) {
  const details = extraction.statusDetails;
  const label = extraction.status.charAt(0).toUpperCase() + extraction.status.slice(1);
  const badge = (
    <Badge
      color={extractionColors[extraction.status]}
      variant="light"
      aria-label={details ? `${label}: ${details.reason}` : label}
    >
      {label}
    </Badge>
  );
  if (!details || extraction.status === 'active') return badge;
  return (
    <Tooltip
      multiline
      w={280}
      withArrow
      label={`${details.kind === 'manual' ? 'Paused by a user' : 'Stopped automatically'} on ${formatDateTime(details.at)}: ${details.reason}`}
    >
      {badge}
    </Tooltip>
  );
}

/** A run's status; a spinner while it is still queued or running. */
export function RunStatusBadge({ status }: { status: RunView['status'] }) {
  return (
    <Badge
      color={runStatusColors[status]}
      variant="light"
      leftSection={isRunActive(status) ? <Loader size={10} color={runStatusColors[status]} /> : undefined}
    >
      {status}
    </Badge>
  );
}

/** A slice's status. */
export function SliceStatusBadge({ status }: { status: SliceView['status'] }) {
  return (
    <Badge color={sliceStatusColors[status]} variant="light" size="sm">
      {status}
    </Badge>
  );
}

/** The status reason under a page header: why it is paused or in error, and since when. */
export function StatusReason({ extraction }: { extraction: ExtractionView }) {
  const details = extraction.statusDetails;
  if (!details || extraction.status === 'active') return null;
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm" c={extraction.status === 'error' ? 'red.7' : 'yellow.8'} fw={500}>
        {extraction.status === 'error' ? 'Error' : details.kind === 'manual' ? 'Paused manually' : 'Paused'}
      </Text>
      <Text size="sm" c="dimmed">
        since {formatDateTime(details.at)} — {details.reason}
      </Text>
    </Group>
  );
}
