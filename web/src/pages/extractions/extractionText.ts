/**
 * How extractions, schedules, runs and ledger states read on screen: one vocabulary (and one
 * colour per state) for the list, the detail page, the run page and the events view.
 */
import type { EndpointResult } from '../../../../src/contract/endpoints.ts';
import type { ExtractionView, RunView } from '../../../../src/contract/extractionSchemas.ts';

export type ScheduleView = ExtractionView['schedules'][number];
export type RunDetailView = EndpointResult<'getRun'>;
export type SliceView = RunDetailView['slices'][number];
export type LedgerItem = EndpointResult<'getExtractionLedger'>['items'][number];

const hours: Record<string, number> = { every_4h: 4, every_6h: 6, every_8h: 8, every_12h: 12 };

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "Every 4 hours from 06:00", "Daily at 06:00", "Weekly on Monday at 06:00", "Cron 0 3 * * *". */
export function describeFrequency(schedule: ScheduleView): string {
  const every = hours[schedule.frequency];
  if (every) return `Every ${every} hours from ${schedule.time}`;
  switch (schedule.frequency) {
    case 'daily':
      return `Daily at ${schedule.time}`;
    case 'weekly':
      return `Weekly on ${capitalized(schedule.weekday ?? 'monday')} at ${schedule.time}`;
    case 'monthly':
      return schedule.dayOfMonth === 'last'
        ? `Monthly on the last day at ${schedule.time}`
        : `Monthly on day ${schedule.dayOfMonth ?? 1} at ${schedule.time}`;
    default:
      return `Cron ${schedule.cron}`;
  }
}

/** "Today only", "Last 1 day", "Last 28 days": what each scheduled run re-reads. */
export function describeLookback(days: number): string {
  if (days === 0) return 'Today only';
  return `Today and the ${days} day${days === 1 ? '' : 's'} before`;
}

/** The earliest next run over every schedule, or null when nothing is scheduled. */
export function earliestNextRun(extraction: ExtractionView): string | null {
  const next = extraction.schedules
    .map((schedule) => schedule.nextRuns[0])
    .filter((at): at is string => Boolean(at))
    .sort();
  return next[0] ?? null;
}

/** "1 Mar – 7 Mar 2026" for a range, "Last 28 days" for a scheduled lookback. */
export function describeWindow(window: RunView['window']): string {
  if (window.kind === 'lookback') return `Last ${window.days + 1} day${window.days === 0 ? '' : 's'}`;
  const short = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
  const full = new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const from = new Date(`${window.from}T00:00:00Z`);
  const to = new Date(`${window.to}T00:00:00Z`);
  return window.from === window.to ? full.format(to) : `${short.format(from)} – ${full.format(to)}`;
}

/** "3 Mar" for a `YYYY-MM-DD` day, read as a calendar day (never shifted by the viewer's zone). */
export function formatDay(day: string, withYear = false): string {
  return new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'short',
    ...(withYear ? { year: 'numeric' } : {}),
    timeZone: 'UTC',
  }).format(new Date(`${day}T00:00:00Z`));
}

/** Today as `YYYY-MM-DD` in the viewer's zone: the default end of every range picker. */
export function localToday(now = new Date()): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export const runStatusColors: Record<RunView['status'], string> = {
  queued: 'gray',
  running: 'blue',
  succeeded: 'teal',
  partial: 'orange',
  failed: 'red',
  cancelled: 'gray',
};

export const sliceStatusColors: Record<SliceView['status'], string> = {
  queued: 'gray',
  running: 'blue',
  succeeded: 'teal',
  failed: 'red',
  stalled: 'orange',
  cancelled: 'gray',
  skipped: 'yellow',
};

export const triggerLabels: Record<RunView['trigger'], string> = {
  schedule: 'Scheduled',
  manual: 'Manual',
  backfill: 'Backfill',
};

/** What a user can do about an error category, in a few words next to the message. */
export const categoryLabels: Record<string, string> = {
  auth: 'Authorization',
  permission: 'Permission',
  quota: 'Quota',
  transient: 'Temporary',
  provider: 'Provider',
  config: 'Configuration',
  destination: 'Destination',
  internal: 'Internal',
};

/** Whether a run may still change (so pages showing it keep polling). */
export function isRunActive(status: RunView['status']): boolean {
  return status === 'queued' || status === 'running';
}

/** Sums a run's rows for the compact "rows" column. */
export function totalRows(run: RunView): number {
  return run.rows.inserted + run.rows.updated + run.rows.deleted;
}

/** The label of a metric or dimension column: `actions_purchase` → "Actions purchase". */
export function fieldLabel(name: string): string {
  return capitalized(name.replace(/_/g, ' '));
}
