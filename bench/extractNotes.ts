/**
 * The extract benchmark's notes and details: for each run, its size and duration, where its time
 * went (slice jobs vs worker capacity, provider waits vs destination work, a CPU profile when one
 * was taken), and the raw loads it was held against.
 */
import type { WireCounts } from './extractApp.ts';
import { describeProfile } from './extractProfile.ts';
import type { RawLoad } from './extractRaw.ts';
import type { Measured } from './extractScenarios.ts';
import { formatNumber } from './report.ts';

/** Slice workers per process (the job queue's default; the runtime does not change it). */
export const SLICE_WORKERS = 2;

/** Insights requests of every kind counted on the wire. */
export const insightsCalls = (wire: WireCounts) =>
  wire.sent.sync + wire.sent.create + wire.sent.poll + wire.sent.results;

/** Rows landed per second of the run's wall time. */
export const rowsPerSec = (m: Measured) => m.run.rows.inserted / (m.wallMs / 1000);

/** From the run's creation to its last slice job's completion. */
export const slicePhaseMs = (m: Measured) => m.jobs.lastCompletedAt - Date.parse(m.run.createdAt);

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const perRow = (ms: number, rows: number) => `${((1000 * ms) / Math.max(rows, 1)).toFixed(1)} µs/row`;

/** Lines describing one run: size, duration, requests, memory, and where the time went. */
export function describeRun(name: string, m: Measured): string[] {
  const { stages, jobs, run } = m;
  const workers = m.sliceWorkers ?? SLICE_WORKERS;
  const capacity = workers * slicePhaseMs(m);
  const inside = stages.sourceMs + stages.destinationMs + stages.ensureTableMs + stages.recordLoadMs;
  const lines = [
    `${name}: ${m.plan.template}, ${m.plan.accountIds.length} accounts × ${m.plan.days} days (${m.plan.from}..${m.plan.to}), ` +
      `${run.slices.length} slices, ${run.rows.inserted.toLocaleString('en')} rows (sandbox model: ${m.minimum.rows.toLocaleString('en')}) ` +
      `in ${s(m.wallMs)} = ${formatNumber(rowsPerSec(m))} rows/s; ${run.apiCalls} API calls (wire: ${JSON.stringify(m.wire.sent)}, ` +
      `non-200: ${JSON.stringify(m.wire.failed)}), reconciliation ${run.reconciliation?.status ?? 'none'}; RSS ${m.rss.beforeMb.toFixed(0)} → ` +
      `peak ${m.rss.peakMb.toFixed(0)} MB (JS heap ${m.rss.heapTotalMb.toFixed(0)} MB, external incl. WASM ${m.rss.externalMb.toFixed(0)} MB at the peak)`,
    `  workers: ${jobs.jobs} slice jobs busy ${s(jobs.busyMs)} of ${workers} × ${s(slicePhaseMs(m))} = ${s(capacity)} ` +
      `(${((100 * jobs.busyMs) / capacity).toFixed(0)}%, the rest idle); ` +
      `finalize + reconciliation after the last job ${s(Date.parse(run.finishedAt!) - jobs.lastCompletedAt)}`,
    `  inside jobs (summed): waiting for the provider's next batch ${s(stages.sourceMs)} (HTTP round trips incl. the sandbox ` +
      `answering ${s(m.wire.roundTripMs)}), destination work ${s(stages.destinationMs)}, ensureTable ${s(stages.ensureTableMs)}, ` +
      `recordLoad ${s(stages.recordLoadMs)}, the rest (store: claim, heartbeat, ledger, finish; pg-boss) ${s(jobs.busyMs - inside)}; ` +
      `${stages.batches} batches`,
    `  CPU during the run: this process ${s(m.cpu.appMs)} (${perRow(m.cpu.appMs, run.rows.inserted)}), ` +
      (m.cpu.providerMs === null
        ? 'the sandbox served in this process (its CPU is included)'
        : `the sandbox's own process ${s(m.cpu.providerMs)} (${perRow(m.cpu.providerMs, run.rows.inserted)}), not counted here`),
  ];
  if (m.planDiff.extra.length + m.planDiff.missing.length > 0) {
    lines.push(
      `  !!! the engine's slices differ from our windows: ${JSON.stringify(m.planDiff).slice(0, 300)}`,
    );
  }
  if (m.profile) {
    lines.push(
      '  CPU profile of the main thread (self time by component):',
      ...describeProfile(m.profile).map((line) => `    ${line}`),
    );
  }
  return lines;
}

/** The run's log and each slice's attempts and quota wait, for runs with few slices. */
export function describeTimeline(m: Measured): string[] {
  const t0 = Date.parse(m.run.createdAt);
  const at = (iso: string) => `+${((Date.parse(iso) - t0) / 1000).toFixed(1)} s`;
  return [
    ...m.run.log.map((entry) => `    ${at(entry.at)} ${entry.level} ${entry.message.slice(0, 160)}`),
    ...m.run.slices.map(
      (slice) =>
        `    slice ${slice.from}..${slice.to}: ${slice.status}, ${slice.attempts} attempt(s), ${slice.apiCalls} call(s), ` +
        `quota wait ${s(slice.quotaWaitMs)}, finished ${slice.finishedAt ? at(slice.finishedAt) : '—'}`,
    ),
  ];
}

/** One line for a raw or replayed load. */
export function describeLoad(name: string, load: RawLoad): string {
  return (
    `${name}: ${load.rows.toLocaleString('en')} rows × ${load.columns} columns in ${(load.ms / 1000).toFixed(2)} s = ` +
    `${formatNumber(load.rowsPerSec)} rows/s (timed: ${load.timed})`
  );
}

/** The JSON details of one run (everything but the slice list and the log). */
export function runDetails(m: Measured): Record<string, unknown> {
  return {
    plan: { ...m.plan, accountIds: m.plan.accountIds.length },
    status: m.run.status,
    slices: m.run.slices.length,
    rows: m.run.rows,
    apiCalls: m.run.apiCalls,
    quotaWaitMs: {
      run: m.run.quotaWaitMs,
      slices: m.run.slices.reduce((sum, slice) => sum + slice.quotaWaitMs, 0),
    },
    wallMs: m.wallMs,
    wire: m.wire,
    rss: m.rss,
    cpu: m.cpu,
    jobs: m.jobs,
    minimum: m.minimum,
    planDiff: m.planDiff,
    stages: m.stages,
    reconciliation: m.run.reconciliation?.status ?? null,
    ...(m.profile ? { profile: m.profile } : {}),
  };
}
