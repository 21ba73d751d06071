-- Connections: one credential for one data source, with two independent state machines:
-- the credential (status) and account discovery (account_status).
CREATE TABLE connections (
  id uuid PRIMARY KEY,
  data_source text NOT NULL,
  data_source_name text NOT NULL,
  auth_type text NOT NULL,
  business_account text NOT NULL DEFAULT '',
  business_account_id text NOT NULL DEFAULT '',
  status text NOT NULL CHECK (status IN ('pending', 'active', 'error')),
  status_details jsonb,
  account_status text NOT NULL CHECK (account_status IN ('loading', 'none', 'ready', 'error')),
  accounts_count integer NOT NULL DEFAULT 0,
  scopes text[] NOT NULL DEFAULT '{}',
  token_expires_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  last_authorized_at timestamptz,
  accounts_synced_at timestamptz,
  -- Sorting by Account Status: loading first, then error, then by the number of accounts.
  account_sort integer GENERATED ALWAYS AS (
    CASE account_status WHEN 'loading' THEN -2 WHEN 'error' THEN -1 ELSE accounts_count END
  ) STORED
);

-- Keyset pagination walks these indexes; the expressions match the ORDER BY in the repository.
CREATE INDEX connections_by_data_source ON connections ((lower(data_source_name) COLLATE "C"), id);
CREATE INDEX connections_by_business_account ON connections ((lower(business_account) COLLATE "C"), id);
CREATE INDEX connections_by_business_account_id ON connections ((business_account_id COLLATE "C"), id);
CREATE INDEX connections_by_account_status ON connections (account_sort, id);
CREATE INDEX connections_by_created ON connections (created_at, id);
CREATE INDEX connections_by_last_authorized ON connections ((COALESCE(last_authorized_at, 'epoch'::timestamptz)), id);

-- The sealed credential (AES-256-GCM envelope); never readable without the master key.
CREATE TABLE credentials (
  connection_id uuid PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
  sealed text NOT NULL,
  updated_at timestamptz NOT NULL
);

-- Ad accounts discovered behind a connection; lost_at is set when discovery no longer sees one.
CREATE TABLE accounts (
  connection_id uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  provider_account_id text NOT NULL,
  name text NOT NULL,
  currency text,
  timezone text,
  provider_status text NOT NULL,
  added_at timestamptz NOT NULL,
  lost_at timestamptz,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (connection_id, provider_account_id)
);

-- OAuth authorization attempts: single-use, bound to one connection, short-lived.
CREATE TABLE oauth_states (
  state_hash text PRIMARY KEY,
  connection_id uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (purpose IN ('authorize', 'reconnect')),
  sealed_verifier text,
  redirect_uri text NOT NULL,
  return_to text,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX oauth_states_by_expiry ON oauth_states (expires_at);
