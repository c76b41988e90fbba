-- Who changed a predicate's active version: the author of a publication that went live,
-- the caller (API key id, jwt:<subject>) or `cli` for an activation or rollback by hand;
-- a held version activated by an admin is recorded with that admin. Expand only: a
-- nullable column the previous release neither writes nor reads; NULL is unknown.
ALTER TABLE spectral.activations ADD COLUMN actor TEXT;
