-- Accounts may have an email address, stored here only once verified:
-- email as typed, email_canonical lower-cased, unique, so that no two
-- accounts verify one address (NULL, no address, repeats freely).
ALTER TABLE users ADD COLUMN email TEXT;

--bun:split

ALTER TABLE users ADD COLUMN email_canonical TEXT;

--bun:split

CREATE UNIQUE INDEX users_email_canonical_key ON users (email_canonical);

--bun:split

-- one_time_codes holds each account's active code per purpose (an
-- address to verify, a recovery): only a keyed hash of the code, the
-- address it went to, the tries spent and when it expires. used_at is 0
-- until the code is consumed, by an UPDATE that requires it to be 0.
-- Times are unix milliseconds (UTC).
CREATE TABLE one_time_codes (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id           INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose           TEXT    NOT NULL,
    address           TEXT    NOT NULL,
    address_canonical TEXT    NOT NULL,
    code_hash         BLOB    NOT NULL,
    tries             INTEGER NOT NULL DEFAULT 0,
    expires_at        INTEGER NOT NULL,
    created_at        INTEGER NOT NULL,
    used_at           INTEGER NOT NULL DEFAULT 0
);

--bun:split

CREATE UNIQUE INDEX one_time_codes_user_purpose_key ON one_time_codes (user_id, purpose);
