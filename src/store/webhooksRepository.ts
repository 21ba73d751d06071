/**
 * SQL for webhooks and their deliveries.
 */
import type { Queryable, Row } from './db.ts';
import { dateOrNull, json } from './rows.ts';

export interface WebhookRecord {
  id: string;
  workspaceId: string;
  url: string;
  /** Event types to deliver; empty means all. */
  events: string[];
  sealedSecret: string;
  eventCursor: number;
  createdAt: Date;
}

export interface DeliveryRecord {
  id: number;
  webhookId: string;
  eventId: number;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: Date;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

function rowToWebhook(row: Row): WebhookRecord {
  return {
    id: String(row.id),
    workspaceId: String(row.workspace_id),
    url: String(row.url),
    events: row.events as string[],
    sealedSecret: String(row.sealed_secret),
    eventCursor: Number(row.event_cursor),
    createdAt: dateOrNull(row.created_at)!,
  };
}

function rowToDelivery(row: Row): DeliveryRecord {
  return {
    id: Number(row.id),
    webhookId: String(row.webhook_id),
    eventId: Number(row.event_id),
    status: row.status as DeliveryRecord['status'],
    attempts: Number(row.attempts),
    nextAttemptAt: dateOrNull(row.next_attempt_at)!,
    lastStatus: row.last_status === null ? null : Number(row.last_status),
    lastError: row.last_error === null ? null : String(row.last_error),
    deliveredAt: dateOrNull(row.delivered_at),
    createdAt: dateOrNull(row.created_at)!,
  };
}

export const webhooksRepository = {
  async insert(db: Queryable, record: Omit<WebhookRecord, 'eventCursor'>): Promise<void> {
    // Start after the newest event: a new webhook does not replay history.
    await db.query(
      `INSERT INTO webhooks (id, url, events, sealed_secret, event_cursor, created_at, workspace_id)
       VALUES ($1, $2, $3, $4, (SELECT coalesce(max(id), 0) FROM events), $5, $6)`,
      [record.id, record.url, record.events, record.sealedSecret, record.createdAt, record.workspaceId],
    );
  },

  async list(db: Queryable, workspaceId: string): Promise<WebhookRecord[]> {
    return (
      await db.query('SELECT * FROM webhooks WHERE workspace_id = $1 ORDER BY created_at, id', [workspaceId])
    ).map(rowToWebhook);
  },

  async get(db: Queryable, id: string): Promise<WebhookRecord | null> {
    const rows = await db.query('SELECT * FROM webhooks WHERE id = $1', [id]);
    return rows[0] ? rowToWebhook(rows[0]) : null;
  },

  async delete(db: Queryable, id: string): Promise<boolean> {
    return (await db.query('DELETE FROM webhooks WHERE id = $1 RETURNING id', [id])).length > 0;
  },

  /**
   * Creates pending deliveries for events newer than each webhook's cursor (webhooks locked by
   * another worker are skipped) and moves the cursors. Returns how many were created.
   */
  async fanOut(db: Queryable, now: Date): Promise<number> {
    let created = 0;
    const webhooks = (await db.query('SELECT * FROM webhooks ORDER BY id FOR UPDATE SKIP LOCKED')).map(
      rowToWebhook,
    );
    for (const webhook of webhooks) {
      const events = await db.query<{ id: number; type: string; workspace_id: string }>(
        'SELECT id, type, workspace_id FROM events WHERE id > $1 ORDER BY id LIMIT 1000',
        [webhook.eventCursor],
      );
      if (events.length === 0) continue;
      // A webhook hears only its own workspace's events; the cursor still moves past the others.
      const wanted = events.filter(
        (event) =>
          String(event.workspace_id) === webhook.workspaceId &&
          (webhook.events.length === 0 || webhook.events.includes(event.type)),
      );
      if (wanted.length) {
        const rows = await db.query(
          `INSERT INTO webhook_deliveries (webhook_id, event_id, status, next_attempt_at, created_at)
           SELECT $1, unnest($2::bigint[]), 'pending', $3, $3 ON CONFLICT DO NOTHING RETURNING id`,
          [webhook.id, wanted.map((event) => event.id), now],
        );
        created += rows.length;
      }
      await db.query('UPDATE webhooks SET event_cursor = $2 WHERE id = $1', [
        webhook.id,
        Number(events.at(-1)!.id),
      ]);
    }
    return created;
  },

  /** Claims due deliveries and leases them for `leaseMs` so no other worker sends them meanwhile. */
  async claimDue(db: Queryable, now: Date, limit: number, leaseMs: number): Promise<DeliveryRecord[]> {
    const rows = await db.query(
      `SELECT * FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= $1
       ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [now, limit],
    );
    const claimed = rows.map(rowToDelivery);
    if (claimed.length) {
      await db.query('UPDATE webhook_deliveries SET next_attempt_at = $2 WHERE id = ANY($1::bigint[])', [
        claimed.map((delivery) => delivery.id),
        new Date(now.getTime() + leaseMs),
      ]);
    }
    return claimed;
  },

  async recordAttempt(
    db: Queryable,
    id: number,
    outcome: {
      status: DeliveryRecord['status'];
      attempts: number;
      nextAttemptAt: Date;
      lastStatus: number | null;
      lastError: string | null;
      deliveredAt: Date | null;
    },
  ): Promise<void> {
    await db.query(
      `UPDATE webhook_deliveries SET status = $2, attempts = $3, next_attempt_at = $4, last_status = $5, last_error = $6,
         delivered_at = $7 WHERE id = $1`,
      [
        id,
        outcome.status,
        outcome.attempts,
        outcome.nextAttemptAt,
        outcome.lastStatus,
        outcome.lastError,
        outcome.deliveredAt,
      ],
    );
  },

  async deliveries(db: Queryable, webhookId: string, limit: number): Promise<DeliveryRecord[]> {
    const rows = await db.query(
      'SELECT * FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2',
      [webhookId, limit],
    );
    return rows.map(rowToDelivery);
  },

  async event(
    db: Queryable,
    id: number,
  ): Promise<{ id: number; type: string; subjectId: string; data: unknown; at: Date } | null> {
    const rows = await db.query('SELECT * FROM events WHERE id = $1', [id]);
    const row = rows[0];
    return row
      ? {
          id: Number(row.id),
          type: String(row.type),
          subjectId: String(row.subject_id),
          data: json(row.data),
          at: dateOrNull(row.at)!,
        }
      : null;
  },
};
