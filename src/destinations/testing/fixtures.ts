/**
 * Shared pieces of the destination contract suites (tests only; not part of the product): the
 * backend hook, sample rows, and the batching a connector read would produce.
 */
import type { CellValue, ColumnSpec } from '../../connectors/kit/types.ts';
import type { Destination, PartitionSet } from '../core/types.ts';

/** A backend under test: how to open it, a second independent reader, and raw SQL for checks. */
export interface ContractBackend {
  name: string;
  open(): Destination;
  /** Runs SQL on its own connection and returns the rows as plain objects. */
  query(sql: string): Promise<Record<string, unknown>[]>;
  /** The schema-qualified name of a table, for `query`. */
  qualified(table: string): string;
  cleanup(): Promise<void>;
}

/** A row as a connector yields it. */
export type Row = Record<string, CellValue>;

/** The user columns of the sample table. */
export const columns: ColumnSpec[] = [
  { name: 'date', type: 'date' },
  { name: 'campaign_id', type: 'string' },
  { name: 'campaign_name', type: 'string' },
  { name: 'impressions', type: 'integer' },
  { name: 'spend', type: 'money' },
  { name: 'ctr', type: 'percent' },
  { name: 'active', type: 'boolean' },
  { name: 'extra', type: 'json' },
];

/** Rows for the given dates, `perDate` campaigns each. */
export function sampleRows(dates: string[], perDate: number, seed = 0): Row[] {
  return dates.flatMap((date) =>
    Array.from({ length: perDate }, (_, i) => ({
      date,
      campaign_id: `c${i}`,
      campaign_name: `Campaign ${i}`,
      impressions: 1000 + i + seed,
      spend: Number(((i + 1) * 1.25 + seed).toFixed(2)),
      ctr: 0.5 + i / 100,
      active: i % 2 === 0,
      extra: i === 0 ? null : `{"i": ${i}}`,
    })),
  );
}

/** An async iterable of `rows` in batches of `size`. */
export async function* batches(rows: Row[], size = 2): AsyncGenerator<Row[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}

/** The run metadata of every write in the suites. */
export const meta = { runId: 'run-1', insertDate: new Date('2026-03-01T10:00:00Z') };
/** A partition set of `dates` for account `accountId`. */
export const part = (accountId: string, dates: string[]): PartitionSet => ({
  accountId,
  accountName: `Acct ${accountId}`,
  dates,
});
/** The dates the suites write. */
export const d1 = '2026-02-01';
export const d2 = '2026-02-02';
export const d3 = '2026-02-03';
