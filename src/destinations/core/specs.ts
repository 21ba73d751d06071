/**
 * Checks shared by both backends: table specs, partition sets, read ranges, and the batch step
 * that validates rows against their partitions and counts them per date.
 */
import { type CellValue, type ColumnSpec, fieldTypes } from '../../connectors/kit/types.ts';
import { TributaryError } from '../../domain/errors.ts';
import { cellFailure, isIsoDate, type NormalCell, normalizeCell } from './cells.ts';
import { assertIdentifier, systemColumnNames } from './naming.ts';
import type { PartitionSet, TableSpec, WriteCounts } from './types.ts';

const knownFieldTypes: ReadonlySet<string> = new Set(fieldTypes);

/**
 * Throws `validation_failed` unless the table name and every column name are identifiers, the
 * first column is `date` of type `date`, names are unique, and none is a system column.
 */
export function assertTableSpec(spec: TableSpec): void {
  assertIdentifier(spec.name, 'table');
  const first = spec.columns[0];
  if (first?.name !== 'date' || first.type !== 'date') {
    throw new TributaryError(
      'validation_failed',
      `Table ${spec.name}: the first column must be date (date).`,
    );
  }
  const seen = new Set<string>();
  for (const column of spec.columns) {
    assertIdentifier(column.name, 'column');
    if (!knownFieldTypes.has(column.type)) {
      throw new TributaryError(
        'validation_failed',
        `Column ${column.name} has an unknown type ${column.type}.`,
      );
    }
    if ((systemColumnNames as readonly string[]).includes(column.name)) {
      throw new TributaryError('validation_failed', `Column ${column.name} is a system column.`);
    }
    if (seen.has(column.name)) {
      throw new TributaryError('validation_failed', `Column ${column.name} appears twice in ${spec.name}.`);
    }
    seen.add(column.name);
  }
}

/**
 * Throws `destination_rejected` when the target table is gone or lacks a column of `spec`: it was
 * changed outside Tributary, or `ensureTable` was not run. Checked before any row is read, so a
 * slice fails fast instead of after streaming everything into staging.
 */
export function assertWritable(label: string, spec: TableSpec, existing: ReadonlySet<string>): void {
  const missing = spec.columns.filter((column) => !existing.has(column.name)).map((column) => column.name);
  if (existing.size > 0 && missing.length === 0) return;
  const problem = existing.size === 0 ? 'does not exist' : `lacks columns ${missing.join(', ')}`;
  throw new TributaryError(
    'destination_rejected',
    `${label} destination: table ${spec.name} ${problem}; it was changed outside Tributary or ensureTable was not run.`,
    { details: { table: spec.name, missing } },
  );
}

/** Validates a partition set; returns its distinct dates, sorted. */
export function assertPartitions(partitions: PartitionSet): string[] {
  if (typeof partitions.accountId !== 'string' || partitions.accountId === '') {
    throw new TributaryError('validation_failed', 'A partition set needs an account id.');
  }
  for (const date of partitions.dates) {
    if (!isIsoDate(date)) {
      throw new TributaryError(
        'validation_failed',
        `Partition date ${JSON.stringify(date)} is not YYYY-MM-DD.`,
      );
    }
  }
  return [...new Set(partitions.dates)].sort();
}

/** Validates an inclusive `from`..`to` date range given to the read methods. */
export function assertRange(from: string, to: string): void {
  if (!isIsoDate(from) || !isIsoDate(to)) {
    throw new TributaryError('validation_failed', `Dates must be YYYY-MM-DD (got ${from}..${to}).`);
  }
}

/** Validates the row limit of a preview. */
export function assertLimit(limit: number): void {
  if (!Number.isSafeInteger(limit) || limit < 0 || limit > 10_000) {
    throw new TributaryError(
      'validation_failed',
      `Preview limit must be an integer in 0..10000 (got ${limit}).`,
    );
  }
}

/**
 * Normalizes one batch into column-major arrays (the shape DuckDB data chunks take, and cheap to
 * turn into COPY lines), refusing a row whose date is outside the partition set, since deleting
 * only the listed dates and inserting another date would leave that date half-replaced.
 * Adds each row's date to `newRows`. `firstRow` numbers rows in messages across batches.
 */
export function normalizeBatch(
  columns: ColumnSpec[],
  batch: Record<string, CellValue>[],
  dates: ReadonlySet<string>,
  newRows: Map<string, number>,
  firstRow: number,
): NormalCell[][] {
  for (let r = 0; r < batch.length; r++) {
    const date = batch[r]!.date;
    if (typeof date !== 'string' || !dates.has(date)) {
      throw new TributaryError(
        'validation_failed',
        `Row ${firstRow + r}: date ${JSON.stringify(date)} is not one of the partition dates being replaced.`,
        { details: { row: firstRow + r } },
      );
    }
    newRows.set(date, (newRows.get(date) ?? 0) + 1);
  }
  // Column by column: the property name stays the same through the inner loop, which keeps
  // V8's property lookups cheap on a hot path that sees millions of cells per load.
  // The date column was checked above against the (already validated) partition dates.
  const out: NormalCell[][] = [batch.map((row) => row.date as string)];
  for (const { name, type } of columns.slice(1)) {
    const values = new Array<NormalCell>(batch.length);
    let r = 0;
    try {
      for (; r < batch.length; r++) values[r] = normalizeCell(type, batch[r]![name]);
    } catch (error) {
      cellFailure(error, firstRow + r, name, type, batch[r]![name]);
    }
    out.push(values);
  }
  return out;
}

/**
 * Turns per-date old (deleted) and new (inserted) row counts into {@link WriteCounts}: per date,
 * updated = min(old, new), inserted = new − old when positive, deleted = old − new when positive.
 */
export function writeCounts(oldRows: Map<string, number>, newRows: Map<string, number>): WriteCounts {
  const counts: WriteCounts = { inserted: 0, updated: 0, deleted: 0 };
  for (const date of new Set([...oldRows.keys(), ...newRows.keys()])) {
    const before = oldRows.get(date) ?? 0;
    const after = newRows.get(date) ?? 0;
    counts.updated += Math.min(before, after);
    counts.inserted += Math.max(after - before, 0);
    counts.deleted += Math.max(before - after, 0);
  }
  return counts;
}

/**
 * Pulls batches from `rows`, remembering whether a failure came from the source rather than from
 * the warehouse: a source failure (a provider error mid-read) is rethrown untouched, while a
 * database failure is translated into a destination error.
 */
export class SourceReader {
  failure: { error: unknown } | null = null;

  constructor(private readonly rows: AsyncIterable<Record<string, CellValue>[]>) {}

  async *batches(): AsyncGenerator<Record<string, CellValue>[]> {
    // Only the source can throw here: a consumer that stops early calls return(), which the
    // for-await passes on to the source so it can release what it holds.
    try {
      for await (const batch of this.rows) yield batch;
    } catch (error) {
      this.failure = { error };
      throw error;
    }
  }
}
