-- Marketing messages: notification message tokens and the opt-in requests the Pages sent.
CREATE TABLE notification_tokens (
  token             TEXT PRIMARY KEY,
  page_id           TEXT NOT NULL,
  psid              TEXT NOT NULL,
  person_id         TEXT NOT NULL,
  title             TEXT NOT NULL,
  payload           TEXT NOT NULL,
  timezone          TEXT,
  frequency         INTEGER,
  reoptin           INTEGER NOT NULL,
  status            INTEGER NOT NULL,
  user_token_status INTEGER NOT NULL,
  created_ms        INTEGER NOT NULL,
  updated_ms        INTEGER NOT NULL,
  expires_ms        INTEGER,
  last_send_ms      INTEGER,
  followups_sent    INTEGER NOT NULL,
  first_followup_ms INTEGER,
  followup_open     INTEGER NOT NULL
);
-- The token list pages by (updated desc, token desc): a keyset, so a page costs the same at any depth.
CREATE INDEX notification_tokens_list ON notification_tokens(page_id, updated_ms DESC, token DESC);
CREATE INDEX notification_tokens_person ON notification_tokens(page_id, psid);

CREATE TABLE optin_requests (
  mid            TEXT NOT NULL,
  element        INTEGER NOT NULL,
  page_id        TEXT NOT NULL,
  psid           TEXT NOT NULL,
  title          TEXT NOT NULL,
  payload        TEXT NOT NULL,
  image_url      TEXT,
  frequency      INTEGER NOT NULL,
  reoptin        INTEGER NOT NULL,
  timezone       TEXT,
  sent_ms        INTEGER NOT NULL,
  reoptin_token  TEXT,
  PRIMARY KEY (mid, element)
);
CREATE INDEX optin_requests_person ON optin_requests(page_id, psid, sent_ms);
