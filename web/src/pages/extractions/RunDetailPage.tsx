import { Alert, Anchor, Button, Group, Paper, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { ArrowLeft, CircleAlert, CircleStop } from 'lucide-react';
import { Link, useParams } from 'react-router';
import { ApiError, useApiMutation, useApiQuery } from '../../api.ts';
import { ErrorAlert, remedyFor } from '../../components/ErrorAlert.tsx';
import { NotFoundPage } from '../../components/NotFoundPage.tsx';
import { formatDateTime, formatDuration, formatInteger } from '../../format.ts';
import { useCan } from '../access/session.tsx';
import { categoryLabels, describeWindow, isRunActive, triggerLabels } from './extractionText.ts';
import { ReconciliationCard } from './ReconciliationCard.tsx';
import { RunLog } from './RunLog.tsx';
import { SlicesTable } from './SlicesTable.tsx';
import { RunStatusBadge } from './StatusBadges.tsx';

/** `/extractions/:id/runs/:runId`: one run's numbers, slices, reconciliation and log; live while it runs. */
export default function RunDetailPage() {
  const { id = '', runId = '' } = useParams();
  const run = useApiQuery(
    'getRun',
    { params: { id: runId } },
    {
      refetchInterval: (query) => (query.state.data && isRunActive(query.state.data.status) ? 2_000 : false),
    },
  );
  const extraction = useApiQuery('getExtraction', { params: { id } });
  const cancel = useApiMutation('cancelRun', ['getRun', 'listExtractionRuns']);
  const canCancel = useCan('cancelRun');

  if (run.error instanceof ApiError && run.error.status === 404) return <NotFoundPage what="run" />;
  const detail = run.data;
  const stats = detail
    ? [
        { label: 'Days', value: describeWindow(detail.window) },
        { label: 'Trigger', value: triggerLabels[detail.trigger] },
        { label: 'Rows inserted', value: formatInteger(detail.rows.inserted) },
        { label: 'Rows updated', value: formatInteger(detail.rows.updated) },
        { label: 'Rows deleted', value: formatInteger(detail.rows.deleted) },
        { label: 'API calls', value: formatInteger(detail.apiCalls) },
        { label: 'Quota waits', value: detail.quotaWaitMs > 0 ? formatDuration(detail.quotaWaitMs) : 'None' },
        {
          label: 'Duration',
          value: detail.durationMs === null ? 'Running…' : formatDuration(detail.durationMs),
        },
      ]
    : [];

  return (
    <Stack gap="lg">
      <Anchor component={Link} to={`/extractions/${id}/runs`} size="sm" c="dimmed">
        <Group gap={4}>
          <ArrowLeft size={14} aria-hidden />
          {extraction.data ? `${extraction.data.name} · run history` : 'Run history'}
        </Group>
      </Anchor>
      {run.error && <ErrorAlert error={run.error} onRetry={() => run.refetch()} />}
      <Group justify="space-between" align="flex-start">
        {detail ? (
          <Stack gap={4}>
            <Group gap="sm">
              <Title order={2}>Run of {formatDateTime(detail.createdAt)}</Title>
              <RunStatusBadge status={detail.status} />
            </Group>
            <Text size="sm" c="dimmed">
              {detail.startedAt ? `Started ${formatDateTime(detail.startedAt)}` : 'Waiting for a worker'}
              {detail.finishedAt ? ` · finished ${formatDateTime(detail.finishedAt)}` : ''}
            </Text>
          </Stack>
        ) : (
          <Skeleton height={52} width={420} />
        )}
        {detail && isRunActive(detail.status) && canCancel && (
          <Button
            color="red"
            variant="light"
            leftSection={<CircleStop size={16} aria-hidden />}
            loading={cancel.isPending}
            onClick={() => cancel.mutate({ params: { id: runId } })}
          >
            Cancel run
          </Button>
        )}
      </Group>
      {cancel.error && <ErrorAlert error={cancel.error} title="Could not cancel" />}
      {detail?.error && (
        <Alert
          color={detail.status === 'partial' ? 'orange' : 'red'}
          variant="light"
          icon={<CircleAlert size={18} />}
          title={`${categoryLabels[detail.error.category] ?? detail.error.category} error · ${detail.error.code}`}
        >
          <Text size="sm">{detail.error.message}</Text>
          {remedyFor(detail.error.code) && (
            <Text size="sm" c="dimmed" mt={4}>
              {remedyFor(detail.error.code)}
            </Text>
          )}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 2, sm: 4, xl: 8 }}>
        {(detail
          ? stats
          : Array.from({ length: 8 }, (_, index) => ({ label: String(index), value: '' }))
        ).map((stat) => (
          <Paper key={stat.label} withBorder radius="md" p="sm">
            {detail ? (
              <>
                <Text size="xs" c="dimmed">
                  {stat.label}
                </Text>
                <Text fw={650} size="md" truncate>
                  {stat.value}
                </Text>
              </>
            ) : (
              <Skeleton height={40} />
            )}
          </Paper>
        ))}
      </SimpleGrid>
      <SlicesTable slices={detail?.slices} />
      <ReconciliationCard run={detail ?? null} loading={!detail} linkToRun={false} />
      <RunLog lines={detail?.log} />
    </Stack>
  );
}
