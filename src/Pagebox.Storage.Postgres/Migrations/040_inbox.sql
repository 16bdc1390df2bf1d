-- The inbox page and the developer's view: each webhook attempt with the bot's answer, and the persona a Page
-- message was sent as (mirrors SQLite's 040). Listings go oldest first: apps, persons and conversations get the
-- insertion order SQLite's rowid gives.
CREATE TABLE webhook_attempts (
  delivery_id bigint NOT NULL,
  app_id      text COLLATE "C" NOT NULL,
  attempt     integer NOT NULL,
  time_ms     bigint NOT NULL,
  status      integer,
  error       text,
  answer      text,
  duration_ms bigint,
  PRIMARY KEY (delivery_id, attempt)
);
CREATE INDEX webhook_attempts_app ON webhook_attempts(app_id, delivery_id);

CREATE TABLE message_personas (
  mid        text COLLATE "C" PRIMARY KEY,
  page_id    text COLLATE "C" NOT NULL,
  persona_id text COLLATE "C" NOT NULL
);
CREATE INDEX message_personas_page ON message_personas(page_id);

ALTER TABLE apps ADD COLUMN created_seq bigserial;
ALTER TABLE persons ADD COLUMN created_seq bigserial;
ALTER TABLE conversations ADD COLUMN created_seq bigserial;
CREATE INDEX conversations_person_seq ON conversations(person_id, created_seq);
CREATE INDEX conversations_page_seq ON conversations(page_id, created_seq);
