-- The decision log rebuilt as a rowid table, without its created_at index.
-- As WITHOUT ROWID (sqlite_0006) each row lived in the primary key's b-tree, whose cells
-- hold about 1,000 bytes of a 4 KiB page: a decision with a kilobyte of input spilled the
-- rest into an overflow page of its own, a whole page written, logged and checkpointed
-- for every decision. A rowid table keeps rows of up to 4 KiB in its leaf pages, filled in
-- the order they are written; the id stays the primary key (an index of ids). A decision's
-- time is its id's (a UUIDv7), so listings by time also bound the id, and the created_at
-- index, which cost every insert, goes (as in postgres_0013).
-- The table keeps its name, columns, constraint and other indexes: the previous release
-- reads and writes it unchanged. The copy runs inside the migration's transaction, holding
-- the write lock; meanwhile the API's writer waits (up to the busy timeout, then loses and
-- counts that batch), and decisions themselves are never delayed.
CREATE TABLE decision_log_rows (
    id              TEXT PRIMARY KEY NOT NULL,
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
    shadow_of       TEXT,                       -- as sqlite_0011
    CHECK ((decision IS NULL) <> (error_code IS NULL))
);
INSERT INTO decision_log_rows (id, created_at, predicate, version, input, decision, error_code, fuel, latency_us, caller, generation, shadow_of)
    SELECT id, created_at, predicate, version, input, decision, error_code, fuel, latency_us, caller, generation, shadow_of
    FROM decision_log ORDER BY id;
DROP TABLE decision_log;
ALTER TABLE decision_log_rows RENAME TO decision_log;
CREATE INDEX decision_log_by_predicate ON decision_log (predicate, id);
CREATE INDEX decision_log_by_version ON decision_log (predicate, version, id);
CREATE INDEX decision_log_failures ON decision_log (id) WHERE error_code IS NOT NULL;
CREATE INDEX decision_log_shadow ON decision_log (predicate, id) WHERE shadow_of IS NOT NULL;
