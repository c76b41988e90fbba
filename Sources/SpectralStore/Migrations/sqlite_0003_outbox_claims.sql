-- As infra/migrations/postgres/0003_outbox_claims.sql: the token of the claim holding an
-- outbox event (its lease ends at available_at); NULL when no claim holds it.
ALTER TABLE outbox ADD COLUMN claim_token TEXT;
