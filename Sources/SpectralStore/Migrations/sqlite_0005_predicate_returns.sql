-- As postgres_0005_predicate_returns.sql: the result type each version was checked to
-- return; nullable with a default (expand only), a NULL reading as bool.
ALTER TABLE predicates ADD COLUMN returns TEXT DEFAULT 'bool';
