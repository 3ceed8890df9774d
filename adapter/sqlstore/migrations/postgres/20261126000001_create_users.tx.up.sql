-- users holds one row per account. IDs come from an identity column that
-- never hands out a number twice, so a stale session can never point at a
-- newer account, and that refuses IDs chosen by the caller. The canonical
-- username compares and sorts byte by byte (COLLATE "C"), as SQLite's
-- BINARY does, whatever the database's locale. Times are unix
-- milliseconds (UTC).
CREATE TABLE users (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username           TEXT   NOT NULL,
    username_canonical TEXT   COLLATE "C" NOT NULL,
    password_hash      TEXT   NOT NULL,
    created_at         BIGINT NOT NULL
);

--bun:split

CREATE UNIQUE INDEX users_username_canonical_key ON users (username_canonical);
