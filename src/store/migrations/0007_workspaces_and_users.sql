-- Workspaces: every connection, destination, custom template, extraction, webhook and event belongs to
-- exactly one. Rows that existed before this migration move into the Default workspace.
CREATE TABLE workspaces (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  created_at timestamptz NOT NULL
);
INSERT INTO workspaces (id, name, created_at) VALUES ('00000000-0000-4000-8000-000000000001', 'Default', now());

-- People who sign in. password_hash is scrypt (`scrypt$N$r$p$salt$hash`); null until a password is set.
CREATE TABLE users (
  id uuid PRIMARY KEY,
  email text NOT NULL,
  name text NOT NULL DEFAULT '',
  password_hash text,
  created_at timestamptz NOT NULL,
  password_changed_at timestamptz
);
CREATE UNIQUE INDEX users_by_email ON users (lower(email));

-- A user's role in a workspace: viewer < editor < admin.
CREATE TABLE memberships (
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
  created_at timestamptz NOT NULL,
  PRIMARY KEY (workspace_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships (user_id);

-- Browser sessions: only the SHA-256 of the cookie value is stored, beside the CSRF token's hash.
CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_hash text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- API tokens: for one workspace, with a role no higher than their creator's; only the hash is kept.
CREATE TABLE api_tokens (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
  token_hash text NOT NULL UNIQUE,
  prefix text NOT NULL,
  created_at timestamptz NOT NULL,
  last_used_at timestamptz,
  expires_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX api_tokens_by_workspace ON api_tokens (workspace_id, created_at);

-- Invitations and one-time sign-in links: single-use, expiring, stored as hashes.
CREATE TABLE invitations (
  id uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  email text NOT NULL,
  role text NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
  token_hash text NOT NULL UNIQUE,
  invited_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE TABLE sign_in_links (
  token_hash text PRIMARY KEY,
  user_id uuid REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);

-- Failed sign-ins per email and per address, shared by every server process.
CREATE TABLE sign_in_failures (
  key text PRIMARY KEY,
  failures integer NOT NULL,
  window_started_at timestamptz NOT NULL,
  locked_until timestamptz
);

-- Who did what, when. Never holds a secret: only ids, names of changed fields, and outcomes.
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  actor_user_id uuid,
  actor_token_id uuid,
  actor text NOT NULL,
  action text NOT NULL,
  target_type text NOT NULL,
  target_id text,
  details jsonb NOT NULL DEFAULT '{}',
  at timestamptz NOT NULL
);
CREATE INDEX audit_log_by_workspace ON audit_log (workspace_id, id DESC);

-- A connection's accounts shared with another workspace: it may read them and extract from them.
CREATE TABLE connection_shares (
  connection_id uuid NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  workspace_id uuid NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  shared_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (connection_id, workspace_id)
);
CREATE INDEX connection_shares_by_workspace ON connection_shares (workspace_id);

-- The owning workspace of every object. The default only backfills existing rows and is dropped at once,
-- so an insert that forgets its workspace fails instead of landing in Default.
ALTER TABLE connections ADD COLUMN workspace_id uuid NOT NULL DEFAULT '00000000-0000-4000-8000-000000000001' REFERENCES workspaces (id);
ALTER TABLE connections ALTER COLUMN workspace_id DROP DEFAULT;
CREATE INDEX connections_by_workspace ON connections (workspace_id);
ALTER TABLE destinations ADD COLUMN workspace_id uuid NOT NULL DEFAULT '00000000-0000-4000-8000-000000000001' REFERENCES workspaces (id);
ALTER TABLE destinations ALTER COLUMN workspace_id DROP DEFAULT;
DROP INDEX destinations_one_default;
CREATE UNIQUE INDEX destinations_one_default ON destinations (workspace_id) WHERE is_default;
ALTER TABLE custom_templates ADD COLUMN workspace_id uuid NOT NULL DEFAULT '00000000-0000-4000-8000-000000000001' REFERENCES workspaces (id);
ALTER TABLE custom_templates ALTER COLUMN workspace_id DROP DEFAULT;
ALTER TABLE extractions ADD COLUMN workspace_id uuid NOT NULL DEFAULT '00000000-0000-4000-8000-000000000001' REFERENCES workspaces (id);
ALTER TABLE extractions ALTER COLUMN workspace_id DROP DEFAULT;
CREATE INDEX extractions_by_workspace ON extractions (workspace_id);
ALTER TABLE webhooks ADD COLUMN workspace_id uuid NOT NULL DEFAULT '00000000-0000-4000-8000-000000000001' REFERENCES workspaces (id);
ALTER TABLE webhooks ALTER COLUMN workspace_id DROP DEFAULT;
ALTER TABLE events ADD COLUMN workspace_id uuid NOT NULL DEFAULT '00000000-0000-4000-8000-000000000001' REFERENCES workspaces (id);
ALTER TABLE events ALTER COLUMN workspace_id DROP DEFAULT;
CREATE INDEX events_by_workspace ON events (workspace_id, id DESC);
