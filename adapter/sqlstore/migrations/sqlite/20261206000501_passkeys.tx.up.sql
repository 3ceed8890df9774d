-- webauthn_users gives each account a random WebAuthn user handle (32
-- bytes), what authenticators keep and send back, so the account's ID is
-- never shown to them.
CREATE TABLE webauthn_users (
    user_id  INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    handle   BLOB NOT NULL UNIQUE
);

--bun:split

-- passkeys holds the accounts' WebAuthn credentials: the public key,
-- the signature counter (moved forward only by a conditional UPDATE),
-- the transports, the AAGUID and the flags the authenticator reported.
-- Times are unix milliseconds (UTC); last_used_at is 0 until first use.
CREATE TABLE passkeys (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id            INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    credential_id      BLOB NOT NULL UNIQUE,
    public_key         BLOB NOT NULL,
    sign_count         INTEGER NOT NULL,
    transports         TEXT NOT NULL,
    aaguid             BLOB NOT NULL,
    attestation_type   TEXT NOT NULL,
    attestation_format TEXT NOT NULL,
    user_verified      INTEGER NOT NULL,
    backup_eligible    INTEGER NOT NULL,
    backup_state       INTEGER NOT NULL,
    name               TEXT NOT NULL,
    created_at         INTEGER NOT NULL,
    last_used_at       INTEGER NOT NULL
);

--bun:split

CREATE INDEX passkeys_user_id_idx ON passkeys (user_id);

--bun:split

-- webauthn_challenges holds the WebAuthn ceremonies under way: only an
-- HMAC of the challenge (keyed from SECRET_KEY) is stored, with the
-- ceremony's other parameters; a challenge is consumed by a conditional
-- DELETE (single use) and expires after five minutes. user_id is NULL
-- for a login, which names no account.
CREATE TABLE webauthn_challenges (
    challenge_hash  BLOB PRIMARY KEY,
    purpose         TEXT NOT NULL,
    user_id         INTEGER REFERENCES users (id) ON DELETE CASCADE,
    state           BLOB NOT NULL,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL
);

--bun:split

CREATE INDEX webauthn_challenges_expires_at_idx ON webauthn_challenges (expires_at);
