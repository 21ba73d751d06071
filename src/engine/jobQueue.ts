/**
 * The job queue: pg-boss on the store's database (PGlite in embedded mode through a small
 * adapter, PostgreSQL in server mode). Queues: account discovery on demand, and a daily cron that
 * re-discovers the accounts of every active connection.
 */
import pg from 'pg';
import PgBoss from 'pg-boss';
import type { AppContext, JobSender } from '../connections/context.ts';
import { connectionsRepository } from '../store/connectionsRepository.ts';
import type { Db } from '../store/db.ts';
import { discoverAccounts, requestDiscovery, warnExpiringTokens } from './accountDiscovery.ts';
import { finalizeRun } from './runFinalizer.ts';
import { requeueWaitingSlicesAfterRestart, schedulerTick } from './scheduler.ts';
import { type EngineSettings, executeSlice } from './sliceExecutor.ts';
import { deliverWebhooks, type WebhookSettings } from './webhookDelivery.ts';

const DISCOVER = 'discover-accounts';
const RUN_SLICE = 'run-slice';
const FINALIZE_RUN = 'finalize-run';
const SCHEDULER_TICK = 'extraction-scheduler';
const DAILY_DISCOVERY = 'daily-account-discovery';
/** Daily re-discovery, at a quiet UTC hour. */
const DAILY_DISCOVERY_CRON = '17 3 * * *';

export interface JobQueueOptions {
  /** pg-boss's own schema (one per store schema, so test runs never share jobs). */
  schema: string;
  /** PostgreSQL connection string, or null to run on the PGlite handle. */
  databaseUrl: string | null;
  db: Db;
}

/** pg-boss over the store: sends jobs, and (when started as a worker) runs them. */
export class JobQueue implements JobSender {
  private readonly boss: PgBoss;
  /** The pool pg-boss runs on in server mode (ours, so a dropped connection can be retried; see postgresAdapter). */
  private readonly pool: pg.Pool | null = null;
  private readonly workerIds: string[] = [];
  private webhookTimer: NodeJS.Timeout | null = null;
  private orphanTimer: NodeJS.Timeout | null = null;
  private started = false;
  /** Set once pg-boss's graceful stop has returned: whatever it still sends comes from a job that outlived it. */
  private stopped = false;

  constructor(options: JobQueueOptions) {
    // The scheduler tick is a per-minute cron: pg-boss looks for due cron jobs every 30 s by default, which
    // made schedules fire up to 40 s late (the scheduler benchmark's lateness); 5 s keeps it within seconds.
    const common = { schema: options.schema, maintenanceIntervalSeconds: 300, cronMonitorIntervalSeconds: 5 };
    if (options.databaseUrl) {
      this.pool = new pg.Pool({ connectionString: options.databaseUrl, max: 4 });
      this.boss = new PgBoss({ ...common, db: postgresAdapter(this.pool) });
    } else {
      this.boss = new PgBoss({ ...common, db: pgliteAdapter(options.db) });
    }
  }

  async start(onError: (error: Error) => void): Promise<void> {
    this.boss.on('error', onError);
    // An idle connection the server ended (restart, pg_terminate_backend): the pool replaces it.
    this.pool?.on('error', onError);
    await this.boss.start();
    await this.boss.createQueue(DISCOVER);
    await this.boss.createQueue(DAILY_DISCOVERY);
    await this.boss.createQueue(RUN_SLICE);
    await this.boss.createQueue(FINALIZE_RUN);
    await this.boss.createQueue(SCHEDULER_TICK);
    this.started = true;
  }

  /**
   * A job handler that reports nothing once the queue has stopped. pg-boss 10 completes and fails jobs without
   * awaiting it, so a job that outlived the graceful stop would complete on the closed pool or store: an unhandled
   * rejection, which ends the process mid-shutdown. Left unsettled, the job stays active in the queue until it
   * expires, and a slice it held is taken over as stalled (its heartbeat stopped) and runs again, fenced by its
   * attempt number.
   */
  private quietAfterStop<T>(handle: (jobs: PgBoss.Job<T>[]) => Promise<void>) {
    return async (jobs: PgBoss.Job<T>[]): Promise<void> => {
      try {
        await handle(jobs);
      } catch (error) {
        if (!this.stopped) throw error;
      }
      if (this.stopped) await new Promise<never>(() => {});
    };
  }

  /** Starts this process's workers and the cron schedules. */
  async startWorkers(
    context: AppContext,
    engine: EngineSettings,
    webhooks: WebhookSettings & { pollMs: number },
    /** Slices this process runs at once (TRIBUTARY_SLICE_CONCURRENCY). */
    sliceConcurrency = 2,
  ): Promise<void> {
    // Deliveries are claimed with SKIP LOCKED, so every worker process may poll.
    let delivering = false;
    this.webhookTimer = setInterval(() => {
      if (delivering) return;
      delivering = true;
      deliverWebhooks(context, webhooks)
        .catch((error: unknown) => context.logger.error({ err: error }, 'webhook delivery failed'))
        .finally(() => {
          delivering = false;
        });
    }, webhooks.pollMs);
    this.webhookTimer.unref();
    await this.boss.schedule(DAILY_DISCOVERY, DAILY_DISCOVERY_CRON, {}, { tz: 'UTC' });
    await this.boss.schedule(SCHEDULER_TICK, '* * * * *', {}, { tz: 'UTC' });
    for (let index = 0; index < sliceConcurrency; index += 1) {
      let workerId: string | null = null;
      workerId = await this.boss.work<{ sliceId: string }>(
        RUN_SLICE,
        { pollingIntervalSeconds: 0.5, batchSize: 1 },
        this.quietAfterStop(async (jobs) => {
          for (const job of jobs) await executeSlice(context, job.data.sliceId, engine);
          // pg-boss sleeps out the rest of its polling interval even after a job: a slice shorter than 0.5 s
          // would leave its worker idle for the remainder. Ask for the next slice at once instead.
          if (workerId && !this.stopped) this.boss.notifyWorker(workerId);
        }),
      );
      this.workerIds.push(workerId);
    }
    this.workerIds.push(
      await this.boss.work<{ runId: string }>(
        FINALIZE_RUN,
        { pollingIntervalSeconds: 0.5, batchSize: 4 },
        this.quietAfterStop(async (jobs) => {
          for (const job of jobs) await finalizeRun(context, job.data.runId);
        }),
      ),
    );
    this.workerIds.push(
      await this.boss.work(
        SCHEDULER_TICK,
        { pollingIntervalSeconds: 1 },
        this.quietAfterStop(async () => {
          await schedulerTick(context, engine);
        }),
      ),
    );
    // A worker that starts after a crash looks for orphaned slices at once, not at the next minute.
    this.orphanTimer = setTimeout(() => {
      requeueWaitingSlicesAfterRestart(context)
        .then(() => schedulerTick(context, engine))
        .catch((error: unknown) => context.logger.error({ err: error }, 'scheduler tick failed'));
    }, engine.stallAfterMs + 500);
    this.orphanTimer.unref();
    this.workerIds.push(
      await this.boss.work<{ connectionId: string }>(
        DISCOVER,
        { pollingIntervalSeconds: 0.5, batchSize: 4 },
        this.quietAfterStop(async (jobs) => {
          for (const job of jobs) await discoverAccounts(context, job.data.connectionId);
        }),
      ),
    );
    this.workerIds.push(
      await this.boss.work(
        DAILY_DISCOVERY,
        { pollingIntervalSeconds: 30 },
        this.quietAfterStop(async () => {
          // Anything synced in the last 20 hours was already refreshed today.
          const due = await connectionsRepository.listDueForDiscovery(
            context.db,
            new Date(context.now().getTime() - 20 * 3600_000),
          );
          for (const connectionId of due) await requestDiscovery(context, connectionId);
          await warnExpiringTokens(context, 7);
          context.logger.info({ connections: due.length }, 'daily account discovery queued');
        }),
      ),
    );
  }

  /** Queues discovery for one connection and wakes a local worker at once. */
  async discoverAccounts(connectionId: string): Promise<void> {
    if (!this.started) throw new Error('The job queue is not started');
    await this.boss.send(DISCOVER, { connectionId }, { retryLimit: 0, expireInSeconds: 15 * 60 });
    this.wake();
  }

  async runSlice(sliceId: string, startAfter?: Date): Promise<void> {
    if (!this.started) throw new Error('The job queue is not started');
    // pg-boss never retries a slice: the engine does, with its own back-off and quota waits.
    await this.boss.send(
      RUN_SLICE,
      { sliceId },
      { retryLimit: 0, expireInSeconds: 4 * 3600, ...(startAfter ? { startAfter } : {}) },
    );
    if (!startAfter) this.wake();
  }

  async finalizeRun(runId: string): Promise<void> {
    if (!this.started) throw new Error('The job queue is not started');
    await this.boss.send(FINALIZE_RUN, { runId }, { retryLimit: 2, retryDelay: 5, expireInSeconds: 3600 });
    this.wake();
  }

  private wake(): void {
    for (const id of this.workerIds) this.boss.notifyWorker(id);
  }

  async stop(): Promise<void> {
    if (this.webhookTimer) clearInterval(this.webhookTimer);
    if (this.orphanTimer) clearTimeout(this.orphanTimer);
    if (!this.started) {
      await this.pool?.end();
      return;
    }
    this.started = false;
    await this.boss.stop({ graceful: true, wait: true, timeout: 10_000 });
    this.stopped = true;
    await this.pool?.end();
  }
}

/** SQLSTATEs of a connection the server ended or lost: admin shutdown, crash shutdown, connection failures. */
const connectionLost = /^(57P0[123]|08\d{3})$/;

function isConnectionLost(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (typeof code === 'string' && connectionLost.test(code)) ||
    (typeof message === 'string' && /Connection terminated|not queryable/i.test(message))
  );
}

/**
 * pg-boss on our own pool, with one retry of a statement whose connection was lost (the pool opens a new one).
 * pg-boss 10 completes and fails jobs without awaiting them, so a statement that fails because the store's connection
 * was dropped would be an unhandled rejection, which ends the process; retried, it lands on a fresh connection.
 * Completing, failing and fetching are safe to repeat: a job already completed is not completed twice.
 */
function postgresAdapter(pool: pg.Pool) {
  return {
    async executeSql(text: string, values: unknown[]) {
      try {
        return await pool.query(text, values);
      } catch (error) {
        if (!isConnectionLost(error)) throw error;
        return pool.query(text, values);
      }
    },
  };
}

/**
 * pg-boss runs multi-statement scripts (BEGIN … COMMIT) without parameters; PGlite needs `exec`
 * for those. PGlite is one connection, so a failed script must not leave it inside an aborted
 * transaction that would swallow everyone else's statements.
 */
function pgliteAdapter(db: Db) {
  return {
    async executeSql(text: string, values: unknown[]) {
      try {
        if (values?.length) return { rows: await db.query(text, values) };
        return { rows: await db.exec(text) };
      } catch (error) {
        if (/^\s*BEGIN/i.test(text)) await db.exec('ROLLBACK').catch(() => {});
        throw error;
      }
    },
  };
}
