/**
 * Calendar arithmetic for reports: days as integers (days since 1970-01-01, so ranges are plain number
 * loops) and the advertiser-local "today" and hour of an instant. TikTok reports days in the advertiser's
 * time zone, never in UTC or the caller's zone.
 */

const DAY_MS = 86_400_000;

/** `Intl.DateTimeFormat` construction is slow; one formatter per zone is reused. */
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

/** The advertiser-local date (as a day number) and hour (0–23) of an instant. */
export interface LocalClock {
  today: number;
  hour: number;
}

/** Where `instant` falls on the advertiser's wall clock. */
export function localClock(instant: Date, timeZone: string): LocalClock {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  const today = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day)) / DAY_MS;
  return { today, hour: Number(parts.hour) };
}

/** `YYYY-MM-DD` of a day number. */
export function dayString(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The day number of a `YYYY-MM-DD` string, or undefined when it is not a real calendar date. */
export function parseDay(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const time = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  // Date.UTC rolls 2025-02-30 over into March; a rolled-over date is not the date that was asked for.
  if (dayString(time / DAY_MS) !== match[0]) return undefined;
  return time / DAY_MS;
}

/** The day number of an epoch-seconds instant, in the given zone. */
export function localDayOf(epochSeconds: number, timeZone: string): number {
  return localClock(new Date(epochSeconds * 1000), timeZone).today;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: number): number {
  // 1970-01-01 was a Thursday.
  return (((day + 4) % 7) + 7) % 7;
}
