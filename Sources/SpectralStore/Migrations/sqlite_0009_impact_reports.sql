-- As postgres_0009_impact_reports.sql: each version's impact report (JSON text) and why
-- its activation policy held it; nullable (expand only), NULL meaning no replay, not held.
ALTER TABLE predicates ADD COLUMN impact_report TEXT;
ALTER TABLE predicates ADD COLUMN held_reason TEXT;

-- As in postgres_0009: submissions identical to the active version, and the version matched.
CREATE TABLE unchanged_submissions (
    event_id        INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    version         INTEGER NOT NULL,
    generation      INTEGER NOT NULL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);
