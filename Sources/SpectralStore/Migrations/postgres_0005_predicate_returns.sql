-- The result type each predicate version was checked to return ("returns" in the
-- authoring request: bool, or e.g. double for a score). Expand only: a nullable column
-- with a default, which the previous release neither writes nor reads; a NULL (a row
-- written by that release during a deploy) reads as bool, what it was checked against.
ALTER TABLE spectral.predicates ADD COLUMN returns TEXT DEFAULT 'bool';
