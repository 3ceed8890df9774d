ALTER TABLE sessions DROP COLUMN credential_version;

--bun:split

ALTER TABLE users DROP COLUMN credential_version;
