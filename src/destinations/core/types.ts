/**
 * The destination interface: where extracted rows land. DuckDB (embedded default) and
 * PostgreSQL implement it; the engine only talks to this.
 */
import type { CellValue, ColumnSpec } from '../../connectors/kit/types.ts';
import type { PaidAdsRefresh } from './paidAdsModel.ts';

/** A destination table: its name and its user columns (`date` first), without system columns. */
export interface TableSpec {
  /** A safe SQL identifier: lower-case letters, digits, `_`, starting with a letter, ≤ 63 chars. */
  name: string;
  columns: ColumnSpec[];
}

/** One (account, dates) set of partitions a slice replaces. */
export interface PartitionSet {
  accountId: string;
  accountName: string;
  /** Every `YYYY-MM-DD` date the slice covered, including dates with no rows (their old rows are deleted). */
  dates: string[];
}

/** What a replacement changed, per partition: updated = min(old, new), inserted = new − old when positive, deleted = old − new when positive. */
export interface WriteCounts {
  inserted: number;
  updated: number;
  deleted: number;
}

/** The parameters that shaped the numbers of a load, kept beside the data in `_tributary_loads`. */
export interface LoadRecord {
  runId: string;
  extractionId: string;
  table: string;
  accountId: string;
  from: string;
  to: string;
  /** E.g. API version, attribution windows, action breakdowns, account time zone and currency. */
  parameters: Record<string, unknown>;
  rows: number;
  loadedAt: string;
}

/** A warehouse Tributary writes to. */
export interface Destination {
  readonly kind: 'duckdb' | 'postgres';
  /**
   * Creates the table (system columns `account_id`, `account_name`, `__insert_date`, `__run_id`
   * included) or adds the columns it lacks. Never drops or retypes a column. Returns added column names.
   */
  ensureTable(spec: TableSpec): Promise<{ created: boolean; addedColumns: string[] }>;
  /**
   * Replaces whole (account, date) partitions with `rows` in one transaction, through the bulk
   * path (DuckDB appender, PostgreSQL COPY) into staging first. Rows stream in batches; nothing
   * of a failed replacement is visible. Every row's `date` must be in `partitions.dates`.
   */
  replacePartitions(
    spec: TableSpec,
    partitions: PartitionSet,
    rows: AsyncIterable<Record<string, CellValue>[]>,
    meta: { runId: string; insertDate: Date },
  ): Promise<WriteCounts>;
  /** Sums of `metrics` per date for one account (reconciliation), or summed over several (charts). */
  dailyTotals(
    table: string,
    accounts: string | readonly string[],
    from: string,
    to: string,
    metrics: string[],
  ): Promise<{ date: string; values: Record<string, number> }[]>;
  /** Row counts per date for one account (to verify no duplicates and no partial days). */
  dailyRowCounts(
    table: string,
    accountId: string,
    from: string,
    to: string,
  ): Promise<{ date: string; rows: number }[]>;
  /** The first rows of a table, ordered by date descending. */
  preview(
    table: string,
    limit: number,
  ): Promise<{ columns: ColumnSpec[]; rows: Record<string, CellValue>[] }>;
  /**
   * Replaces the `paid_ads__basic_performance` rows of one (source, account, dates) from a source table, creating
   * the model table on first use (see `core/paidAdsModel.ts`).
   */
  refreshPaidAds(refresh: PaidAdsRefresh): Promise<void>;
  /** Appends to `_tributary_loads` (created on first use). */
  recordLoad(load: LoadRecord): Promise<void>;
  /** Proves the destination can be reached and written to (used before a destination is saved). */
  check(): Promise<void>;
  close(): Promise<void>;
}
