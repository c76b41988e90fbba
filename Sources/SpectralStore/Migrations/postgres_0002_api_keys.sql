-- API keys: only a SHA-256 hash of each key is stored; the key itself is shown once, when
-- `spectral keys create` makes it. Scopes: decide, author, admin (admin implies the others).
CREATE TABLE spectral.api_keys (
    id                  TEXT PRIMARY KEY,       -- the public part of the key, 'spk_<id>_…'
    name                TEXT NOT NULL,
    key_hash            TEXT NOT NULL,          -- hex SHA-256 of the whole key
    scopes              TEXT NOT NULL,          -- comma-separated
    rate_per_second     DOUBLE PRECISION NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at          TIMESTAMPTZ
);
