/**
 * The fault matrix: every provider × every fault its sandbox can inject, plus engine faults (a worker killed with
 * SIGKILL mid-run, the store's PostgreSQL connections dropped mid-run, a destination that refuses writes). Each case
 * runs an extraction under the fault, lets it end, re-runs when the outcome says it can recover (after reconnecting
 * for auth and permission failures), then compares the destination with the sandbox's truth for every
 * (account, day) of its window.
 *
 * Definitions (per (account, day); `ref` = rows a clean reference run loaded there, itself equal to the truth):
 * - rows lost: `ref − rows` for a day that is visible but short — the ledger says `loaded`, or the table holds any
 *   row of it (a partial day);
 * - rows duplicated: `rows − ref` where the table holds more rows than the reference;
 * - not loaded: no row and a ledger that does not say `loaded` — the run failed or was cancelled there and says so
 *   in the ledger (and the run's error); reported, never counted as lost;
 * - days off truth: a visible day whose summed metrics differ from the sandbox truth.
 * Every case must end completed, or failed/partial with an error category of the error model (a run parked on a
 * quota reset hours away is checked parked with category `quota`, then cancelled); lost = duplicated = days off
 * truth = 0 on every line, and every recovery run must succeed with nothing left not loaded.
 *
 * `npm test` runs the short variant (every provider with a few faults, the engine faults on Meta); `npm run
 * test:faults` (FAULTS_FULL=1) runs the whole matrix. The table is printed at the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCategories } from '../../src/domain/errors.ts';
import { startTestApp, type TestApp } from '../harness.ts';
import { postgresAvailable } from '../postgres.ts';
import { engineFaults, runEngineFault } from './engineFaults.ts';
import { type MatrixLine, renderTable } from './faultTable.ts';
import { providerCases } from './providerCases.ts';
import { type PreparedProvider, prepareProvider, runFaultCase } from './providerMatrix.ts';

const full = process.env.FAULTS_FULL === '1';
const lines: MatrixLine[] = [];
const postgres = await postgresAvailable();

/** The checks every line must pass. */
function expectClean(line: MatrixLine): void {
  const context = `${line.provider} / ${line.fault}: ${line.outcome}; ${line.problems.slice(0, 8).join('; ')}`;
  expect(['succeeded', 'partial', 'failed', 'cancelled'], context).toContain(line.firstStatus);
  if (line.firstStatus !== 'succeeded') {
    expect(errorCategories as readonly (string | null)[], context).toContain(line.category);
    if (line.firstStatus === 'cancelled') expect(line.parked, context).toBe(true);
  }
  if (line.recovered !== null) expect(line.recovered, context).toBe('succeeded');
  expect([line.lost, line.duplicated, line.offTruth, line.problems], context).toEqual([0, 0, 0, []]);
}

afterAll(() => {
  if (lines.length === 0) return;
  console.log(`\nFault matrix (${full ? 'full' : 'short'}):\n${renderTable(lines)}\n`);
});

describe('fault matrix: providers', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp('pglite');
  });
  afterAll(async () => {
    await app?.close();
  });

  for (const spec of providerCases) {
    const cases = full ? spec.faults : spec.faults.filter((fault) => spec.short.includes(fault.name));
    describe(spec.provider, () => {
      let prepared: PreparedProvider;
      beforeAll(async () => {
        prepared = await prepareProvider(app, spec, cases.length);
      }, 180_000);
      for (const fault of cases) {
        it(
          fault.name,
          async () => {
            const line = await runFaultCase(app, prepared, fault);
            lines.push(line);
            expectClean(line);
          },
          240_000 + (fault.patienceMs ?? 0),
        );
      }
    });
  }
});

describe.skipIf(!postgres)('fault matrix: engine (Meta on PostgreSQL)', () => {
  // Every engine fault runs in both variants (on Meta): each is one run and its recovery.
  for (const fault of engineFaults) {
    it(fault, async () => {
      const line = await runEngineFault(fault);
      lines.push(line);
      expectClean(line);
    }, 300_000);
  }
});
