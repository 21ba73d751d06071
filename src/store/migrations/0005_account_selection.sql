-- Account selection: a connection either syncs all accounts (including ones discovered later)
-- or only the ones a user selected; extractions use selected, reachable accounts.
ALTER TABLE connections ADD COLUMN account_sync text NOT NULL DEFAULT 'all';
ALTER TABLE accounts ADD COLUMN selected boolean NOT NULL DEFAULT true;
