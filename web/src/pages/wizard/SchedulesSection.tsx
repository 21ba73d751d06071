import {
  ActionIcon,
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { CalendarClock, Plus, Trash2 } from 'lucide-react';
import { useMemo } from 'react';
import { MAX_SCHEDULES, newSchedule, type ScheduleDraft } from './draft.ts';
import { type FieldIssues, issueText } from './fieldIssues.ts';
import { formatRunTime, frequencyOptions, useScheduleRuns } from './scheduleRuns.ts';

const weekdayOptions = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'].map(
  (day) => ({ value: day, label: `${day[0]?.toUpperCase()}${day.slice(1)}` }),
);
const dayOfMonthOptions = [
  ...Array.from({ length: 28 }, (_, index) => ({ value: String(index + 1), label: String(index + 1) })),
  { value: 'last', label: 'Last day' },
];

/** Every IANA zone this browser knows, UTC first. */
function useTimeZones(): string[] {
  return useMemo(() => {
    const zones = Intl.supportedValuesOf('timeZone');
    return ['UTC', ...zones.filter((zone) => zone !== 'UTC')];
  }, []);
}

function ScheduleRow({
  schedule,
  index,
  zones,
  canRemove,
  issues,
  onChange,
  onRemove,
}: {
  schedule: ScheduleDraft;
  index: number;
  zones: string[];
  canRemove: boolean;
  issues: FieldIssues;
  onChange: (patch: Partial<ScheduleDraft>) => void;
  onRemove: () => void;
}) {
  const runs = useScheduleRuns(schedule);
  // The server's verdict on this schedule first; the extraction-level 400's messages beside it.
  const errorOf = (field: string) =>
    [runs.issues[field]?.join('; '), issueText(issues, `schedules.${index}.${field}`)]
      .filter(Boolean)
      .join('; ') || undefined;
  const hourly = schedule.frequency.startsWith('every_');
  const label = `Schedule ${index + 1}`;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label={label}>
      <Group justify="space-between" mb="xs">
        <Text fw={600} size="sm">
          {label}
        </Text>
        <Tooltip
          label={canRemove ? `Remove ${label.toLowerCase()}` : 'An extraction needs at least one schedule'}
        >
          <ActionIcon
            variant="subtle"
            color="red"
            aria-label={`Remove ${label.toLowerCase()}`}
            disabled={!canRemove}
            onClick={onRemove}
          >
            <Trash2 size={16} aria-hidden />
          </ActionIcon>
        </Tooltip>
      </Group>
      <Group align="flex-start" gap="sm" wrap="wrap">
        <Select
          w={170}
          label="Frequency"
          data={frequencyOptions}
          value={schedule.frequency}
          allowDeselect={false}
          onChange={(next) => next && onChange({ frequency: next as ScheduleDraft['frequency'] })}
          error={errorOf('frequency')}
        />
        {schedule.frequency === 'weekly' && (
          <Select
            w={140}
            label="On"
            data={weekdayOptions}
            value={schedule.weekday}
            allowDeselect={false}
            onChange={(next) => next && onChange({ weekday: next as ScheduleDraft['weekday'] })}
            error={errorOf('weekday')}
          />
        )}
        {schedule.frequency === 'monthly' && (
          <Select
            w={120}
            label="Day of month"
            data={dayOfMonthOptions}
            value={String(schedule.dayOfMonth)}
            allowDeselect={false}
            onChange={(next) => next && onChange({ dayOfMonth: next === 'last' ? 'last' : Number(next) })}
            error={errorOf('dayOfMonth')}
          />
        )}
        {schedule.frequency === 'cron' ? (
          <TextInput
            w={240}
            label="Cron expression"
            description="minute hour day month weekday"
            value={schedule.cron}
            onChange={(event) => onChange({ cron: event.currentTarget.value })}
            error={errorOf('cron')}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          />
        ) : (
          <TextInput
            w={140}
            type="time"
            label={hourly ? 'Starting at' : 'Time'}
            value={schedule.time}
            onChange={(event) => onChange({ time: event.currentTarget.value })}
            error={errorOf('time')}
          />
        )}
        <Select
          w={230}
          label="Time zone"
          data={zones}
          searchable
          limit={50}
          nothingFoundMessage="No such time zone"
          value={schedule.timezone}
          allowDeselect={false}
          onChange={(next) => next && onChange({ timezone: next })}
          error={errorOf('timezone')}
        />
        <NumberInput
          w={130}
          label="Lookback (days)"
          value={schedule.lookbackDays}
          min={0}
          max={1095}
          allowDecimal={false}
          onChange={(next) => onChange({ lookbackDays: typeof next === 'number' ? next : Number(next) })}
          error={errorOf('lookbackDays')}
        />
      </Group>
      <Group gap="xs" mt="sm" align="flex-start" wrap="nowrap" aria-live="polite">
        <CalendarClock size={16} color="var(--mantine-color-gray-6)" aria-hidden style={{ marginTop: 2 }} />
        {runs.loading ? (
          <Skeleton h={20} w={520} />
        ) : runs.error ? (
          <Text size="sm" c="red" role="alert">
            {runs.issues.schedule?.join('; ') ??
              (Object.keys(runs.issues).length
                ? 'Fix the highlighted field to see the next runs.'
                : runs.error.message)}
          </Text>
        ) : (
          <Text size="sm" c="dimmed" data-testid="next-runs">
            Next runs ({schedule.timezone}):{' '}
            <Text span size="sm" c="dark">
              {runs.nextRuns.map((run) => formatRunTime(run, schedule.timezone)).join(' · ')}
            </Text>
          </Text>
        )}
      </Group>
    </Paper>
  );
}

/** Schedules: add, remove, frequency, time, time zone and lookback, with the next runs of each. */
export function SchedulesSection({
  schedules,
  issues,
  onChange,
}: {
  schedules: ScheduleDraft[];
  issues: FieldIssues;
  onChange: (schedules: ScheduleDraft[]) => void;
}) {
  const zones = useTimeZones();
  const update = (key: string, patch: Partial<ScheduleDraft>) =>
    onChange(schedules.map((schedule) => (schedule.key === key ? { ...schedule, ...patch } : schedule)));
  return (
    <Stack gap="sm">
      {schedules.map((schedule, index) => (
        <ScheduleRow
          key={schedule.key}
          schedule={schedule}
          index={index}
          zones={zones}
          canRemove={schedules.length > 1}
          issues={issues}
          onChange={(patch) => update(schedule.key, patch)}
          onRemove={() => onChange(schedules.filter((other) => other.key !== schedule.key))}
        />
      ))}
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          Platforms restate conversions for days: pair a frequent schedule with a short lookback and a nightly
          one with a long lookback.
        </Text>
        {schedules.length < MAX_SCHEDULES && (
          <Button
            variant="light"
            leftSection={<Plus size={16} aria-hidden />}
            onClick={() =>
              onChange([
                ...schedules,
                newSchedule(1, {
                  frequency: 'every_4h',
                  time: '00:00',
                  timezone: schedules[0]?.timezone ?? 'UTC',
                }),
              ])
            }
          >
            Add schedule
          </Button>
        )}
      </Group>
    </Stack>
  );
}
