/**
 * SQL for runs, their slices and log, and the completeness/finality ledger.
 */
import { type Run, type RunProblem, type Slice, terminalSliceStatuses } from '../domain/extraction.ts';
import type { Queryable, Row } from './db.ts';
import { dateOrNull, isoDay, json } from './rows.ts';

function rowToRun(row: Row): Run {
  return {
    id: String(row.id),
    extractionId: String(row.extraction_id),
    trigger: row.trigger as Run['trigger'],
    window: json<Run['window']>(row.window_spec),
    status: row.status as Run['status'],
    cancelRequested: Boolean(row.cancel_requested),
    rowsInserted: Number(row.rows_inserted),
    rowsUpdated: Number(row.rows_updated),
    rowsDeleted: Number(row.rows_deleted),
    apiCalls: Number(row.api_calls),
    quotaWaitMs: Number(row.quota_wait_ms),
    error: row.error ? json<RunProblem>(row.error) : null,
    reconciliation: row.reconciliation ? json<Run['reconciliation']>(row.reconciliation) : null,
    createdAt: dateOrNull(row.created_at)!,
    startedAt: dateOrNull(row.started_at),
    finishedAt: dateOrNull(row.finished_at),
  };
}

function rowToSlice(row: Row): Slice {
  return {
    id: String(row.id),
    runId: String(row.run_id),
    position: Number(row.position),
    accountId: String(row.account_id),
    accountName: String(row.account_name),
    accountTimezone: row.account_timezone === null ? null : String(row.account_timezone),
    accountCurrency: row.account_currency === null ? null : String(row.account_currency),
    from: isoDay(row.from_date),
    to: isoDay(row.to_date),
    status: row.status as Slice['status'],
    attempts: Number(row.attempts),
    heartbeatAt: dateOrNull(row.heartbeat_at),
    rowsWritten: Number(row.rows_written),
    apiCalls: Number(row.api_calls),
    quotaWaitMs: Number(row.quota_wait_ms),
    error: row.error ? json<RunProblem>(row.error) : null,
    startedAt: dateOrNull(row.started_at),
    finishedAt: dateOrNull(row.finished_at),
  };
}

/** A ledger entry for one (extraction, account, day). */
export interface LedgerDay {
  accountId: string;
  day: string;
  completeness: 'loaded' | 'failed' | 'skipped';
  reason: string | null;
  finality: 'provisional' | 'final';
  runId: string | null;
  updatedAt: Date;
}

export const runsRepository = {
  async insertRun(db: Queryable, run: Run): Promise<void> {
    await db.query(
      `INSERT INTO runs (id, extraction_id, trigger, window_spec, status, created_at) VALUES ($1,$2,$3,$4,$5,$6)`,
      [run.id, run.extractionId, run.trigger, JSON.stringify(run.window), run.status, run.createdAt],
    );
  },

  async insertSlices(db: Queryable, slices: Slice[]): Promise<void> {
    for (let start = 0; start < slices.length; start += 2000) {
      const chunk = slices.slice(start, start + 2000);
      await db.query(
        `INSERT INTO slices (id, run_id, position, account_id, account_name, account_timezone, account_currency,
           from_date, to_date, status, error, finished_at)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[],
           $8::date[], $9::date[], $10::text[], $11::jsonb[], $12::timestamptz[])`,
        [
          chunk.map((slice) => slice.id),
          chunk.map((slice) => slice.runId),
          chunk.map((slice) => slice.position),
          chunk.map((slice) => slice.accountId),
          chunk.map((slice) => slice.accountName),
          chunk.map((slice) => slice.accountTimezone),
          chunk.map((slice) => slice.accountCurrency),
          chunk.map((slice) => slice.from),
          chunk.map((slice) => slice.to),
          chunk.map((slice) => slice.status),
          chunk.map((slice) => (slice.error ? JSON.stringify(slice.error) : null)),
          chunk.map((slice) => slice.finishedAt),
        ],
      );
    }
  },

  async getRun(db: Queryable, id: string, options: { forUpdate?: boolean } = {}): Promise<Run | null> {
    const rows = await db.query(`SELECT * FROM runs WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`, [
      id,
    ]);
    return rows[0] ? rowToRun(rows[0]) : null;
  },

  async listRuns(db: Queryable, extractionId: string, limit: number): Promise<Run[]> {
    const rows = await db.query(
      'SELECT * FROM runs WHERE extraction_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2',
      [extractionId, limit],
    );
    return rows.map(rowToRun);
  },

  /** The newest run of each extraction, in one query (a list page needs them all). */
  async latestRuns(db: Queryable, extractionIds: string[]): Promise<Map<string, Run>> {
    if (extractionIds.length === 0) return new Map();
    const rows = await db.query(
      `SELECT DISTINCT ON (extraction_id) * FROM runs WHERE extraction_id = ANY($1::uuid[])
       ORDER BY extraction_id, created_at DESC, id DESC`,
      [extractionIds],
    );
    return new Map(rows.map((row) => [String(row.extraction_id), rowToRun(row)]));
  },

  async updateRun(db: Queryable, run: Run): Promise<void> {
    await db.query(
      `UPDATE runs SET status = $2, cancel_requested = $3, error = $4, reconciliation = $5, started_at = $6,
         finished_at = $7 WHERE id = $1`,
      [
        run.id,
        run.status,
        run.cancelRequested,
        run.error ? JSON.stringify(run.error) : null,
        run.reconciliation ? JSON.stringify(run.reconciliation) : null,
        run.startedAt,
        run.finishedAt,
      ],
    );
  },

  /** Adds a slice's counters to its run (atomic, so concurrent slices never lose an update). */
  async addRunCounters(
    db: Queryable,
    runId: string,
    counters: { inserted: number; updated: number; deleted: number; apiCalls: number; quotaWaitMs: number },
  ): Promise<void> {
    await db.query(
      `UPDATE runs SET rows_inserted = rows_inserted + $2, rows_updated = rows_updated + $3,
         rows_deleted = rows_deleted + $4, api_calls = api_calls + $5, quota_wait_ms = quota_wait_ms + $6 WHERE id = $1`,
      [runId, counters.inserted, counters.updated, counters.deleted, counters.apiCalls, counters.quotaWaitMs],
    );
  },

  async getSlice(db: Queryable, id: string, options: { forUpdate?: boolean } = {}): Promise<Slice | null> {
    const rows = await db.query(
      `SELECT * FROM slices WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ? rowToSlice(rows[0]) : null;
  },

  /** Slices of a run that have not ended yet (0 means the run can be finalized). */
  async countUnfinishedSlices(db: Queryable, runId: string): Promise<number> {
    const [row] = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM slices WHERE run_id = $1 AND status <> ALL($2::text[])',
      [runId, terminalSliceStatuses],
    );
    return Number(row?.n ?? 0);
  },

  /**
   * Whether every slice of a run has ended (none queued or running): asked after each slice, so it counts in
   * the database instead of reading the run's whole slice list every time.
   */
  /**
   * Runs still open although they have slices and every one has ended: their finalization job was lost (the process
   * was killed between its last slice and sending the job).
   */
  async endedButOpenRuns(db: Queryable, limit: number): Promise<string[]> {
    const rows = await db.query<{ id: string }>(
      `SELECT r.id FROM runs r
        WHERE r.status IN ('queued', 'running')
          AND EXISTS (SELECT 1 FROM slices s WHERE s.run_id = r.id)
          AND NOT EXISTS (SELECT 1 FROM slices s WHERE s.run_id = r.id AND s.status <> ALL($1::text[]))
        LIMIT $2`,
      [terminalSliceStatuses, limit],
    );
    return rows.map((row) => row.id);
  },

  /** Slices waiting for a worker (queued, or stalled and about to be retried), oldest run first. */
  async waitingSliceIds(db: Queryable, limit: number): Promise<string[]> {
    const rows = await db.query<{ id: string }>(
      `SELECT id FROM slices WHERE status IN ('queued', 'stalled') ORDER BY run_id, position LIMIT $1`,
      [limit],
    );
    return rows.map((row) => row.id);
  },

  async allSlicesEnded(db: Queryable, runId: string): Promise<boolean> {
    const [row] = await db.query<{ open: number }>(
      `SELECT count(*)::int AS open FROM slices WHERE run_id = $1 AND status <> ALL($2::text[])`,
      [runId, terminalSliceStatuses],
    );
    return (row?.open ?? 0) === 0;
  },

  async listSlices(db: Queryable, runId: string): Promise<Slice[]> {
    return (await db.query('SELECT * FROM slices WHERE run_id = $1 ORDER BY position', [runId])).map(
      rowToSlice,
    );
  },

  async updateSlice(db: Queryable, slice: Slice): Promise<void> {
    await db.query(
      `UPDATE slices SET status = $2, attempts = $3, heartbeat_at = $4, rows_written = $5, api_calls = $6,
         quota_wait_ms = $7, error = $8, started_at = $9, finished_at = $10 WHERE id = $1`,
      [
        slice.id,
        slice.status,
        slice.attempts,
        slice.heartbeatAt,
        slice.rowsWritten,
        slice.apiCalls,
        slice.quotaWaitMs,
        slice.error ? JSON.stringify(slice.error) : null,
        slice.startedAt,
        slice.finishedAt,
      ],
    );
  },

  async heartbeat(db: Queryable, sliceId: string, at: Date): Promise<void> {
    await db.query("UPDATE slices SET heartbeat_at = $2 WHERE id = $1 AND status = 'running'", [sliceId, at]);
  },

  /** Running slices whose worker stopped beating before `before` (crashed, killed or hung). */
  async staleRunningSlices(db: Queryable, before: Date, limit: number): Promise<Slice[]> {
    const rows = await db.query(
      `SELECT * FROM slices WHERE status = 'running' AND heartbeat_at < $1 ORDER BY heartbeat_at LIMIT $2
       FOR UPDATE SKIP LOCKED`,
      [before, limit],
    );
    return rows.map(rowToSlice);
  },

  async cancelQueuedSlices(db: Queryable, runId: string, at: Date): Promise<number> {
    const rows = await db.query(
      `UPDATE slices SET status = 'cancelled', finished_at = $2 WHERE run_id = $1 AND status IN ('queued', 'stalled')
       RETURNING id`,
      [runId, at],
    );
    return rows.length;
  },

  async log(
    db: Queryable,
    runId: string,
    level: 'info' | 'warn' | 'error',
    message: string,
    at: Date,
  ): Promise<void> {
    await db.query('INSERT INTO run_log (run_id, at, level, message) VALUES ($1, $2, $3, $4)', [
      runId,
      at,
      level,
      message,
    ]);
  },

  async logLines(db: Queryable, runId: string): Promise<{ at: Date; level: string; message: string }[]> {
    const rows = await db.query(
      'SELECT at, level, message FROM run_log WHERE run_id = $1 ORDER BY id LIMIT 1000',
      [runId],
    );
    return rows.map((row) => ({
      at: dateOrNull(row.at)!,
      level: String(row.level),
      message: String(row.message),
    }));
  },

  /** Records the outcome of each day of a slice. */
  async recordDays(db: Queryable, extractionId: string, days: LedgerDay[]): Promise<void> {
    if (days.length === 0) return;
    await db.query(
      `INSERT INTO day_ledger (extraction_id, account_id, day, completeness, reason, finality, run_id, updated_at)
       SELECT $1::uuid, * FROM unnest($2::text[], $3::date[], $4::text[], $5::text[], $6::text[], $7::uuid[], $8::timestamptz[])
       ON CONFLICT (extraction_id, account_id, day) DO UPDATE SET
         completeness = EXCLUDED.completeness, reason = EXCLUDED.reason, finality = EXCLUDED.finality,
         run_id = EXCLUDED.run_id, updated_at = EXCLUDED.updated_at`,
      [
        extractionId,
        days.map((day) => day.accountId),
        days.map((day) => day.day),
        days.map((day) => day.completeness),
        days.map((day) => day.reason),
        days.map((day) => day.finality),
        days.map((day) => day.runId),
        days.map((day) => day.updatedAt),
      ],
    );
  },

  async ledger(
    db: Queryable,
    extractionId: string,
    range: { from?: string | undefined; to?: string | undefined; limit: number },
  ): Promise<LedgerDay[]> {
    const rows = await db.query(
      `SELECT * FROM day_ledger WHERE extraction_id = $1 AND ($2::date IS NULL OR day >= $2) AND ($3::date IS NULL OR day <= $3)
       ORDER BY day DESC, account_id LIMIT $4`,
      [extractionId, range.from ?? null, range.to ?? null, range.limit],
    );
    return rows.map((row) => ({
      accountId: String(row.account_id),
      day: isoDay(row.day),
      completeness: row.completeness as LedgerDay['completeness'],
      reason: row.reason === null ? null : String(row.reason),
      finality: row.finality as LedgerDay['finality'],
      runId: row.run_id === null ? null : String(row.run_id),
      updatedAt: dateOrNull(row.updated_at)!,
    }));
  },
};
