-- sessions holds server-side logins. Only the SHA-256 of a token is
-- stored. Times are unix milliseconds (UTC); expires_at is the effective
-- deadline, absolute_expires_at the one it never passes.
CREATE TABLE sessions (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash          BLOB    NOT NULL UNIQUE,
    user_id             INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    persistent          INTEGER NOT NULL,
    created_at          INTEGER NOT NULL,
    last_seen_at        INTEGER NOT NULL,
    expires_at          INTEGER NOT NULL,
    absolute_expires_at INTEGER NOT NULL
);

--bun:split

CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

--bun:split

CREATE INDEX sessions_user_id_idx ON sessions (user_id);
