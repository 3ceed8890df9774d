-- Sessions keep the account's successful login before the one that
-- started them, taken at the start, for the "Last login" line of the
-- dashboard and GET /api/v1/me: it comes with the session instead of
-- being looked up in security_events on every request.
-- previous_login_known is false for the sessions that existed before this
-- step, whose previous login is still looked up; previous_login_at is
-- NULL when the account had no earlier login. Times are unix
-- milliseconds (UTC).
ALTER TABLE sessions ADD COLUMN previous_login_known BOOLEAN NOT NULL DEFAULT FALSE;

--bun:split

ALTER TABLE sessions ADD COLUMN previous_login_at BIGINT;

--bun:split

ALTER TABLE sessions ADD COLUMN previous_login_ip TEXT NOT NULL DEFAULT '';
