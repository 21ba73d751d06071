-- Destinations: where extractions land. Secrets (a PostgreSQL URL with a password) are sealed.
CREATE TABLE destinations (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('duckdb', 'postgres')),
  config jsonb NOT NULL,
  sealed_secret text,
  is_default boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX destinations_one_default ON destinations (is_default) WHERE is_default;

-- Custom templates: saved copies of a global template with their own name and selection.
CREATE TABLE custom_templates (
  id uuid PRIMARY KEY,
  data_source text NOT NULL,
  base_template_id text NOT NULL,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  dimensions text[] NOT NULL,
  metrics text[] NOT NULL,
  settings jsonb NOT NULL,
  created_at timestamptz NOT NULL
);

-- Extractions (extraction orders): what to read from a connection and where to write it.
CREATE TABLE extractions (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  connection_id uuid REFERENCES connections (id) ON DELETE SET NULL,
  data_source text NOT NULL,
  template_id text NOT NULL,
  accounts jsonb NOT NULL,
  dimensions text[] NOT NULL,
  metrics text[] NOT NULL,
  settings jsonb NOT NULL,
  load_since date,
  backfill_queued boolean NOT NULL DEFAULT false,
  destination_id uuid NOT NULL REFERENCES destinations (id),
  table_name text NOT NULL,
  status text NOT NULL CHECK (status IN ('active', 'paused', 'error')),
  status_details jsonb,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE INDEX extractions_by_connection ON extractions (connection_id);
CREATE INDEX extractions_by_created ON extractions (created_at, id);

-- Schedules: each fires runs that re-read the last lookback_days.
CREATE TABLE extraction_schedules (
  id uuid PRIMARY KEY,
  extraction_id uuid NOT NULL REFERENCES extractions (id) ON DELETE CASCADE,
  position integer NOT NULL,
  spec jsonb NOT NULL,
  cron text NOT NULL,
  timezone text NOT NULL,
  lookback_days integer NOT NULL,
  next_run_at timestamptz NOT NULL,
  last_run_at timestamptz
);
CREATE INDEX extraction_schedules_due ON extraction_schedules (next_run_at);

-- Runs and their slices (account × date window).
CREATE TABLE runs (
  id uuid PRIMARY KEY,
  extraction_id uuid NOT NULL REFERENCES extractions (id) ON DELETE CASCADE,
  trigger text NOT NULL CHECK (trigger IN ('schedule', 'manual', 'backfill')),
  window_spec jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'partial', 'failed', 'cancelled')),
  cancel_requested boolean NOT NULL DEFAULT false,
  rows_inserted integer NOT NULL DEFAULT 0,
  rows_updated integer NOT NULL DEFAULT 0,
  rows_deleted integer NOT NULL DEFAULT 0,
  api_calls integer NOT NULL DEFAULT 0,
  quota_wait_ms bigint NOT NULL DEFAULT 0,
  error jsonb,
  reconciliation jsonb,
  created_at timestamptz NOT NULL,
  started_at timestamptz,
  finished_at timestamptz
);
CREATE INDEX runs_by_extraction ON runs (extraction_id, created_at DESC);

CREATE TABLE slices (
  id uuid PRIMARY KEY,
  run_id uuid NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  position integer NOT NULL,
  account_id text NOT NULL,
  account_name text NOT NULL,
  account_timezone text,
  account_currency text,
  from_date date NOT NULL,
  to_date date NOT NULL,
  status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'stalled', 'cancelled', 'skipped')),
  attempts integer NOT NULL DEFAULT 0,
  heartbeat_at timestamptz,
  rows_written integer NOT NULL DEFAULT 0,
  api_calls integer NOT NULL DEFAULT 0,
  quota_wait_ms bigint NOT NULL DEFAULT 0,
  error jsonb,
  started_at timestamptz,
  finished_at timestamptz
);
CREATE INDEX slices_by_run ON slices (run_id, position);
CREATE INDEX slices_running ON slices (status, heartbeat_at) WHERE status = 'running';

-- Completeness and finality per (extraction, account, day).
CREATE TABLE day_ledger (
  extraction_id uuid NOT NULL REFERENCES extractions (id) ON DELETE CASCADE,
  account_id text NOT NULL,
  day date NOT NULL,
  completeness text NOT NULL CHECK (completeness IN ('loaded', 'failed', 'skipped')),
  reason text,
  finality text NOT NULL CHECK (finality IN ('provisional', 'final')),
  run_id uuid,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (extraction_id, account_id, day)
);

-- What a run did, line by line, for the run page.
CREATE TABLE run_log (
  id bigserial PRIMARY KEY,
  run_id uuid NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  at timestamptz NOT NULL,
  level text NOT NULL,
  message text NOT NULL
);
CREATE INDEX run_log_by_run ON run_log (run_id, id);

-- Events a user must hear about (listed by the API, delivered to webhooks).
CREATE TABLE events (
  id bigserial PRIMARY KEY,
  type text NOT NULL,
  subject_id text NOT NULL,
  data jsonb NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX events_by_id_desc ON events (id DESC);
