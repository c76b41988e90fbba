-- Listing failed decisions (GET /v1/decisions?outcome=failed or ?outcome=<error_code>) pages
-- newest first by id. Failures are usually a small part of the log, so without an index
-- that page walks the whole primary key to find its fifty rows; this partial index holds
-- only the failures, in id order, so it is small and the page reads only what it returns.
-- `outcome=decided|true|false` match most rows and need none: the primary key finds them.
-- Expand only: a new index, which the previous release neither reads nor minds. It is
-- built inside the migration's transaction (CREATE INDEX CONCURRENTLY cannot be), which
-- blocks writes to the decision log while it builds; the API's writer then drops and
-- counts decisions instead of waiting, and decisions themselves are never delayed.
CREATE INDEX decision_log_failures ON spectral.decision_log (id) WHERE error_code IS NOT NULL;
