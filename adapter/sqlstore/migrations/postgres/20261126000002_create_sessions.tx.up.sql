-- sessions holds server-side logins. Only the SHA-256 of a token is
-- stored. Times are unix milliseconds (UTC); expires_at is the effective
-- deadline, absolute_expires_at the one it never passes.
CREATE TABLE sessions (
    id                  BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash          BYTEA   NOT NULL UNIQUE,
    user_id             BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    persistent          BOOLEAN NOT NULL,
    created_at          BIGINT  NOT NULL,
    last_seen_at        BIGINT  NOT NULL,
    expires_at          BIGINT  NOT NULL,
    absolute_expires_at BIGINT  NOT NULL
);

--bun:split

CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

--bun:split

CREATE INDEX sessions_user_id_idx ON sessions (user_id);
