/** The fault matrix's one table: a line per (fault, provider), printed once the suite has run. */

/** One line of the matrix. */
export interface MatrixLine {
  fault: string;
  provider: string;
  /** Runs in the case: the faulted one, plus the recovery run when there was one. */
  runs: number;
  /** How the case went, e.g. `failed → succeeded`. */
  outcome: string;
  /** The faulted run's status. */
  firstStatus: string;
  /** The faulted run's error category (or the parked slice's), null when it succeeded. */
  category: string | null;
  errorCode: string | null;
  /** The recovery run's status, when there was one. */
  recovered: string | null;
  /** The run parked on a quota reset beyond the test's patience and was cancelled. */
  parked: boolean;
  /** (account, day)s not loaded after the faulted run (ledger says so, nothing visible). */
  notLoaded: number;
  lost: number;
  duplicated: number;
  offTruth: number;
  problems: string[];
}

/** Renders the lines as a fixed-width text table. */
export function renderTable(lines: MatrixLine[]): string {
  const header = [
    'fault',
    'provider',
    'runs',
    'outcome',
    'error category',
    'not loaded',
    'rows lost',
    'rows duplicated',
    'days off truth',
  ];
  const rows = lines.map((line) => [
    line.fault,
    line.provider,
    String(line.runs),
    line.outcome,
    line.category ? `${line.category} (${line.errorCode ?? '?'})` : '-',
    `${line.notLoaded} days`,
    String(line.lost),
    String(line.duplicated),
    String(line.offTruth),
  ]);
  const widths = header.map((title, index) =>
    Math.max(title.length, ...rows.map((row) => row[index]!.length)),
  );
  const format = (row: string[]) => row.map((cell, index) => cell.padEnd(widths[index]!)).join(' | ');
  return [format(header), widths.map((width) => '-'.repeat(width)).join('-|-'), ...rows.map(format)].join(
    '\n',
  );
}
