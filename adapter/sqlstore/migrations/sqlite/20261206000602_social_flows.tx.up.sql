-- social_states holds the logins sent to an identity provider and not yet
-- back; social_pending the identities that came back linked to no
-- account, waiting for a username or a password. Both are kept by the
-- SHA-256 of their token only, consumed by a conditional DELETE (single
-- use), and expire after ten minutes. The nonce and the PKCE verifier are
-- kept as they are: the callback needs them, and neither opens anything
-- without the browser's state cookie and the provider's code. Times are
-- unix milliseconds (UTC).
CREATE TABLE social_states (
    token_hash BLOB PRIMARY KEY,
    provider   TEXT NOT NULL,
    purpose    TEXT NOT NULL,
    user_id    INTEGER REFERENCES users (id) ON DELETE CASCADE,
    nonce      TEXT NOT NULL,
    verifier   TEXT NOT NULL,
    next       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

--bun:split

CREATE INDEX social_states_expires_at_idx ON social_states (expires_at);

--bun:split

CREATE TABLE social_pending (
    token_hash     BLOB PRIMARY KEY,
    provider       TEXT NOT NULL,
    subject        TEXT NOT NULL,
    email          TEXT NOT NULL,
    email_verified INTEGER NOT NULL,
    preferred_name TEXT NOT NULL,
    name           TEXT NOT NULL,
    next           TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL
);

--bun:split

CREATE INDEX social_pending_expires_at_idx ON social_pending (expires_at);
