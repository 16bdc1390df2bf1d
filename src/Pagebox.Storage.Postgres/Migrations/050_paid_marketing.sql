-- Marketing Messages API for Messenger (the successor): ad accounts, campaigns, the messages sent through them,
-- and the world facts its limits read (friend chats, undeliverable persons, hashed identifiers). Mirrors SQLite's 050;
-- seq gives paid messages the insertion order SQLite's rowid gives.
CREATE TABLE ad_accounts (
  id              text PRIMARY KEY,
  app_id          text NOT NULL,
  page_id         text NOT NULL,
  business_id     text NOT NULL,
  currency        text NOT NULL,
  country         text NOT NULL,
  timezone        text NOT NULL,
  balance_cents   bigint,
  spend_cap_cents bigint,
  price_cents     bigint NOT NULL,
  permissions     text NOT NULL,
  created_ms      bigint NOT NULL
);
CREATE INDEX ad_accounts_app ON ad_accounts(app_id);
CREATE INDEX ad_accounts_page ON ad_accounts(page_id);

CREATE TABLE message_campaigns (
  id                text PRIMARY KEY,
  campaign_group_id text NOT NULL,
  adset_id          text NOT NULL,
  ad_account_id     text NOT NULL,
  page_id           text NOT NULL,
  name              text NOT NULL,
  daily_budget      bigint,
  lifetime_budget   bigint,
  estimated_cap     bigint,
  bid_amount        bigint,
  pixel_id          text,
  start_ms          bigint NOT NULL,
  end_ms            bigint,
  created_ms        bigint NOT NULL,
  deleted_ms        bigint
);
CREATE INDEX message_campaigns_account ON message_campaigns(ad_account_id, created_ms);

CREATE TABLE paid_messages (
  seq           bigserial,
  tracking_id   text PRIMARY KEY,
  campaign_id   text NOT NULL,
  ad_account_id text NOT NULL,
  page_id       text NOT NULL,
  token         text NOT NULL,
  psid          text NOT NULL,
  person_id     text NOT NULL,
  mid           text,
  sent_ms       bigint NOT NULL,
  status        integer NOT NULL,
  charged_cents bigint NOT NULL,
  read_ms       bigint,
  clicks        integer NOT NULL,
  error         text
);
CREATE INDEX paid_messages_token ON paid_messages(token, sent_ms);
CREATE INDEX paid_messages_person ON paid_messages(person_id, sent_ms);
CREATE INDEX paid_messages_mid ON paid_messages(mid) WHERE mid IS NOT NULL;
CREATE INDEX paid_messages_account ON paid_messages(ad_account_id, campaign_id, sent_ms);
CREATE INDEX paid_messages_unread ON paid_messages(page_id, psid) WHERE read_ms IS NULL AND status = 1;

CREATE TABLE friend_chats (
  person_id text NOT NULL,
  thread    text NOT NULL,
  time_ms   bigint NOT NULL
);
CREATE INDEX friend_chats_person ON friend_chats(person_id, time_ms);

CREATE TABLE undeliverable_persons (
  person_id text PRIMARY KEY,
  reason    text NOT NULL
);

CREATE TABLE person_identifiers (
  person_id    text PRIMARY KEY,
  email_sha256 text,
  phone_sha256 text
);

CREATE TABLE custom_audiences (
  id            text PRIMARY KEY,
  ad_account_id text NOT NULL,
  page_id       text NOT NULL,
  name          text NOT NULL,
  description   text,
  created_ms    bigint NOT NULL
);

-- The F-caps read a person's messages across Pages.
CREATE INDEX conversations_person ON conversations(person_id);
