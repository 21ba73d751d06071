/**
 * Extraction schedules: a frequency, a time of day, an IANA time zone and a lookback. Each is
 * compiled to a cron expression evaluated in its zone (croner), so DST is handled once, here.
 */
import { Cron } from 'croner';
import { isTimeZone } from './dates.ts';

export const frequencies = [
  'every_4h',
  'every_6h',
  'every_8h',
  'every_12h',
  'daily',
  'weekly',
  'monthly',
  'cron',
] as const;
export type Frequency = (typeof frequencies)[number];

export const weekdays = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
] as const;
export type Weekday = (typeof weekdays)[number];

/** A schedule as users write it. */
export interface ScheduleSpec {
  frequency: Frequency;
  /** `HH:MM`, 24-hour, in `timezone` (ignored for `cron`). */
  time: string;
  timezone: string;
  /** For `weekly`. */
  weekday?: Weekday | undefined;
  /** For `monthly`: 1–28, or `last`. */
  dayOfMonth?: number | 'last' | undefined;
  /** For `cron`: five fields (minute hour day-of-month month day-of-week). */
  cron?: string | undefined;
  /** How many recent days each run re-reads (platforms restate conversions). 0 = today only. */
  lookbackDays: number;
}

/** A problem with one field of a schedule, for a 400 that names it. */
export interface ScheduleProblem {
  field: string;
  message: string;
}

/** Compiles a schedule to a cron expression, or returns the problems that prevent it. */
export function compileSchedule(spec: ScheduleSpec): { cron: string } | { problems: ScheduleProblem[] } {
  const problems: ScheduleProblem[] = [];
  if (!isTimeZone(spec.timezone))
    problems.push({ field: 'timezone', message: `unknown time zone "${spec.timezone}"` });
  const time = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(spec.time);
  if (spec.frequency !== 'cron' && !time)
    problems.push({ field: 'time', message: 'time must be HH:MM (24-hour)' });
  if (!Number.isInteger(spec.lookbackDays) || spec.lookbackDays < 0 || spec.lookbackDays > 1095) {
    problems.push({ field: 'lookbackDays', message: 'lookbackDays must be a whole number from 0 to 1095' });
  }
  const hour = Number(time?.[1] ?? 0);
  const minute = Number(time?.[2] ?? 0);
  let cron = '';
  switch (spec.frequency) {
    case 'every_4h':
    case 'every_6h':
    case 'every_8h':
    case 'every_12h': {
      const step = Number(spec.frequency.slice(6, -1));
      const hours = Array.from({ length: 24 / step }, (_, index) => (hour + index * step) % 24).sort(
        (a, b) => a - b,
      );
      cron = `${minute} ${hours.join(',')} * * *`;
      break;
    }
    case 'daily':
      cron = `${minute} ${hour} * * *`;
      break;
    case 'weekly':
      if (!spec.weekday || !weekdays.includes(spec.weekday)) {
        problems.push({
          field: 'weekday',
          message: `weekly schedules need a weekday: ${weekdays.join(', ')}`,
        });
      }
      cron = `${minute} ${hour} * * ${weekdays.indexOf(spec.weekday ?? 'monday')}`;
      break;
    case 'monthly': {
      const day = spec.dayOfMonth;
      if (day !== 'last' && !(Number.isInteger(day) && (day as number) >= 1 && (day as number) <= 28)) {
        problems.push({ field: 'dayOfMonth', message: 'monthly schedules need dayOfMonth 1–28 or "last"' });
      }
      cron = `${minute} ${hour} ${day === 'last' ? 'L' : String(day ?? 1)} * *`;
      break;
    }
    case 'cron':
      cron = (spec.cron ?? '').trim();
      if (cron.split(/\s+/).length !== 5) {
        problems.push({
          field: 'cron',
          message: 'cron must have five fields: minute hour day-of-month month day-of-week',
        });
      } else {
        try {
          new Cron(cron, { timezone: 'UTC', paused: true });
        } catch (error) {
          problems.push({ field: 'cron', message: `invalid cron expression: ${(error as Error).message}` });
        }
      }
      break;
  }
  return problems.length > 0 ? { problems } : { cron };
}

/** The next `count` run times after `after`, DST-correct in the schedule's zone. */
export function nextRunTimes(cron: string, timezone: string, after: Date, count: number): Date[] {
  return new Cron(cron, { timezone, paused: true }).nextRuns(count, after);
}
