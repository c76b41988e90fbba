-- As postgres_0009_impact_reports.sql: each version's impact report (JSON text) and why
-- its activation policy held it; nullable (expand only), NULL meaning no replay, not held.
ALTER TABLE predicates ADD COLUMN impact_report TEXT;
ALTER TABLE predicates ADD COLUMN held_reason TEXT;
