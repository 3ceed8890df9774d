-- users holds one row per account. IDs are never reused (AUTOINCREMENT),
-- so a stale session can never point at a newer account. Times are unix
-- milliseconds (UTC).
CREATE TABLE users (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    username           TEXT    NOT NULL,
    username_canonical TEXT    NOT NULL,
    password_hash      TEXT    NOT NULL,
    created_at         INTEGER NOT NULL
);

--bun:split

CREATE UNIQUE INDEX users_username_canonical_key ON users (username_canonical);
