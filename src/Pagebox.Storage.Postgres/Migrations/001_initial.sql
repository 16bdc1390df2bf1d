-- Pagebox schema on PostgreSQL, version 1 (mirrors SQLite's 001). Never edit a released migration: add a new
-- numbered file instead. Times are Unix milliseconds (bigint) as on SQLite, so both stores share one mapping.
-- Keys compare byte-wise (COLLATE "C"), as SQLite does, whatever the database's default collation.
CREATE TABLE apps (
  id              text COLLATE "C" PRIMARY KEY,
  name            text NOT NULL,
  secret          text NOT NULL,
  require_proof   boolean NOT NULL DEFAULT false,
  clock_offset_ms bigint NOT NULL DEFAULT 0,
  created_ms      bigint NOT NULL
);

CREATE TABLE pages (
  id                     text COLLATE "C" PRIMARY KEY,
  app_id                 text COLLATE "C" NOT NULL,
  name                   text NOT NULL,
  platform               integer NOT NULL,
  timezone               text NOT NULL,
  messaging_enabled      boolean NOT NULL DEFAULT true,
  commerce_enabled       boolean NOT NULL DEFAULT true,
  restricted             boolean NOT NULL DEFAULT false,
  pages_messaging        boolean NOT NULL DEFAULT true,
  optin_requests_allowed boolean NOT NULL DEFAULT true,
  send_rate_per_second   integer,
  created_seq            bigserial
);
CREATE INDEX pages_app ON pages(app_id, created_seq);

CREATE TABLE page_tokens (
  token   text COLLATE "C" PRIMARY KEY,
  page_id text COLLATE "C" NOT NULL,
  app_id  text COLLATE "C" NOT NULL
);
CREATE INDEX page_tokens_page_app ON page_tokens(page_id, app_id);

CREATE TABLE persons (
  id       text COLLATE "C" PRIMARY KEY,
  name     text NOT NULL,
  timezone text NOT NULL,
  locale   text NOT NULL
);

-- One row per person and Page: the unique (page_id, person_id) is what makes a PSID unique across processes.
CREATE TABLE conversations (
  psid            text COLLATE "C" PRIMARY KEY,
  page_id         text COLLATE "C" NOT NULL,
  person_id       text COLLATE "C" NOT NULL,
  last_inbound_ms bigint,
  blocked         boolean NOT NULL DEFAULT false,
  created_ms      bigint NOT NULL,
  UNIQUE (page_id, person_id)
);

CREATE TABLE messages (
  seq       bigserial PRIMARY KEY,
  mid       text COLLATE "C" NOT NULL UNIQUE,
  page_id   text COLLATE "C" NOT NULL,
  psid      text COLLATE "C" NOT NULL,
  direction integer NOT NULL,
  kind      integer NOT NULL,
  time_ms   bigint NOT NULL,
  message   text NOT NULL,
  app_id    text COLLATE "C"
);
CREATE INDEX messages_conversation ON messages(psid, seq);

CREATE TABLE app_subscriptions (
  app_id       text COLLATE "C" NOT NULL,
  object       text COLLATE "C" NOT NULL,
  callback_url text NOT NULL,
  verify_token text NOT NULL,
  fields       text NOT NULL,
  PRIMARY KEY (app_id, object)
);

CREATE TABLE page_subscriptions (
  page_id text COLLATE "C" NOT NULL,
  app_id  text COLLATE "C" NOT NULL,
  fields  text NOT NULL,
  PRIMARY KEY (page_id, app_id)
);

-- The outbox: one row per event per subscribed app, written in the transaction of the change that caused it.
CREATE TABLE webhook_events (
  id          bigserial PRIMARY KEY,
  app_id      text COLLATE "C" NOT NULL,
  page_id     text COLLATE "C" NOT NULL,
  object      text NOT NULL,
  field       text NOT NULL,
  order_key   text NOT NULL,
  event       text NOT NULL,
  created_ms  bigint NOT NULL,
  delivery_id bigint
);
CREATE INDEX webhook_events_waiting ON webhook_events(app_id, page_id, id) WHERE delivery_id IS NULL;

-- One POST: the exact bytes, sent and retried as they are. lease_owner is the process (its advisory lock) that holds
-- the lease: a lease whose owner is gone may be taken at once.
CREATE TABLE webhook_deliveries (
  id              bigserial PRIMARY KEY,
  app_id          text COLLATE "C" NOT NULL,
  page_id         text COLLATE "C" NOT NULL,
  object          text NOT NULL,
  fields          text NOT NULL,
  body            bytea NOT NULL,
  status          integer NOT NULL,
  attempts        integer NOT NULL DEFAULT 0,
  last_status     integer,
  last_error      text,
  created_ms      bigint NOT NULL,
  next_attempt_ms bigint NOT NULL,
  lease_until_ms  bigint NOT NULL DEFAULT 0,
  lease_owner     integer NOT NULL DEFAULT 0
);
CREATE INDEX webhook_deliveries_unfinished ON webhook_deliveries(app_id, page_id) WHERE status = 1;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(next_attempt_ms) WHERE status = 1;
CREATE INDEX webhook_deliveries_app ON webhook_deliveries(app_id, id);

CREATE TABLE server_settings (
  key   text COLLATE "C" PRIMARY KEY,
  value text NOT NULL
);
