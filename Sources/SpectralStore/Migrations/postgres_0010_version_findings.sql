-- What the worker found trying each version, whoever wrote it (a constant decision, a
-- declared input never read or never changing the outcome) and its boundary table, as
-- JSON text. Expand only: a nullable column the previous release neither writes nor
-- reads; NULL is a version published before findings were kept.
ALTER TABLE spectral.predicates ADD COLUMN findings TEXT;
