ALTER TABLE sessions DROP COLUMN two_factor_at;
