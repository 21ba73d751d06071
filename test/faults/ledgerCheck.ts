/**
 * The destination against the truth, per (account, day) — the definitions the fault matrix asserts on.
 *
 * For every (account, day) of a case's window, with `ref` the rows a clean reference run loaded for that
 * (account, day) into a table of its own (itself checked against the sandbox's truth) and `rows` what the faulted
 * extraction's table holds:
 * - **rows lost**: `ref − rows` where the day is visible but short: the ledger says `loaded`, or the table holds
 *   any of its rows (a partial day). A day with no row and a ledger that does not say `loaded` is **not loaded**
 *   (the run failed or was cancelled there, and the ledger says so): counted apart, never as lost.
 * - **rows duplicated**: `rows − ref` where the table holds more rows than the reference.
 * - **days off truth**: a day that is visible (loaded, or holding rows) whose summed metrics differ from the
 *   sandbox's truth (money within half a cent).
 */
import type { SandboxTruthDay } from '../../src/connectors/kit/types.ts';
import type { Destination } from '../../src/destinations/core/types.ts';
import { eachDay } from '../../src/domain/dates.ts';

/** What one comparison found. */
export interface LedgerCount {
  days: number;
  notLoaded: number;
  lost: number;
  duplicated: number;
  offTruth: number;
  /** A line per problem, for the failure message. */
  problems: string[];
}

/** Zero counts, to add comparisons to. */
export const emptyCount = (): LedgerCount => ({
  days: 0,
  notLoaded: 0,
  lost: 0,
  duplicated: 0,
  offTruth: 0,
  problems: [],
});

/** Adds `more` into `into`. */
export function addCount(into: LedgerCount, more: LedgerCount): LedgerCount {
  into.days += more.days;
  into.notLoaded += more.notLoaded;
  into.lost += more.lost;
  into.duplicated += more.duplicated;
  into.offTruth += more.offTruth;
  into.problems.push(...more.problems);
  return into;
}

/** One account's inputs to {@link compareAccount}. */
export interface AccountCheck {
  destination: Destination;
  table: string;
  accountId: string;
  from: string;
  to: string;
  /** Reference rows per day (from the clean run's table). */
  reference: Map<string, number>;
  /** The sandbox's truth per day. */
  truth: SandboxTruthDay[];
  /** Days the extraction's ledger says are loaded. */
  loadedDays: Set<string>;
  expected(day: SandboxTruthDay): Record<string, number>;
  money: string[];
}

/** Compares one account's days of a window with the reference rows and the truth. */
export async function compareAccount(check: AccountCheck): Promise<LedgerCount> {
  const { destination, table, accountId, from, to } = check;
  const count = emptyCount();
  const rowsByDay = new Map(
    (await destination.dailyRowCounts(table, accountId, from, to)).map((day) => [day.date, day.rows]),
  );
  const truthByDay = new Map(check.truth.map((day) => [day.date, day]));
  const columns = Object.keys(check.truth[0] ? check.expected(check.truth[0]) : {});
  const totals = new Map(
    (await destination.dailyTotals(table, accountId, from, to, columns)).map((day) => [day.date, day.values]),
  );
  for (const day of eachDay(from, to)) {
    count.days += 1;
    const rows = rowsByDay.get(day) ?? 0;
    const ref = check.reference.get(day) ?? 0;
    const loaded = check.loadedDays.has(day);
    if (!loaded && rows === 0) {
      // Nothing visible and the ledger does not claim the day: not loaded (unless there was nothing to load).
      if (ref > 0) count.notLoaded += 1;
      continue;
    }
    if (rows < ref) {
      count.lost += ref - rows;
      count.problems.push(`${accountId} ${day}: ${rows} rows, reference ${ref} (ledger loaded: ${loaded})`);
    }
    if (rows > ref) {
      count.duplicated += rows - ref;
      count.problems.push(`${accountId} ${day}: ${rows} rows, reference ${ref}`);
    }
    const truth = truthByDay.get(day);
    const want = truth ? check.expected(truth) : {};
    const have = totals.get(day) ?? {};
    const off = columns.filter((column) => {
      const difference = Math.abs((have[column] ?? 0) - (want[column] ?? 0));
      return check.money.includes(column) ? difference >= 0.005 : difference !== 0;
    });
    if (off.length > 0) {
      count.offTruth += 1;
      count.problems.push(
        `${accountId} ${day}: ${off.map((column) => `${column} ${have[column] ?? 0} ≠ truth ${want[column] ?? 0}`).join(', ')}`,
      );
    }
  }
  return count;
}
