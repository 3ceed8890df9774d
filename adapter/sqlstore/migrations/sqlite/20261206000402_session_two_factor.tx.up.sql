-- two_factor_at is when the session's login passed a second factor (a
-- code after the password), NULL for a password-only session; unix
-- milliseconds (UTC). Sessions stored before it count as password-only.
ALTER TABLE sessions ADD COLUMN two_factor_at INTEGER;
