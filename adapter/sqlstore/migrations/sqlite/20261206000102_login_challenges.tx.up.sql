-- login_challenges holds logins whose password was right and whose
-- second factor is still to come. Only the SHA-256 of the challenge token
-- is stored; a challenge is consumed by a conditional DELETE (single
-- use) and expires after five minutes. Times are unix milliseconds (UTC).
CREATE TABLE login_challenges (
    token_hash         BLOB PRIMARY KEY,
    user_id            INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    credential_version INTEGER NOT NULL,
    remember           INTEGER NOT NULL,
    created_at         INTEGER NOT NULL,
    expires_at         INTEGER NOT NULL
);

--bun:split

CREATE INDEX login_challenges_expires_at_idx ON login_challenges (expires_at);
