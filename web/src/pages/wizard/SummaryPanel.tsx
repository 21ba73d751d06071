import { Code, Skeleton, Stack, Table, Text } from '@mantine/core';
import { useApiQuery } from '../../api.ts';
import type { ScheduleDraft, Template, WizardDraft } from './draft.ts';
import { optionLabel } from './SettingsSection.tsx';
import { describeSchedule, formatRunTime, useScheduleRuns } from './scheduleRuns.ts';

function ScheduleSummary({ schedule }: { schedule: ScheduleDraft }) {
  const runs = useScheduleRuns(schedule);
  return (
    <Stack gap={0}>
      <Text size="sm">{describeSchedule(schedule)}</Text>
      {runs.loading ? (
        <Skeleton h={16} w={260} mt={2} />
      ) : (
        <Text size="xs" c={runs.error ? 'red' : 'dimmed'}>
          {runs.error
            ? 'This schedule is not valid: fix it in Configure.'
            : `Next (${schedule.timezone}): ${runs.nextRuns
                .slice(0, 3)
                .map((run) => formatRunTime(run, schedule.timezone))
                .join(' · ')}`}
        </Text>
      )}
    </Stack>
  );
}

/** The extraction that Create will set up, in the words of the steps before. */
export function SummaryPanel({
  draft,
  template,
  accountCount,
}: {
  draft: WizardDraft;
  template: Template;
  accountCount: number;
}) {
  const destinations = useApiQuery('listDestinations');
  const destination = destinations.data?.items.find((item) => item.id === draft.destinationId);
  const settings = template.settings.map((setting) => {
    const value = draft.settings[setting.name] ?? setting.default;
    const shown = Array.isArray(value) ? value.map(optionLabel).join(', ') : optionLabel(String(value));
    return `${setting.label}: ${shown}`;
  });
  const rows: [string, React.ReactNode][] = [
    ['Name', draft.name],
    [
      'Accounts',
      draft.accounts === 'all'
        ? `All ${accountCount} accounts, including ones added later`
        : `${draft.accounts.length} ${draft.accounts.length === 1 ? 'account' : 'accounts'}`,
    ],
    ['Template', template.name],
    [
      'Fields',
      `${draft.dimensions.length} dimensions, ${draft.metrics.length} metrics (plus date and account)`,
    ],
    ['Settings', settings.join(' · ') || 'Template defaults'],
    ['History', draft.loadSince ? `Loaded once from ${draft.loadSince}` : 'From the first run on'],
    [
      'Schedules',
      <Stack gap={6} key="schedules">
        {draft.schedules.map((schedule) => (
          <ScheduleSummary key={schedule.key} schedule={schedule} />
        ))}
      </Stack>,
    ],
    [
      'Destination',
      <Text size="sm" key="destination">
        {destination ? `${destination.name} → ` : ''}
        <Code>{draft.table}</Code>
      </Text>,
    ],
  ];
  return (
    <Table verticalSpacing={6} fz="sm" aria-label="Extraction summary" layout="fixed">
      <Table.Tbody>
        {rows.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Td w={110} style={{ verticalAlign: 'top' }}>
              <Text size="sm" c="dimmed">
                {label}
              </Text>
            </Table.Td>
            <Table.Td style={{ overflowWrap: 'anywhere' }}>
              {typeof value === 'string' ? <Text size="sm">{value}</Text> : value}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
