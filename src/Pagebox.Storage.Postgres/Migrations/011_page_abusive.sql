-- A Page blocked for policy violations (368), apart from one temporarily restricted from sending (10/1893063)
-- (mirrors SQLite's 011).
ALTER TABLE pages ADD COLUMN abusive boolean NOT NULL DEFAULT false;
