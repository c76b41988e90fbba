-- API keys, as infra/migrations/postgres/0002_api_keys.sql.
CREATE TABLE api_keys (
    id                  TEXT PRIMARY KEY,
    name                TEXT NOT NULL,
    key_hash            TEXT NOT NULL,
    scopes              TEXT NOT NULL,
    rate_per_second     REAL NOT NULL,
    created_at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    revoked_at          TEXT
);
