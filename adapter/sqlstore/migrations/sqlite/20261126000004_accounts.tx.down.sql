DROP TABLE security_events;

--bun:split

ALTER TABLE sessions DROP COLUMN user_agent;

--bun:split

ALTER TABLE sessions DROP COLUMN ip;

--bun:split

ALTER TABLE users DROP COLUMN must_change_password;

--bun:split

ALTER TABLE users DROP COLUMN disabled;

--bun:split

ALTER TABLE users DROP COLUMN role;
