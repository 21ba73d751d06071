/**
 * Benchmark reporting: every figure is a value against a limit, printed as one table and merged
 * into `bench/results/latest.json` (other benchmarks' rows in the file are kept).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** One measured figure, compared against a limit (ratio = value / limit). */
export interface ResultRow {
  /** The benchmark that produced the row, e.g. `connections`. */
  benchmark: string;
  /** What was measured, e.g. `pglite API p95`. */
  figure: string;
  value: number;
  unit: string;
  /** The value the figure is held against (a goal, or a figure measured in the same run). */
  limit: number;
  /** Where the limit comes from, e.g. `goal` or `raw SQL p95 (same run)`. */
  limitSource: string;
  /** value / limit. */
  ratio: number;
  /** The largest acceptable ratio. */
  maxRatio: number;
  /** Whether the ratio is within `maxRatio`. */
  pass: boolean;
  /** Informational rows are reported but never fail a run. */
  informational: boolean;
}

/** Builds a row from a value and its limit; the ratio and pass/fail are derived. */
export function resultRow(
  row: Omit<ResultRow, 'ratio' | 'pass' | 'maxRatio' | 'informational'> & {
    maxRatio?: number;
    informational?: boolean;
  },
): ResultRow {
  const maxRatio = row.maxRatio ?? 1;
  const ratio = row.limit > 0 ? row.value / row.limit : Number.POSITIVE_INFINITY;
  return { ...row, maxRatio, informational: row.informational ?? false, ratio, pass: ratio <= maxRatio };
}

/** What a benchmark hands back to the runner. */
export interface BenchmarkResult {
  rows: ResultRow[];
  /** Facts about the run worth keeping next to the rows (seed times, row counts, skipped backends). */
  details: Record<string, unknown>;
  /** Lines the runner prints under the table (e.g. seed times, a backend that was not measured). */
  notes?: string[];
}

/** Nearest-rank percentile of `values` (p in 0–100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Formats a number with three significant digits (at least two decimals below 10). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return value.toFixed(0);
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** Renders rows as a fixed-width text table: figure, value, unit, limit, ratio, goal, pass/fail. */
export function formatTable(rows: readonly ResultRow[]): string {
  const header = ['figure', 'value', 'unit', 'limit', 'ratio', 'goal', 'result'];
  const body = rows.map((row) => [
    row.figure,
    formatNumber(row.value),
    row.unit,
    `${formatNumber(row.limit)} (${row.limitSource})`,
    `${row.ratio.toFixed(2)}×`,
    `≤ ${row.maxRatio.toFixed(2)}×${row.informational ? ' (info)' : ''}`,
    row.pass ? 'pass' : row.informational ? 'miss (info)' : 'FAIL',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...body.map((cells) => (cells[column] ?? '').length)),
  );
  const numeric = new Set([1, 4]);
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        numeric.has(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '─'.repeat(width)).join('  ');
  return [line(header), rule, ...body.map(line)].join('\n');
}

/** The shape of `bench/results/latest.json`. */
export interface ResultsFile {
  updatedAt: string;
  node: string;
  cpus: number;
  rows: (ResultRow & { timestamp: string; node: string; cpus: number })[];
  /** Per benchmark: when it last ran, on what, and its details. */
  runs: Record<string, { timestamp: string; node: string; cpus: number; details: Record<string, unknown> }>;
}

/** The machine facts stamped on every row. */
export function machineFacts(): { node: string; cpus: number; cpuModel: string } {
  const cpus = os.cpus();
  return { node: process.version, cpus: cpus.length, cpuModel: cpus[0]?.model.trim() ?? 'unknown' };
}

function readResults(file: string): Partial<ResultsFile> {
  if (!fs.existsSync(file)) return {};
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<ResultsFile>;
  } catch {
    console.warn(`warning: ${file} is not valid JSON; starting it afresh`);
    return {};
  }
}

/**
 * Writes `benchmark`'s rows into `file`, replacing that benchmark's earlier rows and keeping every
 * other benchmark's rows and run entry as they are.
 */
export function mergeResults(
  file: string,
  benchmark: string,
  result: BenchmarkResult,
  now: Date = new Date(),
): ResultsFile {
  const previous = readResults(file);
  const { node, cpus, cpuModel } = machineFacts();
  const timestamp = now.toISOString();
  const kept = (previous.rows ?? []).filter((row) => row.benchmark !== benchmark);
  const merged: ResultsFile = {
    updatedAt: timestamp,
    node,
    cpus,
    rows: [...kept, ...result.rows.map((row) => ({ ...row, timestamp, node, cpus }))],
    runs: {
      ...(previous.runs ?? {}),
      [benchmark]: { timestamp, node, cpus, details: { cpuModel, ...result.details } },
    },
  };
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(merged, null, 2)}\n`);
  return merged;
}

/** The result of a benchmark that threw: one failed row naming the error, so the summary shows it. */
export function crashedResult(benchmark: string, error: unknown): BenchmarkResult {
  const message = error instanceof Error ? error.message : String(error);
  return {
    rows: [
      resultRow({
        benchmark,
        figure: `benchmark did not finish: ${message.split('\n')[0]!.slice(0, 160)}`,
        value: 1,
        unit: 'error',
        limit: 0,
        limitSource: 'no error',
        maxRatio: 0,
      }),
    ],
    details: { error: message },
  };
}

/**
 * The one table of every figure in `results`: benchmark, figure, value, unit, limit (and its source),
 * ratio, goal, result. Rows of benchmarks not in `ranNow` are marked with the date they were measured.
 */
export function formatSummary(results: ResultsFile, ranNow: readonly string[]): string {
  const order = (benchmark: string) => {
    const index = ranNow.indexOf(benchmark);
    return index === -1 ? ranNow.length : index;
  };
  const rows = [...results.rows].sort((a, b) => order(a.benchmark) - order(b.benchmark));
  const header = ['benchmark', 'figure', 'value', 'unit', 'limit', 'ratio', 'goal', 'result'];
  const body = rows.map((row) => [
    ranNow.includes(row.benchmark) ? row.benchmark : `${row.benchmark} (${row.timestamp.slice(0, 10)})`,
    row.figure,
    formatNumber(row.value),
    row.unit,
    `${formatNumber(row.limit)} (${row.limitSource})`,
    `${Number.isFinite(row.ratio) ? row.ratio.toFixed(2) : String(row.ratio)}×`,
    `≤ ${row.maxRatio.toFixed(2)}×${row.informational ? ' (info)' : ''}`,
    row.pass ? 'pass' : row.informational ? 'miss (info)' : 'FAIL',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...body.map((cells) => (cells[column] ?? '').length)),
  );
  const numeric = new Set([2, 5]);
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) =>
        numeric.has(column) ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0),
      )
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '─'.repeat(width)).join('  ');
  const failed = rows.filter((row) => !row.pass && !row.informational).length;
  const passed = rows.filter((row) => row.pass && !row.informational).length;
  return [
    line(header),
    rule,
    ...body.map(line),
    rule,
    `${passed} pass, ${failed} FAIL, ${rows.length - passed - failed} informational`,
  ].join('\n');
}
