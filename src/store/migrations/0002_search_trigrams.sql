-- Searching connections is a substring match (ILIKE '%…%'), which no btree can serve. Trigram
-- indexes turn a selective search into a bitmap scan instead of reading every row.
-- The extension lives in `public` (one per database); the store's own schema may be another one.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE INDEX connections_search_data_source ON connections USING gin (data_source_name public.gin_trgm_ops);
CREATE INDEX connections_search_business_account ON connections USING gin (business_account public.gin_trgm_ops);
