/**
 * Asynchronous insights report runs (AdReportRun): created by `POST /act_{id}/insights`, polled at
 * `GET /{report_run_id}`, read at `GET /{report_run_id}/insights`.
 *
 * A run advances one step per status poll, so tests and demos see every state without waiting:
 * poll 1 → `Job Running` 50 %, poll 2 → `Job Running` 100 % (Meta really reports 100 % before the job
 * is done — clients must wait for `Job Completed`, not for the percentage), poll 3 → `Job Completed`.
 * A run armed with `async_job_failed` ends `Job Failed` at poll 2 with the error fields; one armed
 * with `async_job_hangs` stays `Job Running` at 50 % forever. A completed run's data is a snapshot at
 * the virtual time of completion: later clock moves (restatement) do not change it.
 */
import { randomInt } from 'node:crypto';
import { dayString } from '../../../sandbox/calendar.ts';
import { type FieldSelection, parseFields } from './fields.ts';
import { failedRunError } from './insights-errors.ts';
import type { InsightsQuery } from './insights-params.ts';
import type { SeedUser } from './seed.ts';
import type { ArmedJobFault } from './store.ts';

/** One report run. */
export interface ReportRun {
  id: string;
  accountId: string;
  /** The user whose token created it; only that user may read it. */
  user: SeedUser;
  query: InsightsQuery;
  /** Virtual creation time. */
  createdAt: Date;
  polls: number;
  fate: 'complete' | ArmedJobFault;
  /** Virtual completion time: the as-of instant of the run's data. */
  completedAt?: Date | undefined;
}

/** Report runs of one sandbox registration. */
export class ReportRuns {
  private readonly runs = new Map<string, ReportRun>();

  /** Creates a run; `fault` is the armed fate, if any. */
  create(
    input: Pick<ReportRun, 'accountId' | 'user' | 'query' | 'createdAt'>,
    fault?: ArmedJobFault,
  ): ReportRun {
    let id: string;
    // 16 digits like Meta's report run ids; random, since a run id must not be guessable across users.
    do
      id = `${randomInt(1, 10)}${String(randomInt(0, 1e9)).padStart(9, '0')}${String(randomInt(0, 1e6)).padStart(6, '0')}`;
    while (this.runs.has(id));
    const run: ReportRun = { ...input, id, polls: 0, fate: fault ?? 'complete' };
    this.runs.set(id, run);
    // Keep memory bounded in long demos: drop the oldest runs beyond a generous cap.
    if (this.runs.size > 10_000) this.runs.delete(this.runs.keys().next().value!);
    return run;
  }

  /** The run with this id, if any. */
  get(id: string): ReportRun | undefined {
    return this.runs.get(id);
  }

  /** Advances a run by one poll; a run that completes now snapshots its data at `now`. */
  poll(run: ReportRun, now: Date): void {
    run.polls += 1;
    if (run.fate === 'complete' && run.polls >= 3 && !run.completedAt) run.completedAt = now;
  }
}

/** The status of a run as of its poll count. */
export function runStatus(run: ReportRun): { status: string; percent: number } {
  if (run.polls === 0) return { status: 'Job Not Started', percent: 0 };
  if (run.fate === 'async_job_hangs' || run.polls === 1) return { status: 'Job Running', percent: 50 };
  if (run.fate === 'async_job_failed') return { status: 'Job Failed', percent: 50 };
  if (!run.completedAt) return { status: 'Job Running', percent: 100 };
  return { status: 'Job Completed', percent: 100 };
}

/** AdReportRun fields (SDK codegen spec `AdReportRun.json`). */
const reportRunFields: ReadonlySet<string> = new Set(
  (
    'account_id async_percent_completion async_report_url async_status date_start date_stop emails ' +
    'error_code error_message error_subcode error_user_msg error_user_title friendly_name id ' +
    'is_async_export is_bookmarked is_running schedule_id time_completed time_ref'
  ).split(' '),
);

/** Fields a status read returns when it names none. */
const defaultFields = [
  'id',
  'account_id',
  'time_ref',
  'time_completed',
  'async_status',
  'async_percent_completion',
  'date_start',
  'date_stop',
  'is_running',
  'error_code',
  'error_message',
  'error_subcode',
  'error_user_title',
  'error_user_msg',
];

/** The outcome of rendering: the node, or the first field AdReportRun does not have. */
export type RenderedRun = { ok: true; body: Record<string, unknown> } | { ok: false; unknownField: string };

/** Renders a run's node with the requested `fields` (raw parameter), Graph style. */
export function renderRun(run: ReportRun, rawFields: string | undefined): RenderedRun {
  let selection: FieldSelection[] = defaultFields.map((name) => ({ name }));
  if (rawFields !== undefined && rawFields.trim() !== '') {
    const parsed = parseFields(rawFields);
    if (parsed.ok && parsed.fields.length > 0) selection = parsed.fields;
  }
  const unknown = selection.find((field) => !reportRunFields.has(field.name));
  if (unknown) return { ok: false, unknownField: unknown.name };
  const { status, percent } = runStatus(run);
  const failed = status === 'Job Failed';
  const values: Record<string, unknown> = {
    id: run.id,
    account_id: run.accountId,
    // Unix seconds, as the spec's unsigned ints.
    time_ref: Math.floor(run.createdAt.getTime() / 1000),
    time_completed: run.completedAt ? Math.floor(run.completedAt.getTime() / 1000) : undefined,
    async_status: status,
    async_percent_completion: percent,
    date_start: dayString(run.query.since),
    date_stop: dayString(run.query.until),
    is_running: status === 'Job Running' || status === 'Job Not Started',
    is_bookmarked: false,
    emails: [],
    ...(failed ? failedRunError : {}),
  };
  const body: Record<string, unknown> = {};
  for (const field of selection) if (values[field.name] !== undefined) body[field.name] = values[field.name];
  // Graph always returns the node id.
  if (!('id' in body)) body.id = run.id;
  return { ok: true, body };
}
