-- As postgres_0007_predicate_log_policy.sql: each version's mask (a JSON array's text)
-- and log sample rate; nullable (expand only), NULL reading as no mask and a rate of 1.
ALTER TABLE predicates ADD COLUMN mask TEXT;
ALTER TABLE predicates ADD COLUMN log_sample REAL;
