/**
 * The next run times of a schedule being edited, asked of the server (it owns cron and DST),
 * debounced so typing a time does not send a request per keystroke.
 */
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData } from '@tanstack/react-query';
import { useApiQuery } from '../../api.ts';
import { type ScheduleDraft, scheduleInput } from './draft.ts';
import { type FieldIssues, fieldIssuesOf } from './fieldIssues.ts';

export const frequencyOptions = [
  { value: 'every_4h', label: 'Every 4 hours' },
  { value: 'every_6h', label: 'Every 6 hours' },
  { value: 'every_8h', label: 'Every 8 hours' },
  { value: 'every_12h', label: 'Every 12 hours' },
  { value: 'daily', label: 'Daily' },
  { value: 'weekly', label: 'Weekly' },
  { value: 'monthly', label: 'Monthly' },
  { value: 'cron', label: 'Cron expression' },
];

/** The next runs of one schedule, and its problems keyed by the schedule's own field names. */
export function useScheduleRuns(schedule: ScheduleDraft) {
  const [input] = useDebouncedValue(scheduleInput(schedule), 350);
  const query = useApiQuery(
    'previewSchedules',
    { body: { schedules: [input] } },
    { retry: false, placeholderData: keepPreviousData, staleTime: 60_000 },
  );
  const issues: FieldIssues = {};
  for (const [path, messages] of Object.entries(fieldIssuesOf(query.error))) {
    // The request holds one schedule, so "schedules.0.timezone" is this schedule's "timezone".
    issues[path.replace(/^schedules\.0\.?/, '') || 'schedule'] = messages;
  }
  return {
    nextRuns: query.isError ? [] : (query.data?.items[0]?.nextRuns ?? []),
    loading: query.isPending,
    error: query.error,
    issues,
  };
}

/** "Tue 12 May, 06:00" in the schedule's own zone (what the user set the time in). */
export function formatRunTime(iso: string, timezone: string): string {
  const options: Intl.DateTimeFormatOptions = {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  };
  try {
    return new Intl.DateTimeFormat('en-GB', { ...options, timeZone: timezone }).format(new Date(iso));
  } catch {
    return new Intl.DateTimeFormat('en-GB', options).format(new Date(iso));
  }
}

/** "Daily at 06:00 (Europe/Paris), re-reading 28 days". */
export function describeSchedule(schedule: ScheduleDraft): string {
  const frequency = frequencyOptions.find((option) => option.value === schedule.frequency)?.label ?? '';
  const when =
    schedule.frequency === 'cron'
      ? `Cron ${schedule.cron}`
      : schedule.frequency === 'weekly'
        ? `Weekly on ${schedule.weekday[0]?.toUpperCase()}${schedule.weekday.slice(1)} at ${schedule.time}`
        : schedule.frequency === 'monthly'
          ? `Monthly on day ${schedule.dayOfMonth} at ${schedule.time}`
          : schedule.frequency === 'daily'
            ? `Daily at ${schedule.time}`
            : `${frequency} from ${schedule.time}`;
  return `${when} (${schedule.timezone}), re-reading ${schedule.lookbackDays} ${schedule.lookbackDays === 1 ? 'day' : 'days'}`;
}
