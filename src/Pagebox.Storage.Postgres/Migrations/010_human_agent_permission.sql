-- The app's Human Agent permission (App Review on the platform; off by default): the HUMAN_AGENT message tag needs it
-- (mirrors SQLite's 010).
ALTER TABLE apps ADD COLUMN human_agent boolean NOT NULL DEFAULT false;
