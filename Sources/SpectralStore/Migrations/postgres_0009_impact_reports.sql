-- Each version's impact report (the replay of recent logged inputs through the version
-- that was active and this one, as JSON text) and, when its activation policy held it
-- back, why. Expand only: nullable columns the previous release neither writes nor reads;
-- NULL is a version published without a replay (no active version, or that release) and
-- not held.
ALTER TABLE spectral.predicates ADD COLUMN impact_report TEXT;
ALTER TABLE spectral.predicates ADD COLUMN held_reason TEXT;
