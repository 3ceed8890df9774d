-- identities links accounts to the people who sign in with an identity
-- provider (OpenID Connect, GitHub), keyed by the provider's own subject
-- id, never by an address: one row per (provider, subject), and at most
-- one per provider and account. Removed with the account. Times are unix
-- milliseconds (UTC).
CREATE TABLE identities (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id   BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider  TEXT COLLATE "C" NOT NULL,
    subject   TEXT COLLATE "C" NOT NULL,
    name      TEXT NOT NULL,
    linked_at BIGINT NOT NULL,
    CONSTRAINT identities_provider_subject_key UNIQUE (provider, subject),
    CONSTRAINT identities_user_provider_key UNIQUE (user_id, provider)
);
