-- The least privilege the running API needs, for a role that does not own the schema.
--
-- Run as the schema's owner (the role that runs the migrations), after the migrations, and again after any migration
-- that adds a table:
--   psql "$OWNER_DATABASE_URL" -v app_role=takedown_app -f scripts/sql/app-role.sql
-- The role must exist and be able to log in (CREATE ROLE takedown_app LOGIN PASSWORD '…'); start the API with a
-- DATABASE_URL that names it. Migrations are then run by the owner (npm run migration:run); at start the API only
-- finds none pending.
--
-- The audit tables are append-only for this role: INSERT and SELECT, no UPDATE, DELETE or TRUNCATE, and as it owns
-- nothing it cannot disable the triggers either. The two single-row tables that serialise the log (audit_head, the
-- chain's head; audit_tree, the Merkle frontier) are updated in place, which is their purpose.

\set ON_ERROR_STOP on

REVOKE ALL ON ALL TABLES IN SCHEMA public FROM :"app_role";
GRANT USAGE ON SCHEMA public TO :"app_role";
GRANT TEMPORARY ON DATABASE :"DBNAME" TO :"app_role";  -- intake stages links in a temporary table

GRANT SELECT ON ALL TABLES IN SCHEMA public TO :"app_role";

GRANT INSERT, UPDATE ON agencies, api_clients, marketplaces, link_batches, links, keywords,
  evidence_requests, evidence_responses TO :"app_role";
GRANT INSERT, DELETE ON marketplace_domains TO :"app_role";  -- a marketplace's domains are replaced as a set
GRANT INSERT ON evidence_request_links, takedown_reports, link_notifiers TO :"app_role";
-- Fingerprints of taken-down listings are written once; a link's signals are replaced when new evidence arrives.
GRANT INSERT ON listing_fingerprints, listing_image_hashes, relisting_dismissals TO :"app_role";
GRANT INSERT, DELETE ON relisting_signals TO :"app_role";
GRANT INSERT, UPDATE, DELETE ON relisting_groups, relisting_group_members TO :"app_role";  -- groups merge and lose members
GRANT INSERT, UPDATE, DELETE ON matching_jobs TO :"app_role";  -- the queue of matching on arrival: done jobs are deleted
-- Observations are appended only (a trigger refuses changes too); a watchlist hit is written once; the token counts
-- of taken-down titles are added to.
GRANT INSERT ON observations, keyword_hits TO :"app_role";
GRANT INSERT, UPDATE ON clarifications TO :"app_role";  -- a question is answered once, by an UPDATE only an open one matches
GRANT INSERT, UPDATE ON objections TO :"app_role";  -- decided once, by an UPDATE only an open one matches
GRANT INSERT, UPDATE ON taken_down_tokens TO :"app_role";
GRANT INSERT, DELETE ON idempotency_keys TO :"app_role";  -- stored responses, purged after their retention
GRANT INSERT, UPDATE, DELETE ON rate_limit_counters TO :"app_role";  -- shared per-minute counters, pruned

GRANT INSERT ON audit_events, audit_merkle_nodes, audit_checkpoints TO :"app_role";
GRANT UPDATE ON audit_head, audit_tree TO :"app_role";

GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO :"app_role";
