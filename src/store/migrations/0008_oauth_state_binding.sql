-- An authorization started from a browser session is bound to it: the callback completes it only when it carries
-- the same session cookie (SHA-256 of it, as in sessions.id_hash). Null when an API token (the CLI) started it.
ALTER TABLE oauth_states ADD COLUMN session_hash text;
