/**
 * Extractions (extraction orders), their schedules, runs and slices: the entities and their
 * state machines. No I/O.
 */
import type { ErrorCategory, ErrorCode } from './errors.ts';
import type { ScheduleSpec } from './schedule.ts';

export const extractionStatuses = ['active', 'paused', 'error'] as const;
export type ExtractionStatus = (typeof extractionStatuses)[number];

/** Why an extraction is paused or in error. */
export interface ExtractionStatusDetails {
  /** `manual`: a person paused it; `automatic`: Tributary did (e.g. the connection was deleted). */
  kind: 'manual' | 'automatic';
  reason: string;
  code?: ErrorCode | undefined;
  category?: ErrorCategory | undefined;
  at: string;
}

export const extractionTransitions: Record<ExtractionStatus, readonly ExtractionStatus[]> = {
  active: ['active', 'paused', 'error'],
  paused: ['paused', 'active', 'error'],
  error: ['error', 'active', 'paused'],
};

export interface Extraction {
  id: string;
  /** The workspace it belongs to; its connection may be another workspace's, shared with this one. */
  workspaceId: string;
  name: string;
  connectionId: string | null;
  dataSource: string;
  templateId: string;
  /** `all` includes accounts discovered later. */
  accounts: 'all' | string[];
  dimensions: string[];
  metrics: string[];
  settings: Record<string, string[] | string | number>;
  /** Backfill history from this day once (recent days first). */
  loadSince: string | null;
  backfillQueued: boolean;
  destinationId: string;
  tableName: string;
  status: ExtractionStatus;
  statusDetails: ExtractionStatusDetails | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ExtractionSchedule {
  id: string;
  extractionId: string;
  position: number;
  spec: ScheduleSpec;
  cron: string;
  timezone: string;
  lookbackDays: number;
  nextRunAt: Date;
  lastRunAt: Date | null;
}

/** Which days a run reads: the last N days of each account (schedules), or a fixed range. */
export type RunWindow = { kind: 'lookback'; days: number } | { kind: 'range'; from: string; to: string };

export const runStatuses = ['queued', 'running', 'succeeded', 'partial', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof runStatuses)[number];

export const runTransitions: Record<RunStatus, readonly RunStatus[]> = {
  queued: ['queued', 'running', 'succeeded', 'partial', 'failed', 'cancelled'],
  running: ['running', 'succeeded', 'partial', 'failed', 'cancelled'],
  succeeded: ['succeeded'],
  partial: ['partial'],
  failed: ['failed'],
  cancelled: ['cancelled'],
};

export const sliceStatuses = [
  'queued',
  'running',
  'succeeded',
  'failed',
  'stalled',
  'cancelled',
  'skipped',
] as const;
export type SliceStatus = (typeof sliceStatuses)[number];

/** Slice states after which nothing more happens to it. */
export const terminalSliceStatuses: readonly SliceStatus[] = ['succeeded', 'failed', 'cancelled', 'skipped'];

/** A problem recorded on a run or a slice. */
export interface RunProblem {
  code: ErrorCode;
  category: ErrorCategory;
  message: string;
  at: string;
}

/** Destination totals against the provider's, per (account, day) and metric. */
export interface Reconciliation {
  checkedAt: string;
  status: 'matched' | 'mismatched' | 'skipped';
  /** Why it was skipped, when it was. */
  reason?: string | undefined;
  mismatches: { accountId: string; date: string; metric: string; destination: number; provider: number }[];
  daysCompared: number;
}

export interface Run {
  id: string;
  extractionId: string;
  trigger: 'schedule' | 'manual' | 'backfill';
  window: RunWindow;
  status: RunStatus;
  cancelRequested: boolean;
  rowsInserted: number;
  rowsUpdated: number;
  rowsDeleted: number;
  apiCalls: number;
  quotaWaitMs: number;
  error: RunProblem | null;
  reconciliation: Reconciliation | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface Slice {
  id: string;
  runId: string;
  position: number;
  accountId: string;
  accountName: string;
  accountTimezone: string | null;
  accountCurrency: string | null;
  from: string;
  to: string;
  status: SliceStatus;
  attempts: number;
  heartbeatAt: Date | null;
  rowsWritten: number;
  apiCalls: number;
  quotaWaitMs: number;
  error: RunProblem | null;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** The status a run ends in, from its slices: a gap never reports plain success. */
export function finalRunStatus(slices: Pick<Slice, 'status'>[], cancelRequested: boolean): RunStatus {
  const done = slices.filter((slice) => slice.status === 'succeeded').length;
  const failed = slices.filter((slice) => slice.status === 'failed' || slice.status === 'skipped').length;
  if (cancelRequested && slices.some((slice) => slice.status === 'cancelled')) return 'cancelled';
  if (slices.length === 0) return 'succeeded';
  if (failed === 0 && done === slices.length) return 'succeeded';
  if (done === 0) return 'failed';
  return 'partial';
}

/** Back-off before retry `attempt` (1-based) of a transient slice failure: exponential with full jitter. */
export function retryDelayMs(attempt: number, baseMs: number, random: () => number): number {
  const ceiling = baseMs * 2 ** Math.min(attempt - 1, 10);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Days after which a day's numbers stop changing: the longest selected attribution window
 * (`28d_click` → 28), or the template's default lookback when none is selected.
 */
export function attributionDays(settings: Record<string, unknown>, fallbackDays: number): number {
  const windows = Object.values(settings)
    .flatMap((value) => (Array.isArray(value) ? value : [value]))
    .map((value) => /^(\d+)d_/.exec(String(value))?.[1])
    .filter((days): days is string => days !== undefined)
    .map(Number);
  return windows.length ? Math.max(...windows) : fallbackDays;
}
