-- Messenger Profile API: one row per Page and field (get_started, greeting, persistent_menu, …), the value as sent.
CREATE TABLE messenger_profile (
  page_id TEXT NOT NULL,
  field   TEXT NOT NULL,
  value   TEXT NOT NULL,
  PRIMARY KEY (page_id, field)
);
