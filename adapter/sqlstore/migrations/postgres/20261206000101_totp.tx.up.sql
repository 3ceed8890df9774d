-- totp_secrets holds each account's authenticator-app secret, sealed
-- with AES-GCM (the key is derived from SECRET_KEY; docs/security.md).
-- enabled_at is NULL while an enrollment awaits its confirming code;
-- last_step is the newest accepted time step, moved on only by a
-- conditional UPDATE, so a code is accepted once. Times are unix
-- milliseconds (UTC).
CREATE TABLE totp_secrets (
    user_id     BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    sealed      BYTEA    NOT NULL,
    enabled_at  BIGINT,
    last_step   BIGINT NOT NULL,
    created_at  BIGINT NOT NULL
);
