-- Two names that look alike may not both exist: username_skeleton holds
-- the UTS #39 skeleton of the name (domain.Username.Skeleton), unique
-- where it is set. It is NULL for the rows that were here before this
-- step until sqlstore.Migrate computes it, right after the steps, and
-- stays NULL for an account whose skeleton an older account holds:
-- both keep their names and log in, and the skeleton stays taken. It
-- compares byte by byte, as username_canonical does.
ALTER TABLE users ADD COLUMN username_skeleton TEXT COLLATE "C";

--bun:split

CREATE UNIQUE INDEX users_username_skeleton_key ON users (username_skeleton);
