-- Every list query is scoped to a workspace (its own rows are one branch of the page, the rows shared with it
-- the other), so keyset pagination walks these workspace-leading indexes: a range of one workspace, already in
-- the page's order. The expressions match the ORDER BY in the repository.
CREATE INDEX connections_by_workspace_data_source ON connections (workspace_id, (lower(data_source_name) COLLATE "C"), id);
CREATE INDEX connections_by_workspace_business_account ON connections (workspace_id, (lower(business_account) COLLATE "C"), id);
CREATE INDEX connections_by_workspace_business_account_id ON connections (workspace_id, (business_account_id COLLATE "C"), id);
CREATE INDEX connections_by_workspace_account_status ON connections (workspace_id, account_sort, id);
CREATE INDEX connections_by_workspace_created ON connections (workspace_id, created_at, id);
CREATE INDEX connections_by_workspace_last_authorized ON connections (workspace_id, (COALESCE(last_authorized_at, 'epoch'::timestamptz)), id);

-- The sort indexes without a workspace served only the list, which no longer reads them. The data source one
-- stays: the search's skip scan over distinct names (across all workspaces) walks it. Any index above also
-- serves a lookup by workspace alone (deleting a workspace checks its connections), so that one goes too.
DROP INDEX connections_by_business_account;
DROP INDEX connections_by_business_account_id;
DROP INDEX connections_by_account_status;
DROP INDEX connections_by_created;
DROP INDEX connections_by_last_authorized;
DROP INDEX connections_by_workspace;
