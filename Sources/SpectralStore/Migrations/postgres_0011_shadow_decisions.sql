-- Shadow versions' decisions that disagreed with the live one, kept in the decision log:
-- such a row's shadow_of is the id of the live decision on the same input, and its version
-- is the shadow version. Listings show live decisions unless asked for shadow ones.
-- Expand only: a nullable column (the previous release writes NULL, a live decision, and
-- never reads it) and a partial index that only shadow rows enter.
ALTER TABLE spectral.decision_log ADD COLUMN shadow_of UUID;
CREATE INDEX decision_log_shadow ON spectral.decision_log (predicate, id) WHERE shadow_of IS NOT NULL;
