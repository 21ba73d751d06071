/**
 * What every connector's report reading does the same way: the error a cancelled read ends with, and the daily
 * totals `totals()` sums from an account-level read for reconciliation.
 */
import { TributaryError } from '../../domain/errors.ts';
import type { CellValue, DailyTotals } from './types.ts';

/**
 * The error a read ends with. A cancelled read rejects with the signal's reason (often a bare AbortError); the
 * engine expects a TributaryError, and "internal_error" would wrongly suggest a bug, so that one becomes
 * `provider_timeout` naming `product`. Any other error is returned as it is.
 */
export function readEndingError(error: unknown, signal: AbortSignal, product: string): unknown {
  if (signal.aborted && !(error instanceof TributaryError)) {
    return new TributaryError('provider_timeout', `${product}: the read was cancelled`, { cause: error });
  }
  return error;
}

/**
 * The per-day sums of `columns` over every row of `pages`, by `date`, in date order (an absent or null cell counts
 * 0). An account-level read gives one row per day; adding keeps totals right should a provider ever split a day.
 */
export async function sumDailyTotals(
  pages: AsyncIterable<Record<string, CellValue>[]>,
  columns: readonly string[],
): Promise<DailyTotals[]> {
  const byDate = new Map<string, Record<string, number>>();
  for await (const page of pages) {
    for (const row of page) {
      const date = row.date as string;
      const values = byDate.get(date) ?? Object.fromEntries(columns.map((column) => [column, 0]));
      for (const column of columns) values[column]! += (row[column] as number | null) ?? 0;
      byDate.set(date, values);
    }
  }
  return [...byDate.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([date, values]) => ({ date, values }));
}
