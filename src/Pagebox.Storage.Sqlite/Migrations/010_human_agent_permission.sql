-- The app's Human Agent permission (App Review on the platform; off by default): the HUMAN_AGENT message tag needs it.
ALTER TABLE apps ADD COLUMN human_agent INTEGER NOT NULL DEFAULT 0;
