-- identities links accounts to the people who sign in with an identity
-- provider (OpenID Connect, GitHub), keyed by the provider's own subject
-- id, never by an address: one row per (provider, subject), and at most
-- one per provider and account. Removed with the account. Times are unix
-- milliseconds (UTC).
CREATE TABLE identities (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider  TEXT NOT NULL,
    subject   TEXT NOT NULL,
    name      TEXT NOT NULL,
    linked_at INTEGER NOT NULL,
    CONSTRAINT identities_provider_subject_key UNIQUE (provider, subject),
    CONSTRAINT identities_user_provider_key UNIQUE (user_id, provider)
);
