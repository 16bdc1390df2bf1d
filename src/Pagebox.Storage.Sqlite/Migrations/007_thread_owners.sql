-- Handover protocol: the app that owns a conversation's thread. No row: no owner (every subscribed app acts).
CREATE TABLE thread_owners (
  page_id TEXT NOT NULL,
  psid    TEXT NOT NULL,
  app_id  TEXT NOT NULL,
  PRIMARY KEY (page_id, psid)
);
CREATE INDEX thread_owners_app ON thread_owners(app_id);
