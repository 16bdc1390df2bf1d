-- The inbox page and the developer's view: each webhook attempt with the bot's answer, and the persona a Page
-- message was sent as.
CREATE TABLE webhook_attempts (
  delivery_id INTEGER NOT NULL,
  app_id      TEXT NOT NULL,
  attempt     INTEGER NOT NULL,
  time_ms     INTEGER NOT NULL,
  status      INTEGER,
  error       TEXT,
  answer      TEXT,
  duration_ms INTEGER,
  PRIMARY KEY (delivery_id, attempt)
);
CREATE INDEX webhook_attempts_app ON webhook_attempts(app_id, delivery_id);

CREATE TABLE message_personas (
  mid        TEXT PRIMARY KEY,
  page_id    TEXT NOT NULL,
  persona_id TEXT NOT NULL
);
CREATE INDEX message_personas_page ON message_personas(page_id);
