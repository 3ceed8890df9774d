ALTER TABLE sessions DROP COLUMN previous_login_ip;

--bun:split

ALTER TABLE sessions DROP COLUMN previous_login_at;

--bun:split

ALTER TABLE sessions DROP COLUMN previous_login_known;
