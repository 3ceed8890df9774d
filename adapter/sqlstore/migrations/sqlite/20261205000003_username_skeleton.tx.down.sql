DROP INDEX users_username_skeleton_key;

--bun:split

ALTER TABLE users DROP COLUMN username_skeleton;
