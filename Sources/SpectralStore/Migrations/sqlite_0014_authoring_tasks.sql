-- As postgres_0014_authoring_tasks.sql: authoring tasks, their follow-up messages, finished
-- rounds, progress events, and the `predicate.authored` outbox events written for them.
-- BOOLEAN maps to INTEGER (0 or 1), BIGSERIAL to INTEGER PRIMARY KEY AUTOINCREMENT.
CREATE TABLE authoring_tasks (
    id                  TEXT PRIMARY KEY,
    name                TEXT NOT NULL,
    request             TEXT NOT NULL,
    status              TEXT NOT NULL CHECK (status IN ('queued', 'running', 'submitted', 'published', 'held',
                                                        'rejected', 'failed', 'cancelled')),
    turn                INTEGER NOT NULL,
    detail              TEXT,
    cancel_requested    INTEGER NOT NULL DEFAULT 0 CHECK (cancel_requested IN (0, 1)),
    owner               TEXT NOT NULL,
    created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    updated_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);

CREATE TABLE authoring_messages (
    task_id             TEXT NOT NULL REFERENCES authoring_tasks (id),
    turn                INTEGER NOT NULL,
    text                TEXT NOT NULL,
    created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    PRIMARY KEY (task_id, turn)
);

CREATE TABLE authoring_checkpoints (
    task_id             TEXT NOT NULL REFERENCES authoring_tasks (id),
    turn                INTEGER NOT NULL,
    round               INTEGER NOT NULL,
    sent                TEXT NOT NULL,
    answer              TEXT NOT NULL,
    prompt_tokens       INTEGER NOT NULL,
    completion_tokens   INTEGER NOT NULL,
    expression          TEXT,
    diagnostics         TEXT NOT NULL,
    created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    PRIMARY KEY (task_id, turn, round)
);

CREATE TABLE authoring_events (
    sequence            INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id             TEXT NOT NULL REFERENCES authoring_tasks (id),
    turn                INTEGER NOT NULL,
    kind                TEXT NOT NULL,
    data                TEXT NOT NULL,
    created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
);
CREATE INDEX authoring_events_by_task ON authoring_events (task_id, sequence);

CREATE TABLE authoring_submissions (
    event_id            INTEGER PRIMARY KEY,
    task_id             TEXT NOT NULL REFERENCES authoring_tasks (id),
    turn                INTEGER NOT NULL
);
