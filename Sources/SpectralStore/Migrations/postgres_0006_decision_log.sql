-- The decision log: one row per decision the API logs (id, time, what was asked, what came
-- of it, its cost, who asked, which generation answered). Written in batches by the API
-- off the response path; read by id and listed newest first by predicate, version and time.
-- Expand only: a new table, which the previous release ignores.
CREATE TABLE spectral.decision_log (
    id              UUID PRIMARY KEY,           -- a UUIDv7: its order is the order in time
    created_at      TIMESTAMPTZ NOT NULL,       -- the API's clock when it decided (the id's time)
    predicate       TEXT NOT NULL,
    version         INTEGER NOT NULL,
    input           TEXT NOT NULL,              -- the input object's JSON text, as the request carried it
    decision        TEXT,                       -- the decision's JSON text, or NULL when it failed
    error_code      TEXT,                       -- the error's code, or NULL when it decided
    fuel            BIGINT NOT NULL,
    latency_us      BIGINT NOT NULL,
    caller          TEXT,                       -- API key id or jwt:<subject>; NULL with authentication off
    generation      BIGINT NOT NULL,
    CHECK ((decision IS NULL) <> (error_code IS NULL))
);
-- Listings page by id (newest first) within a predicate, or a predicate and version; a
-- time range bounds created_at, which follows the id.
CREATE INDEX decision_log_by_predicate ON spectral.decision_log (predicate, id);
CREATE INDEX decision_log_by_version ON spectral.decision_log (predicate, version, id);
CREATE INDEX decision_log_by_time ON spectral.decision_log (created_at);
