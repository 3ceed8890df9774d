-- The name an account's owner chose to be greeted by, shown in place of
-- the username (domain.DisplayName): NULL when none was chosen, which
-- is every account from before this step and every imported one. The
-- domain validates it (NFKC, 1 to 64 code points, no control or format
-- characters); the CHECK keeps an empty or overlong value from being
-- stored by any other path. length counts characters (code points).
ALTER TABLE users ADD COLUMN display_name TEXT
  CONSTRAINT users_display_name_length CHECK (display_name IS NULL OR length(display_name) BETWEEN 1 AND 64);
