-- Claims outside the handler's transaction: a worker claims an event in one short
-- transaction (counting the attempt and leasing the event until available_at), runs the
-- handler with no transaction open, and completes the event only if claim_token is still
-- its own. Expand only: the previous release ignores the column (it claims rows whose
-- available_at has passed, so it never takes a leased event either).
ALTER TABLE spectral.outbox ADD COLUMN claim_token TEXT;  -- the claim holding the event; NULL when none
