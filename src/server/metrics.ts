/**
 * `GET /metrics`: Prometheus text exposition, computed from the store on each scrape (runs,
 * rows, API calls, quota waits, queue depth, slice latency) so every process reports the same.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../connections/context.ts';

const HELP: Record<string, [string, string]> = {
  tributary_runs_total: ['counter', 'Extraction runs by status'],
  tributary_rows_written_total: [
    'counter',
    'Rows written to destinations, by kind (inserted, updated, deleted)',
  ],
  tributary_provider_api_calls_total: ['counter', 'HTTP calls made to providers by extraction runs'],
  tributary_quota_wait_seconds_total: ['counter', 'Time slices spent waiting for provider quotas'],
  tributary_slices: ['gauge', 'Slices by status (queued and stalled ones are the queue depth)'],
  tributary_slice_duration_seconds: ['summary', 'Duration of finished slices'],
  tributary_connections: ['gauge', 'Connections by credential status'],
};

function line(name: string, labels: Record<string, string>, value: number): string {
  const rendered = Object.entries(labels)
    .map(([key, label]) => `${key}="${label.replace(/["\\\n]/g, '_')}"`)
    .join(',');
  return `${name}${rendered ? `{${rendered}}` : ''} ${Number.isFinite(value) ? value : 0}`;
}

/** Renders every metric from the store. */
export async function renderMetrics(context: AppContext): Promise<string> {
  const db = context.db;
  const out: string[] = [];
  const header = (name: string) => {
    const [type, help] = HELP[name]!;
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  };
  header('tributary_runs_total');
  for (const row of await db.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM runs GROUP BY status',
  )) {
    out.push(line('tributary_runs_total', { status: row.status }, Number(row.n)));
  }
  const [totals] = await db.query<{
    inserted: number;
    updated: number;
    deleted: number;
    calls: number;
    wait: number;
  }>(
    `SELECT coalesce(sum(rows_inserted), 0)::float8 AS inserted, coalesce(sum(rows_updated), 0)::float8 AS updated,
       coalesce(sum(rows_deleted), 0)::float8 AS deleted, coalesce(sum(api_calls), 0)::float8 AS calls,
       coalesce(sum(quota_wait_ms), 0)::float8 / 1000 AS wait FROM runs`,
  );
  header('tributary_rows_written_total');
  for (const kind of ['inserted', 'updated', 'deleted'] as const) {
    out.push(line('tributary_rows_written_total', { kind }, Number(totals?.[kind] ?? 0)));
  }
  header('tributary_provider_api_calls_total');
  out.push(line('tributary_provider_api_calls_total', {}, Number(totals?.calls ?? 0)));
  header('tributary_quota_wait_seconds_total');
  out.push(line('tributary_quota_wait_seconds_total', {}, Number(totals?.wait ?? 0)));
  header('tributary_slices');
  for (const row of await db.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM slices GROUP BY status',
  )) {
    out.push(line('tributary_slices', { status: row.status }, Number(row.n)));
  }
  const [latency] = await db.query<{ n: number; total: number; p50: number | null; p95: number | null }>(
    `SELECT count(*)::int AS n, coalesce(sum(extract(epoch FROM finished_at - started_at)), 0)::float8 AS total,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at))::float8 AS p50,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM finished_at - started_at))::float8 AS p95
     FROM slices WHERE status = 'succeeded' AND started_at IS NOT NULL AND finished_at IS NOT NULL`,
  );
  header('tributary_slice_duration_seconds');
  out.push(line('tributary_slice_duration_seconds', { quantile: '0.5' }, Number(latency?.p50 ?? 0)));
  out.push(line('tributary_slice_duration_seconds', { quantile: '0.95' }, Number(latency?.p95 ?? 0)));
  out.push(line('tributary_slice_duration_seconds_sum', {}, Number(latency?.total ?? 0)));
  out.push(line('tributary_slice_duration_seconds_count', {}, Number(latency?.n ?? 0)));
  header('tributary_connections');
  for (const row of await db.query<{ status: string; n: number }>(
    'SELECT status, count(*)::int AS n FROM connections GROUP BY status',
  )) {
    out.push(line('tributary_connections', { status: row.status }, Number(row.n)));
  }
  return `${out.join('\n')}\n`;
}

export function registerMetrics(app: FastifyInstance, context: AppContext): void {
  app.get('/metrics', async (_request, reply) =>
    reply.type('text/plain; version=0.0.4; charset=utf-8').send(await renderMetrics(context)),
  );
}
