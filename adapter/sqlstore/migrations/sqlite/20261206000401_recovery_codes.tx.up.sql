-- recovery_codes holds each account's unused recovery codes, only as
-- HMAC-SHA-256 under a key derived from SECRET_KEY for them
-- (docs/security.md). A code is consumed by a conditional DELETE whose
-- row count decides, so it works once. Times are unix milliseconds (UTC).
CREATE TABLE recovery_codes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash  BLOB NOT NULL,
    created_at INTEGER NOT NULL
);

--bun:split

CREATE INDEX recovery_codes_user_id_idx ON recovery_codes (user_id);
