-- Messenger Profile API: one row per Page and field, the value as sent (mirrors SQLite's 003).
CREATE TABLE messenger_profile (
  page_id text COLLATE "C" NOT NULL,
  field   text COLLATE "C" NOT NULL,
  value   text NOT NULL,
  PRIMARY KEY (page_id, field)
);
