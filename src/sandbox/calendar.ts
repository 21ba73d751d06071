/**
 * Calendar arithmetic for provider sandboxes: days as integers (days since 1970-01-01, so ranges are
 * plain number loops), the account-local "today" and hour of an instant, and month steps. Ad platforms
 * report days in the ad account's time zone, never in UTC or the caller's zone.
 */

const DAY_MS = 86_400_000;

/** `Intl.DateTimeFormat` construction is slow; one formatter per zone is reused for every call. */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The account-local date (as a day number) and hour (0–23) of an instant. */
export interface LocalClock {
  today: number;
  hour: number;
}

/** Where `instant` falls on the account's wall clock. */
export function localClock(instant: Date, timeZone: string): LocalClock {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  const today = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day)) / DAY_MS;
  return { today, hour: Number(parts.hour) };
}

/**
 * Day strings already printed: report rows print the same few dates thousands of times, and a `Date`
 * plus `toISOString` per row is measurable. Bounded so odd callers cannot grow it without end.
 */
const dayStrings = new Map<number, string>();

/** `YYYY-MM-DD` of a day number. */
export function dayString(day: number): string {
  let text = dayStrings.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (dayStrings.size >= 20_000) dayStrings.clear();
    dayStrings.set(day, text);
  }
  return text;
}

/**
 * The day number of a `YYYY-MM-DD` string, or undefined when it is not a real calendar date.
 * Surrounding spaces are a malformed parameter, not a date (providers refuse them too).
 */
export function parseDay(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const time = Date.UTC(year, month - 1, day);
  // Date.UTC rolls 2025-02-30 over into March; a rolled-over date is not the date that was asked for.
  if (dayString(time / DAY_MS) !== match[0]) return undefined;
  return time / DAY_MS;
}

/** Year, month (1–12) and day of month of a day number. */
function ymd(day: number): [number, number, number] {
  const date = new Date(day * DAY_MS);
  return [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
}

/** Adds calendar months, clamping the day of month (Mar 31 − 1 month = Feb 28/29). */
export function addMonths(day: number, months: number): number {
  const [year, month, dayOfMonth] = ymd(day);
  const target = Date.UTC(year, month - 1 + months, 1) / DAY_MS;
  const [targetYear, targetMonth] = ymd(target);
  const lastDay = new Date(Date.UTC(targetYear, targetMonth, 0)).getUTCDate();
  return target + Math.min(dayOfMonth, lastDay) - 1;
}

/** The first day of the month `day` falls in. */
export function monthStart(day: number): number {
  const [year, month] = ymd(day);
  return Date.UTC(year, month - 1, 1) / DAY_MS;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: number): number {
  // 1970-01-01 was a Thursday.
  return (((day + 4) % 7) + 7) % 7;
}

/** The day number of an epoch-seconds instant, in the account's zone. */
export function localDayOf(epochSeconds: number, timeZone: string): number {
  return localClock(new Date(epochSeconds * 1000), timeZone).today;
}
