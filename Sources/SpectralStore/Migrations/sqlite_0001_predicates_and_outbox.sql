-- Spectral schema, version 1, for the embedded SQLite store: the same tables and columns as
-- infra/migrations/postgres/0001_predicates_and_outbox.sql (a test compares them). Types
-- map TIMESTAMPTZ → TEXT (UTC, 'YYYY-MM-DD HH:MM:SS.SSS', which sorts as time does),
-- BYTEA → BLOB, BIGSERIAL → INTEGER PRIMARY KEY.

CREATE TABLE predicate_names (
    name            TEXT PRIMARY KEY,
    latest_version  INTEGER NOT NULL,
    active_version  INTEGER,
    updated_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);

CREATE TABLE predicates (
    name            TEXT NOT NULL REFERENCES predicate_names (name),
    version         INTEGER NOT NULL,
    source          TEXT NOT NULL,
    declarations    TEXT NOT NULL,
    bytecode        BLOB NOT NULL,
    cost_bound      INTEGER,
    tests           TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'published',
    author          TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    generation      INTEGER NOT NULL,
    event_id        INTEGER NOT NULL UNIQUE,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    PRIMARY KEY (name, version)
);

CREATE TABLE activations (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT NOT NULL REFERENCES predicate_names (name),
    version         INTEGER NOT NULL,
    action          TEXT NOT NULL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);
CREATE INDEX activations_by_name ON activations (name, id);

CREATE TABLE rejections (
    event_id        INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    source          TEXT NOT NULL,
    diagnostics     TEXT NOT NULL,
    generation      INTEGER NOT NULL,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);
CREATE INDEX rejections_by_name ON rejections (name, event_id);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    generation      INTEGER NOT NULL,
    topic           TEXT NOT NULL,
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    available_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    last_error      TEXT,
    created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    handled_at      TEXT
);
CREATE INDEX outbox_claimable ON outbox (generation, id) WHERE status = 'pending';

CREATE TABLE event_handled (
    event_id        INTEGER NOT NULL,
    handler         TEXT NOT NULL,
    handled_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    PRIMARY KEY (event_id, handler)
);
