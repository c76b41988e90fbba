-- Each version's impact report (the replay of recent logged inputs through the version
-- that was active and this one, as JSON text) and, when its activation policy held it
-- back, why. Expand only: nullable columns the previous release neither writes nor reads;
-- NULL is a version published without a replay (no active version, or that release) and
-- not held.
ALTER TABLE spectral.predicates ADD COLUMN impact_report TEXT;
ALTER TABLE spectral.predicates ADD COLUMN held_reason TEXT;

-- Submissions identical to the active version (same source, declarations, result type,
-- mask and log sample): nothing is published; the row says which version they matched.
CREATE TABLE spectral.unchanged_submissions (
    event_id        BIGINT PRIMARY KEY,
    name            TEXT NOT NULL,
    version         INTEGER NOT NULL,
    generation      BIGINT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
