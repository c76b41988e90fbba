-- Authoring tasks: an intent the worker's agent turns into a predicate over turns of
-- conversation. The task row holds its request and where it stands; the messages, the
-- finished rounds (checkpoints, so a restarted agent resumes without asking the model
-- again) and the progress events hang off it; a submission links the `predicate.authored`
-- outbox event an accepted expression became to its task, so publishing it records the
-- task's verdict in the same transaction. Expand only: new tables, which the previous
-- release ignores.
CREATE TABLE spectral.authoring_tasks (
    id                  TEXT PRIMARY KEY,       -- a UUID, lower-case
    name                TEXT NOT NULL,          -- the predicate it authors
    request             TEXT NOT NULL,          -- the task's JSON, as validated
    status              TEXT NOT NULL CHECK (status IN ('queued', 'running', 'submitted', 'published', 'held',
                                                        'rejected', 'failed', 'cancelled')),
    turn                INTEGER NOT NULL,       -- 1, plus one per follow-up message
    detail              TEXT,                   -- why it failed or was rejected, or name@version
    cancel_requested    BOOLEAN NOT NULL DEFAULT false,
    owner               TEXT NOT NULL,          -- the key id or JWT subject that created it
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The follow-up messages, one per turn from 2 on.
CREATE TABLE spectral.authoring_messages (
    task_id             TEXT NOT NULL REFERENCES spectral.authoring_tasks (id),
    turn                INTEGER NOT NULL,
    text                TEXT NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (task_id, turn)
);

-- Each finished round of a turn, written once (a second write of the same round is ignored).
CREATE TABLE spectral.authoring_checkpoints (
    task_id             TEXT NOT NULL REFERENCES spectral.authoring_tasks (id),
    turn                INTEGER NOT NULL,
    round               INTEGER NOT NULL,
    sent                TEXT NOT NULL,          -- JSON array of {role, content}
    answer              TEXT NOT NULL,
    prompt_tokens       INTEGER NOT NULL,
    completion_tokens   INTEGER NOT NULL,
    expression          TEXT,                   -- NULL when the answer held none
    diagnostics         TEXT NOT NULL,          -- JSON array; empty when accepted
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (task_id, turn, round)
);

-- Progress events, numbered across all tasks: a client resumes a task's stream after the
-- last number it saw.
CREATE TABLE spectral.authoring_events (
    sequence            BIGSERIAL PRIMARY KEY,
    task_id             TEXT NOT NULL REFERENCES spectral.authoring_tasks (id),
    turn                INTEGER NOT NULL,
    kind                TEXT NOT NULL,          -- queued, round_started, delta, diagnostics, accepted, submitted, verdict
    data                TEXT NOT NULL,          -- JSON object
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- A stream reads one task's events after a sequence number, in order.
CREATE INDEX authoring_events_by_task ON spectral.authoring_events (task_id, sequence);

-- The `predicate.authored` outbox events written for tasks, and which task and turn each ends.
CREATE TABLE spectral.authoring_submissions (
    event_id            BIGINT PRIMARY KEY,     -- the outbox event
    task_id             TEXT NOT NULL REFERENCES spectral.authoring_tasks (id),
    turn                INTEGER NOT NULL
);
