-- As postgres_0006_decision_log.sql: one row per logged decision. The id is the UUIDv7's
-- canonical lowercase text, whose order is its time order; times are UTC text to the
-- millisecond, as elsewhere in this schema.
CREATE TABLE decision_log (
    id              TEXT PRIMARY KEY,
    created_at      TEXT NOT NULL,
    predicate       TEXT NOT NULL,
    version         INTEGER NOT NULL,
    input           TEXT NOT NULL,
    decision        TEXT,
    error_code      TEXT,
    fuel            INTEGER NOT NULL,
    latency_us      INTEGER NOT NULL,
    caller          TEXT,
    generation      INTEGER NOT NULL,
    CHECK ((decision IS NULL) <> (error_code IS NULL))
) WITHOUT ROWID;
CREATE INDEX decision_log_by_predicate ON decision_log (predicate, id);
CREATE INDEX decision_log_by_version ON decision_log (predicate, version, id);
CREATE INDEX decision_log_by_time ON decision_log (created_at);
