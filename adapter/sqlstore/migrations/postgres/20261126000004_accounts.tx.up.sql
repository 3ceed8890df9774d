-- Accounts gain a role, an admin's switch to disable them, and a flag that
-- asks for a new password at the next login. Every existing account is an
-- enabled user.
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin'));

--bun:split

ALTER TABLE users ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT FALSE;

--bun:split

ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE;

--bun:split

-- Sessions remember the client that logged in, for the list of sessions.
ALTER TABLE sessions ADD COLUMN ip TEXT NOT NULL DEFAULT '';

--bun:split

ALTER TABLE sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';

--bun:split

-- security_events is the security history of accounts: logins, password
-- changes, admin actions. user_id and actor_id have no foreign key on
-- purpose: the history of a deleted account stays. Times are unix
-- milliseconds (UTC).
CREATE TABLE security_events (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind       TEXT   NOT NULL,
    user_id    BIGINT NOT NULL DEFAULT 0,
    actor_id   BIGINT NOT NULL DEFAULT 0,
    ip         TEXT   NOT NULL DEFAULT '',
    user_agent TEXT   NOT NULL DEFAULT '',
    detail     TEXT   NOT NULL DEFAULT '',
    at         BIGINT NOT NULL
);

--bun:split

CREATE INDEX security_events_user_id_at_idx ON security_events (user_id, at);

--bun:split

CREATE INDEX security_events_user_id_kind_at_idx ON security_events (user_id, kind, at);
