-- As postgres_0010_version_findings.sql: each version's findings and boundary table (JSON
-- text); nullable (expand only), NULL meaning published before findings were kept.
ALTER TABLE predicates ADD COLUMN findings TEXT;
