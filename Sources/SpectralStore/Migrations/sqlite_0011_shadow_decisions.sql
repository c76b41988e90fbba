-- As postgres_0011_shadow_decisions.sql: a shadow version's disagreeing decision names the
-- live decision it disagreed with (the id's text); NULL is a live decision.
ALTER TABLE decision_log ADD COLUMN shadow_of TEXT;
CREATE INDEX decision_log_shadow ON decision_log (predicate, id) WHERE shadow_of IS NOT NULL;
