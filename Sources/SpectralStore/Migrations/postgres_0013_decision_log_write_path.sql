-- The decision log loses its created_at index, which cost every logged decision an index
-- insert. A decision's time is its id's (a UUIDv7), so listings by time now also bound
-- the id, and the primary key (or the predicate's index) finds the range.
-- Expand: the previous release's listings by time still answer the same, by walking the
-- primary key from the newest decision instead of the index; nothing else read it.
DROP INDEX spectral.decision_log_by_time;
