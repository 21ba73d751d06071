/** Formatting shared by every page, so a date or a number reads the same everywhere. */

const dateTime = new Intl.DateTimeFormat('en-GB', {
  day: '2-digit',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});
const dateOnly = new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: 'short', year: 'numeric' });
const integer = new Intl.NumberFormat('en-US');

/** "27 Nov 2026, 18:47" in the viewer's time zone; an em dash for null. */
export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

/** "27 Nov 2026"; an em dash for null. */
export function formatDate(iso: string | null | undefined): string {
  return iso ? dateOnly.format(new Date(iso)) : '—';
}

/** "1,234". */
export function formatInteger(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : integer.format(value);
}

/** "3 min ago", "in 2 h", "5 days ago": for times a user scans rather than reads. */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  // Within a few seconds either way (clock skew, a refetch right after the event) it is simply now.
  if (Math.abs(seconds) < 5) return 'just now';
  const abs = Math.abs(seconds);
  const [value, unit] =
    abs < 60
      ? [abs, 's']
      : abs < 3600
        ? [Math.round(abs / 60), 'min']
        : abs < 86_400
          ? [Math.round(abs / 3600), 'h']
          : [Math.round(abs / 86_400), abs < 172_800 ? 'day' : 'days'];
  return seconds >= 0 ? `in ${value} ${unit}` : `${value} ${unit} ago`;
}

/** "1.2 s", "340 ms", "2 min 5 s". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
