-- Worker registrations, for generation handoff: each `spectral work` process upserts its
-- row when it starts and at every heartbeat, and marks it stopped once it has drained. A
-- worker of a newer generation adopts an older generation's pending events once none of
-- that generation's workers is running (each stopped, or silent for longer than the
-- adopter's --adopt-after). Expand only: a new table, which the previous release ignores.
CREATE TABLE spectral.workers (
    id              TEXT PRIMARY KEY,       -- chosen by the worker when it starts (a UUID)
    generation      BIGINT NOT NULL,
    host            TEXT NOT NULL,
    pid             INTEGER NOT NULL,
    started_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    heartbeat_at    TIMESTAMPTZ NOT NULL DEFAULT now(),  -- the database's clock, never the worker's
    stopped_at      TIMESTAMPTZ             -- NULL while it runs (or until it is found silent)
);
-- The adoption check reads the running workers of one generation.
CREATE INDEX workers_running ON spectral.workers (generation, heartbeat_at) WHERE stopped_at IS NULL;
