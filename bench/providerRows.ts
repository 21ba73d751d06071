/**
 * The providers scenario's table rows and notes: per extraction, the run's `apiCalls` ÷ the fewest requests
 * the data needs; for LinkedIn, the analytics calls ÷ the fewest whole-day windows under the 15,000-element
 * cap, and the largest request's elements ÷ that cap; and, under the table, where every request went.
 */
import { PROVIDER_RANGE_DAYS, type ProviderOutcome, type ProvidersOutcome } from './extractProviders.ts';
import { WIRE_LIMITS } from './providerMinimum.ts';
import { type BenchmarkResult, type ResultRow, resultRow } from './report.ts';

const base = { benchmark: 'extract' };
const shortTemplate = (template: string) => template.slice(template.indexOf('.') + 1);

/** Analytics requests the run sent at the extraction's pivot, and the fewest the data needs (field chunks included). */
function linkedinAnalytics(outcome: ProviderOutcome): { sent: number; minimum: number } {
  const sent = outcome.analytics.filter((call) => call.pivot === outcome.pivot).length;
  const minimum = outcome.minimum.slices.reduce((sum, slice) => {
    const match = /^(\d+) window\(s\) × (\d+) field chunk/.exec(slice.detail);
    return sum + (match ? Number(match[1]) * Number(match[2]) : 0);
  }, 0);
  return { sent, minimum };
}

/** One row per extraction, and LinkedIn's two cap rows. */
export function providerRows(outcomes: readonly ProviderOutcome[]): ResultRow[] {
  const rows: ResultRow[] = [];
  for (const outcome of outcomes) {
    const failed = outcome.status !== 'succeeded';
    const row = resultRow({
      ...base,
      figure:
        `${outcome.provider} requests ÷ minimum pages (${shortTemplate(outcome.template)}, ` +
        `${outcome.accounts.length} accounts × ${PROVIDER_RANGE_DAYS} days` +
        `${failed ? `, run ${outcome.status}` : ''})`,
      value: outcome.apiCalls,
      unit: 'requests',
      limit: outcome.minimum.calls,
      limitSource: outcome.minimum.definition,
    });
    rows.push(failed ? { ...row, pass: false } : row);
  }
  const linkedin = outcomes.filter((outcome) => outcome.provider === 'linkedin-ads');
  if (linkedin.length > 0) {
    const calls = linkedin.flatMap((outcome) => outcome.analytics);
    const largest = Math.max(0, ...calls.map((call) => Math.max(call.held ?? 0, call.carried)));
    rows.push(
      resultRow({
        ...base,
        figure: `linkedin-ads largest adAnalytics request ÷ element cap (${calls.length} requests, elements the data holds for each)`,
        value: largest,
        unit: 'elements',
        limit: WIRE_LIMITS.linkedinElementCap,
        limitSource: 'LinkedIn caps a response silently',
      }),
    );
    const totals = linkedin
      .map(linkedinAnalytics)
      .reduce((sum, next) => ({ sent: sum.sent + next.sent, minimum: sum.minimum + next.minimum }), {
        sent: 0,
        minimum: 0,
      });
    rows.push(
      resultRow({
        ...base,
        figure:
          'linkedin-ads adAnalytics requests at the extraction’s pivot ÷ fewest whole-day windows under the cap',
        value: totals.sent,
        unit: 'requests',
        limit: totals.minimum,
        limitSource: 'greedy day windows × field chunks',
      }),
    );
  }
  return rows;
}

/** Lines under the table: each run, its minimum by slice, and its requests on the wire by path. */
export function providerNotes(outcomes: readonly ProviderOutcome[]): string[] {
  const notes = [
    '',
    'Providers scenario (PGlite + DuckDB, product-default HTTP settings, one app, sandboxes):',
  ];
  for (const outcome of outcomes) {
    notes.push(
      `  ${outcome.template} ${outcome.from}..${outcome.to}: ${outcome.status}, ${outcome.rowsInserted.toLocaleString('en')} rows, ` +
        `${outcome.engineSlices} slices, run.apiCalls ${outcome.apiCalls}, minimum ${outcome.minimum.calls} ` +
        `(${outcome.provider === 'google-ads' ? 'rows need no count: one response per query' : `${outcome.minimum.rows.toLocaleString('en')} rows counted at the sandbox`}), ` +
        `${(outcome.wallMs / 1000).toFixed(1)} s`,
    );
    if (outcome.error) notes.push(`    error: ${outcome.error}`);
    if (
      outcome.provider !== 'google-ads' &&
      outcome.status === 'succeeded' &&
      outcome.minimum.rows !== outcome.rowsInserted
    )
      notes.push(
        `    !!! rows counted at the sandbox ${outcome.minimum.rows} ≠ rows loaded ${outcome.rowsInserted}`,
      );
    const { extra, missing } = outcome.planDiff;
    if (extra.length + missing.length > 0)
      notes.push(
        `    !!! engine slices differ from our split: extra ${extra.join('; ')} missing ${missing.join('; ')}`,
      );
    for (const slice of outcome.minimum.slices) {
      const name = outcome.accounts.find((account) => account.id === slice.accountId)?.name ?? '';
      notes.push(
        `    minimum ${slice.accountId} (${name}) ${slice.from}..${slice.to}: ${outcome.provider === 'google-ads' ? '' : `${slice.rows.toLocaleString('en')} rows → `}${slice.calls} = ${slice.detail}`,
      );
    }
    const wire = Object.entries(outcome.wire)
      .sort(([, a], [, b]) => b - a)
      .map(
        ([key, count]) => `${count} × ${key}${outcome.failed[key] ? ` (${outcome.failed[key]} failed)` : ''}`,
      );
    notes.push(
      `    on the wire, reconciliation reads included (run.apiCalls leaves them out): ${wire.join('; ') || 'nothing'}`,
    );
    for (const call of outcome.analytics.filter((entry) => entry.pivot === outcome.pivot)) {
      notes.push(
        `    adAnalytics carried ${call.carried}, data holds ${call.held ?? '?'}: ${call.query.slice(0, 220)}`,
      );
    }
  }
  return notes;
}

/** The providers scenario as a benchmark result of its own (`BENCH_EXTRACT_ONLY=providers`), or a part of one. */
export function providersResult(
  outcome: ProvidersOutcome,
  details: Record<string, unknown> = {},
): BenchmarkResult {
  return {
    rows: providerRows(outcome.outcomes),
    notes: [...providerNotes(outcome.outcomes), `  Server warning/error lines: ${outcome.warnings}.`],
    details: {
      ...details,
      providers: outcome.outcomes.map(({ analytics, minimum, ...rest }) => ({
        ...rest,
        minimum,
        analytics: analytics.map(({ carried, held }) => ({ carried, held })),
      })),
    },
  };
}
