-- As postgres_0004_workers.sql: one row per worker process, upserted at
-- start and at every heartbeat, marked stopped after its drain; a newer generation adopts
-- an older one's pending events once none of its workers is running.
CREATE TABLE workers (
    id              TEXT PRIMARY KEY,
    generation      INTEGER NOT NULL,
    host            TEXT NOT NULL,
    pid             INTEGER NOT NULL,
    started_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    heartbeat_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    stopped_at      TEXT
);
CREATE INDEX workers_running ON workers (generation, heartbeat_at) WHERE stopped_at IS NULL;
