-- Spectral schema, version 1: predicates, their versions and rejections, the outbox and
-- the exactly-once record of handled events. Forward-only: later migrations add, never
-- rewrite (expand/contract: the previous release must keep working on the new schema).
CREATE SCHEMA IF NOT EXISTS spectral;

-- One row per predicate name: the version counter and the active pointer.
CREATE TABLE spectral.predicate_names (
    name            TEXT PRIMARY KEY,
    latest_version  INTEGER NOT NULL,
    active_version  INTEGER,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Every published version, immutable once written.
CREATE TABLE spectral.predicates (
    name            TEXT NOT NULL REFERENCES spectral.predicate_names (name),
    version         INTEGER NOT NULL,
    source          TEXT NOT NULL,
    declarations    TEXT NOT NULL,          -- JSON object: variable name -> CEL type
    bytecode        BYTEA NOT NULL,         -- an SPBC module; re-verified whenever loaded
    cost_bound      BIGINT,                 -- static fuel bound; NULL when size-dependent
    tests           TEXT NOT NULL,          -- JSON array of {input, expect}
    status          TEXT NOT NULL DEFAULT 'published',
    author          TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    generation      BIGINT NOT NULL,
    event_id        BIGINT NOT NULL UNIQUE, -- the outbox event that produced it
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (name, version)
);

-- Activations and rollbacks, newest last: rollback returns to the previous entry.
CREATE TABLE spectral.activations (
    id              BIGSERIAL PRIMARY KEY,
    name            TEXT NOT NULL REFERENCES spectral.predicate_names (name),
    version         INTEGER NOT NULL,
    action          TEXT NOT NULL,          -- 'publish', 'activate' or 'rollback'
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX activations_by_name ON spectral.activations (name, id);

-- Authoring results that did not become versions, with every diagnostic.
CREATE TABLE spectral.rejections (
    event_id        BIGINT PRIMARY KEY,
    name            TEXT NOT NULL,
    source          TEXT NOT NULL,
    diagnostics     TEXT NOT NULL,          -- JSON array of {stage, message, line, column, rendered}
    generation      BIGINT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX rejections_by_name ON spectral.rejections (name, event_id);

-- The transactional outbox. status: 'pending' → 'done', or 'dead' after too many failures.
CREATE TABLE spectral.outbox (
    id              BIGSERIAL PRIMARY KEY,
    generation      BIGINT NOT NULL,
    topic           TEXT NOT NULL,
    payload         TEXT NOT NULL,          -- JSON
    status          TEXT NOT NULL DEFAULT 'pending',
    attempts        INTEGER NOT NULL DEFAULT 0,
    available_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_error      TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    handled_at      TIMESTAMPTZ
);
-- The claim query reads only pending rows of one generation, oldest first.
CREATE INDEX outbox_claimable ON spectral.outbox (generation, id) WHERE status = 'pending';

-- Exactly-once effects: one row per (event, handler), written in the handler's transaction.
CREATE TABLE spectral.event_handled (
    event_id        BIGINT NOT NULL,
    handler         TEXT NOT NULL,
    handled_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, handler)
);
