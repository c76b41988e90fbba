-- Each version's decision-log policy from the authoring request: "mask" (the JSON pointers
-- of input fields never logged, as a JSON array's text) and "log_sample" (the share of
-- its decisions logged, 0 to 1). Expand only: nullable columns the previous release
-- neither writes nor reads; a NULL (a row that release wrote during a deploy) reads as
-- no mask and a rate of 1, what that release applied.
ALTER TABLE spectral.predicates ADD COLUMN mask TEXT;
ALTER TABLE spectral.predicates ADD COLUMN log_sample DOUBLE PRECISION;
