-- Handover protocol: the app that owns a conversation's thread. No row: no owner (mirrors SQLite's 007).
CREATE TABLE thread_owners (
  page_id text COLLATE "C" NOT NULL,
  psid    text COLLATE "C" NOT NULL,
  app_id  text COLLATE "C" NOT NULL,
  PRIMARY KEY (page_id, psid)
);
CREATE INDEX thread_owners_app ON thread_owners(app_id);
