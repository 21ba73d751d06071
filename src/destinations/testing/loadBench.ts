/**
 * A large replacement measured against the raw bulk path of the same rows (tests only): rows/s
 * of `replacePartitions` (first load, then the same rows again) and of a bare appender/COPY of
 * the same rows into a plain table, and the process RSS before, at its peak, and after. Figures are printed,
 * not asserted against a clock.
 */
import type { CellValue, ColumnSpec } from '../../connectors/kit/types.ts';
import type { Destination, PartitionSet, TableSpec, WriteCounts } from '../core/types.ts';

/** The shape of a wide-ish campaign report, as a connector would send it. */
export const benchColumns: ColumnSpec[] = [
  { name: 'date', type: 'date' },
  { name: 'campaign_id', type: 'string' },
  { name: 'campaign_name', type: 'string' },
  { name: 'adset_name', type: 'string' },
  { name: 'impressions', type: 'integer' },
  { name: 'clicks', type: 'integer' },
  { name: 'spend', type: 'money' },
  { name: 'ctr', type: 'percent' },
  { name: 'cpc', type: 'decimal' },
  { name: 'active', type: 'boolean' },
];

export const benchDays = 30;
export const benchDates = Array.from(
  { length: benchDays },
  (_, i) => `2026-01-${String(i + 1).padStart(2, '0')}`,
);

/** Memory watermark kept while rows are generated; sampled once per batch. */
export class RssWatch {
  readonly start = process.memoryUsage().rss;
  peak = this.start;
  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
  }
}

/**
 * Yields `total` rows in batches of `batchSize`, built on the fly so that the test itself never
 * holds more than one batch (the memory figure is the destination's, not the fixture's).
 */
export async function* generateRows(
  total: number,
  batchSize: number,
  watch: RssWatch,
): AsyncGenerator<Record<string, CellValue>[]> {
  const perDay = total / benchDays;
  for (let offset = 0; offset < total; offset += batchSize) {
    const batch: Record<string, CellValue>[] = [];
    for (let i = offset; i < Math.min(offset + batchSize, total); i++) {
      const n = i % perDay;
      batch.push({
        date: benchDates[Math.floor(i / perDay)]!,
        campaign_id: `${1_200_000_000 + n}`,
        campaign_name: `Campaign ${n % 500} — "spring", EU`,
        adset_name: `Ad set ${n}\twith tab`,
        impressions: 1000 + (n % 9000),
        clicks: n % 97,
        spend: Math.round((n % 10_000) * 1.37) / 100,
        ctr: (n % 97) / (1000 + (n % 9000)),
        cpc: n % 7 === 0 ? null : ((n % 10_000) * 0.0137) / ((n % 97) + 1),
        active: n % 3 !== 0,
      });
    }
    watch.sample();
    yield batch;
  }
}

/** One measured run. */
export interface LoadFigures {
  rows: number;
  firstReplaceRowsPerSec: number;
  secondReplaceRowsPerSec: number;
  rawRowsPerSec: number;
  /** Raw rows/s divided by first-replacement rows/s: how much the transactional path costs. */
  rawOverFirst: number;
  rawOverSecond: number;
  rssStartMb: number;
  rssPeakMb: number;
  rssEndMb: number;
  firstCounts: WriteCounts;
  secondCounts: WriteCounts;
}

const mb = (bytes: number) => Math.round(bytes / 1e6);

/**
 * Replaces `total` rows twice through `destination`, and loads them once through `raw` (the
 * backend's bare bulk path into a plain table it creates with the user columns), timing each.
 */
export async function measureLoad(
  destination: Destination,
  raw: (table: TableSpec, rows: AsyncIterable<Record<string, CellValue>[]>) => Promise<void>,
  total: number,
  batchSize: number,
): Promise<LoadFigures> {
  const spec: TableSpec = { name: 'bench_replace', columns: benchColumns };
  // The bare path loads a plain table of the user columns only: no staging, no system columns.
  const rawSpec: TableSpec = { name: 'bench_raw', columns: benchColumns };
  await destination.ensureTable(spec);
  const partitions: PartitionSet = { accountId: 'act_1', accountName: 'Bench', dates: benchDates };
  const watch = new RssWatch();
  const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
    const started = performance.now();
    const result = await work();
    return [result, total / ((performance.now() - started) / 1000)];
  };
  const meta = { runId: 'bench', insertDate: new Date() };
  const [firstCounts, first] = await timed(() =>
    destination.replacePartitions(spec, partitions, generateRows(total, batchSize, watch), meta),
  );
  const [, rawRate] = await timed(() => raw(rawSpec, generateRows(total, batchSize, watch)));
  const [secondCounts, second] = await timed(() =>
    destination.replacePartitions(spec, partitions, generateRows(total, batchSize, watch), meta),
  );
  watch.sample();
  return {
    rows: total,
    firstReplaceRowsPerSec: Math.round(first),
    secondReplaceRowsPerSec: Math.round(second),
    rawRowsPerSec: Math.round(rawRate),
    rawOverFirst: Number((rawRate / first).toFixed(2)),
    rawOverSecond: Number((rawRate / second).toFixed(2)),
    rssStartMb: mb(watch.start),
    rssPeakMb: mb(watch.peak),
    rssEndMb: mb(process.memoryUsage().rss),
    firstCounts,
    secondCounts,
  };
}
