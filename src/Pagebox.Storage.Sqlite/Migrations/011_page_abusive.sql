-- A Page blocked for policy violations (368), apart from one temporarily restricted from sending (10/1893063).
ALTER TABLE pages ADD COLUMN abusive INTEGER NOT NULL DEFAULT 0;
