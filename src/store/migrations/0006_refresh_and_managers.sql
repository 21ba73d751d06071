-- Expiring credentials (Google, LinkedIn) are refreshed by one process at a time: the refresher holds a short
-- lease on the credential row; others wait for the new token instead of racing to spend the refresh grant.
ALTER TABLE credentials ADD COLUMN refresh_owner text;
ALTER TABLE credentials ADD COLUMN refresh_until timestamptz;
-- Manager accounts (Google Ads MCC) are shown with their hierarchy but never extracted.
ALTER TABLE accounts ADD COLUMN is_manager boolean NOT NULL DEFAULT false;
ALTER TABLE accounts ADD COLUMN manager_path text[] NOT NULL DEFAULT '{}';
