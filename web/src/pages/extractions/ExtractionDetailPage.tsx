import { Anchor, Badge, Grid, Group, Skeleton, Stack, Tabs, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { ArrowLeft } from 'lucide-react';
import { useEffect, useRef } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, useApiQuery } from '../../api.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { NotFoundPage } from '../../components/NotFoundPage.tsx';
import { DailyTotalsChart } from './DailyTotalsChart.tsx';
import { ExtractionActions } from './ExtractionActions.tsx';
import { isRunActive } from './extractionText.ts';
import { FirstRowsTable } from './FirstRowsTable.tsx';
import { LedgerCalendar } from './LedgerCalendar.tsx';
import { ReconciliationCard } from './ReconciliationCard.tsx';
import { RunHistoryTable } from './RunHistoryTable.tsx';
import { SchedulesCard } from './SchedulesCard.tsx';
import { ExtractionStatusBadge, StatusReason } from './StatusBadges.tsx';
import { useExtractionNames, useTemplateName } from './useExtractionNames.ts';

const tabs = [
  { value: 'overview', label: 'Overview' },
  { value: 'runs', label: 'Run history' },
  { value: 'calendar', label: 'Calendar' },
  { value: 'data', label: 'Data' },
] as const;
type Tab = (typeof tabs)[number]['value'];

/** While a run is queued or running, the page follows it every ~2 s; otherwise it stays still. */
const livePollMs = 2_000;

/** `/extractions/:id[/runs|/calendar|/data]`: one extraction, its schedules, runs, days and data. */
export default function ExtractionDetailPage() {
  const { id = '', tab: tabParam } = useParams();
  const tab: Tab = tabs.some((candidate) => candidate.value === tabParam) ? (tabParam as Tab) : 'overview';
  const navigate = useNavigate();
  const client = useQueryClient();
  const request = { params: { id } };
  const runs = useApiQuery('listExtractionRuns', request, {
    refetchInterval: (query) =>
      query.state.data?.items.some((run) => isRunActive(run.status)) ? livePollMs : false,
  });
  const live = runs.data?.items.some((run) => isRunActive(run.status)) ?? false;
  const extraction = useApiQuery('getExtraction', request, { refetchInterval: live ? livePollMs : false });
  const names = useExtractionNames();
  const template = useTemplateName(extraction.data?.templateId);

  // When the last active run ends, what it wrote (days, totals, rows) is new: read it again.
  const wasLive = useRef(live);
  useEffect(() => {
    if (wasLive.current && !live) {
      for (const key of [
        'getExtractionLedger',
        'getExtractionDailyTotals',
        'getExtractionData',
        'getExtraction',
      ]) {
        void client.invalidateQueries({ queryKey: [key] });
      }
    }
    wasLive.current = live;
  }, [live, client]);

  if (extraction.error instanceof ApiError && extraction.error.status === 404) {
    return <NotFoundPage what="extraction" />;
  }
  if (extraction.error) return <ErrorAlert error={extraction.error} onRetry={() => extraction.refetch()} />;
  const current = extraction.data;
  const latestFinished = runs.data?.items.find((run) => !isRunActive(run.status));

  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/extractions" size="sm" c="dimmed">
        <Group gap={4}>
          <ArrowLeft size={14} aria-hidden />
          Extractions
        </Group>
      </Anchor>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        {current ? (
          <Stack gap={6} miw={0}>
            <Group gap="sm" wrap="nowrap">
              <Title order={2}>{current.name}</Title>
              <ExtractionStatusBadge extraction={current} />
              {live && (
                <Badge variant="dot" color="blue">
                  Run in progress
                </Badge>
              )}
            </Group>
            <Group gap="lg" c="dimmed" style={{ rowGap: 4 }}>
              <Text size="sm">
                Source <b>{names.dataSource(current.dataSource)}</b>
              </Text>
              {current.connectionId && (
                <Anchor component={Link} to={`/connections/${current.connectionId}`} size="sm">
                  Open connection
                </Anchor>
              )}
              <Text size="sm">
                Template <b>{template}</b>
              </Text>
              <Text size="sm">
                Accounts <b>{current.accounts === 'all' ? 'All' : current.accounts.length}</b>
              </Text>
              <Text size="sm">
                Into <b>{names.destination(current.destinationId) ?? '…'}</b>
                {' · '}
                <Text span ff="monospace" size="sm">
                  {current.table}
                </Text>
              </Text>
            </Group>
            <StatusReason extraction={current} />
          </Stack>
        ) : (
          <Stack gap={8}>
            <Skeleton height={32} width={320} />
            <Skeleton height={18} width={520} />
          </Stack>
        )}
        {current && (
          <ExtractionActions
            extraction={current}
            destinationName={names.destination(current.destinationId)}
          />
        )}
      </Group>

      <Tabs
        value={tab}
        onChange={(value) =>
          navigate(`/extractions/${id}${value && value !== 'overview' ? `/${value}` : ''}`)
        }
        keepMounted={false}
      >
        <Tabs.List>
          {tabs.map((item) => (
            <Tabs.Tab key={item.value} value={item.value}>
              {item.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="overview" pt="lg">
          <Grid gap="lg">
            <Grid.Col span={{ base: 12, lg: 8 }}>
              <Stack gap="lg">
                <DailyTotalsChart extractionId={id} />
                <ReconciliationCard
                  run={latestFinished ?? null}
                  loading={runs.isPending}
                  title="Reconciliation of the latest run"
                />
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 4 }}>
              <SchedulesCard extraction={current} />
            </Grid.Col>
          </Grid>
        </Tabs.Panel>
        <Tabs.Panel value="runs" pt="lg">
          <RunHistoryTable extractionId={id} runs={runs} />
        </Tabs.Panel>
        <Tabs.Panel value="calendar" pt="lg">
          <LedgerCalendar extraction={current} live={live} />
        </Tabs.Panel>
        <Tabs.Panel value="data" pt="lg">
          <FirstRowsTable extractionId={id} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
