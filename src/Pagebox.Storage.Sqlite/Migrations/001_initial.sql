-- Pagebox schema, version 1. Never edit a released migration: add a new numbered file instead.
CREATE TABLE apps (
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  secret          TEXT NOT NULL,
  require_proof   INTEGER NOT NULL DEFAULT 0,
  clock_offset_ms INTEGER NOT NULL DEFAULT 0,
  created_ms      INTEGER NOT NULL
);

CREATE TABLE pages (
  id                     TEXT PRIMARY KEY,
  app_id                 TEXT NOT NULL,
  name                   TEXT NOT NULL,
  platform               INTEGER NOT NULL,
  timezone               TEXT NOT NULL,
  messaging_enabled      INTEGER NOT NULL DEFAULT 1,
  commerce_enabled       INTEGER NOT NULL DEFAULT 1,
  restricted             INTEGER NOT NULL DEFAULT 0,
  pages_messaging        INTEGER NOT NULL DEFAULT 1,
  optin_requests_allowed INTEGER NOT NULL DEFAULT 1,
  send_rate_per_second   INTEGER
);
CREATE INDEX pages_app ON pages(app_id);

CREATE TABLE page_tokens (
  token   TEXT PRIMARY KEY,
  page_id TEXT NOT NULL,
  app_id  TEXT NOT NULL
);
CREATE INDEX page_tokens_page_app ON page_tokens(page_id, app_id);

CREATE TABLE persons (
  id       TEXT PRIMARY KEY,
  name     TEXT NOT NULL,
  timezone TEXT NOT NULL,
  locale   TEXT NOT NULL
);

CREATE TABLE conversations (
  psid            TEXT PRIMARY KEY,
  page_id         TEXT NOT NULL,
  person_id       TEXT NOT NULL,
  last_inbound_ms INTEGER,
  blocked         INTEGER NOT NULL DEFAULT 0,
  created_ms      INTEGER NOT NULL,
  UNIQUE (page_id, person_id)
);

CREATE TABLE messages (
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,
  mid       TEXT NOT NULL UNIQUE,
  page_id   TEXT NOT NULL,
  psid      TEXT NOT NULL,
  direction INTEGER NOT NULL,
  kind      INTEGER NOT NULL,
  time_ms   INTEGER NOT NULL,
  message   TEXT NOT NULL,
  app_id    TEXT
);
CREATE INDEX messages_conversation ON messages(psid, seq);

CREATE TABLE app_subscriptions (
  app_id       TEXT NOT NULL,
  object       TEXT NOT NULL,
  callback_url TEXT NOT NULL,
  verify_token TEXT NOT NULL,
  fields       TEXT NOT NULL,
  PRIMARY KEY (app_id, object)
);

CREATE TABLE page_subscriptions (
  page_id TEXT NOT NULL,
  app_id  TEXT NOT NULL,
  fields  TEXT NOT NULL,
  PRIMARY KEY (page_id, app_id)
);

-- The outbox: one row per event per subscribed app, written in the transaction of the change that caused it.
CREATE TABLE webhook_events (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  app_id      TEXT NOT NULL,
  page_id     TEXT NOT NULL,
  object      TEXT NOT NULL,
  field       TEXT NOT NULL,
  order_key   TEXT NOT NULL,
  event       TEXT NOT NULL,
  created_ms  INTEGER NOT NULL,
  delivery_id INTEGER
);
CREATE INDEX webhook_events_waiting ON webhook_events(app_id, page_id, id) WHERE delivery_id IS NULL;

-- One POST: the exact bytes, sent and retried as they are.
CREATE TABLE webhook_deliveries (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  app_id          TEXT NOT NULL,
  page_id         TEXT NOT NULL,
  object          TEXT NOT NULL,
  fields          TEXT NOT NULL,
  body            BLOB NOT NULL,
  status          INTEGER NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_status     INTEGER,
  last_error      TEXT,
  created_ms      INTEGER NOT NULL,
  next_attempt_ms INTEGER NOT NULL,
  lease_until_ms  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX webhook_deliveries_unfinished ON webhook_deliveries(app_id, page_id) WHERE status = 1;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_ms) WHERE status = 1;
CREATE INDEX webhook_deliveries_app ON webhook_deliveries(app_id, id);

CREATE TABLE server_settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
