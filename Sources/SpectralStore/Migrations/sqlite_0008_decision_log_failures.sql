-- As postgres_0008_decision_log_failures.sql: only the failed decisions, in id order, so a
-- listing of failures reads the failures and not the whole log.
CREATE INDEX decision_log_failures ON decision_log (id) WHERE error_code IS NOT NULL;
