-- Accounts count their credential changes, and sessions keep the count
-- they were started under: a session counts only while its account's
-- credential_version is still its own, so no session started before a
-- password change (the owner's, an admin's or the operator's) outlives
-- it, even one whose login checked the old password while the change
-- ran. Every existing account and session starts at 1, so they match.
ALTER TABLE users ADD COLUMN credential_version INTEGER NOT NULL DEFAULT 1;

--bun:split

ALTER TABLE sessions ADD COLUMN credential_version INTEGER NOT NULL DEFAULT 1;
