/**
 * SQL for extractions and their schedules.
 */
import type { Extraction, ExtractionSchedule } from '../domain/extraction.ts';
import type { ScheduleSpec } from '../domain/schedule.ts';
import type { Queryable, Row } from './db.ts';
import { dateOrNull, isoDayOrNull, json } from './rows.ts';

function rowToExtraction(row: Row): Extraction {
  return {
    id: String(row.id),
    workspaceId: String(row.workspace_id),
    name: String(row.name),
    connectionId: row.connection_id === null ? null : String(row.connection_id),
    dataSource: String(row.data_source),
    templateId: String(row.template_id),
    accounts: json<Extraction['accounts']>(row.accounts),
    dimensions: row.dimensions as string[],
    metrics: row.metrics as string[],
    settings: json<Extraction['settings']>(row.settings),
    loadSince: isoDayOrNull(row.load_since),
    backfillQueued: Boolean(row.backfill_queued),
    destinationId: String(row.destination_id),
    tableName: String(row.table_name),
    status: row.status as Extraction['status'],
    statusDetails: row.status_details ? json<Extraction['statusDetails']>(row.status_details) : null,
    createdAt: dateOrNull(row.created_at)!,
    updatedAt: dateOrNull(row.updated_at)!,
  };
}

function rowToSchedule(row: Row): ExtractionSchedule {
  return {
    id: String(row.id),
    extractionId: String(row.extraction_id),
    position: Number(row.position),
    spec: json<ScheduleSpec>(row.spec),
    cron: String(row.cron),
    timezone: String(row.timezone),
    lookbackDays: Number(row.lookback_days),
    nextRunAt: dateOrNull(row.next_run_at)!,
    lastRunAt: dateOrNull(row.last_run_at),
  };
}

function columns(extraction: Extraction) {
  return {
    id: extraction.id,
    workspace_id: extraction.workspaceId,
    name: extraction.name,
    connection_id: extraction.connectionId,
    data_source: extraction.dataSource,
    template_id: extraction.templateId,
    accounts: JSON.stringify(extraction.accounts),
    dimensions: extraction.dimensions,
    metrics: extraction.metrics,
    settings: JSON.stringify(extraction.settings),
    load_since: extraction.loadSince,
    backfill_queued: extraction.backfillQueued,
    destination_id: extraction.destinationId,
    table_name: extraction.tableName,
    status: extraction.status,
    status_details: extraction.statusDetails ? JSON.stringify(extraction.statusDetails) : null,
    created_at: extraction.createdAt,
    updated_at: extraction.updatedAt,
  };
}

export const extractionsRepository = {
  async insert(db: Queryable, extraction: Extraction): Promise<void> {
    const values = columns(extraction);
    const names = Object.keys(values);
    await db.query(
      `INSERT INTO extractions (${names.join(', ')}) VALUES (${names.map((_, index) => `$${index + 1}`).join(', ')})`,
      Object.values(values),
    );
  },

  async update(db: Queryable, extraction: Extraction): Promise<void> {
    const { id, created_at, data_source, workspace_id, ...mutable } = columns(extraction);
    const names = Object.keys(mutable);
    await db.query(
      `UPDATE extractions SET ${names.map((name, index) => `${name} = $${index + 2}`).join(', ')} WHERE id = $1`,
      [id, ...Object.values(mutable)],
    );
  },

  async get(db: Queryable, id: string, options: { forUpdate?: boolean } = {}): Promise<Extraction | null> {
    const rows = await db.query(
      `SELECT * FROM extractions WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return rows[0] ? rowToExtraction(rows[0]) : null;
  },

  /** Newest first, keyset on (created_at, id). */
  async list(
    db: Queryable,
    query: {
      workspaceId: string;
      connectionId?: string | undefined;
      limit: number;
      after?: { createdAt: string; id: string } | undefined;
    },
  ): Promise<{ items: Extraction[]; hasMore: boolean }> {
    const params: unknown[] = [query.workspaceId];
    const where: string[] = ['workspace_id = $1'];
    if (query.connectionId) {
      params.push(query.connectionId);
      where.push(`connection_id = $${params.length}`);
    }
    if (query.after) {
      params.push(query.after.createdAt, query.after.id);
      where.push(`(created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(query.limit + 1);
    const rows = await db.query(
      `SELECT * FROM extractions ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    return { items: rows.slice(0, query.limit).map(rowToExtraction), hasMore: rows.length > query.limit };
  },

  async delete(db: Queryable, id: string): Promise<boolean> {
    return (await db.query('DELETE FROM extractions WHERE id = $1 RETURNING id', [id])).length > 0;
  },

  /** Pauses every active extraction of a connection (it was deleted or lost its credential); returns their ids. */
  async pauseForConnection(db: Queryable, connectionId: string, reason: string, at: Date): Promise<string[]> {
    const rows = await db.query(
      `UPDATE extractions SET status = 'paused', status_details = $2, updated_at = $3
       WHERE connection_id = $1 AND status <> 'paused' RETURNING id`,
      [connectionId, JSON.stringify({ kind: 'automatic', reason, at: at.toISOString() }), at],
    );
    return rows.map((row) => String(row.id));
  },

  async replaceSchedules(
    db: Queryable,
    extractionId: string,
    schedules: ExtractionSchedule[],
  ): Promise<void> {
    await db.query('DELETE FROM extraction_schedules WHERE extraction_id = $1', [extractionId]);
    for (const schedule of schedules) {
      await db.query(
        `INSERT INTO extraction_schedules (id, extraction_id, position, spec, cron, timezone, lookback_days, next_run_at, last_run_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
        [
          schedule.id,
          extractionId,
          schedule.position,
          JSON.stringify(schedule.spec),
          schedule.cron,
          schedule.timezone,
          schedule.lookbackDays,
          schedule.nextRunAt,
          schedule.lastRunAt,
        ],
      );
    }
  },

  async schedules(db: Queryable, extractionId: string): Promise<ExtractionSchedule[]> {
    const rows = await db.query(
      'SELECT * FROM extraction_schedules WHERE extraction_id = $1 ORDER BY position',
      [extractionId],
    );
    return rows.map(rowToSchedule);
  },

  /**
   * Claims schedules that are due, for one scheduler tick: locked rows are skipped, so several
   * schedulers (one per worker process) never fire the same occurrence twice.
   */
  async claimDueSchedules(db: Queryable, now: Date, limit: number): Promise<ExtractionSchedule[]> {
    const rows = await db.query(
      `SELECT s.* FROM extraction_schedules s JOIN extractions e ON e.id = s.extraction_id
       WHERE s.next_run_at <= $1 AND e.status = 'active'
       ORDER BY s.next_run_at LIMIT $2 FOR UPDATE OF s SKIP LOCKED`,
      [now, limit],
    );
    return rows.map(rowToSchedule);
  },

  async markScheduleFired(db: Queryable, scheduleId: string, firedAt: Date, nextRunAt: Date): Promise<void> {
    await db.query('UPDATE extraction_schedules SET last_run_at = $2, next_run_at = $3 WHERE id = $1', [
      scheduleId,
      firedAt,
      nextRunAt,
    ]);
  },
};
