DROP TABLE one_time_codes;

--bun:split

DROP INDEX users_email_canonical_key;

--bun:split

ALTER TABLE users DROP COLUMN email_canonical;

--bun:split

ALTER TABLE users DROP COLUMN email;
