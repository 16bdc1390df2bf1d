-- Marketing Messages API for Messenger (the successor): ad accounts, campaigns, the messages sent through them,
-- and the world facts its limits read (friend chats, undeliverable persons, hashed identifiers).
CREATE TABLE ad_accounts (
  id              TEXT PRIMARY KEY,
  app_id          TEXT NOT NULL,
  page_id         TEXT NOT NULL,
  business_id     TEXT NOT NULL,
  currency        TEXT NOT NULL,
  country         TEXT NOT NULL,
  timezone        TEXT NOT NULL,
  balance_cents   INTEGER,
  spend_cap_cents INTEGER,
  price_cents     INTEGER NOT NULL,
  permissions     TEXT NOT NULL,
  created_ms      INTEGER NOT NULL
);
CREATE INDEX ad_accounts_app ON ad_accounts(app_id);
CREATE INDEX ad_accounts_page ON ad_accounts(page_id);

CREATE TABLE message_campaigns (
  id                TEXT PRIMARY KEY,
  campaign_group_id TEXT NOT NULL,
  adset_id          TEXT NOT NULL,
  ad_account_id     TEXT NOT NULL,
  page_id           TEXT NOT NULL,
  name              TEXT NOT NULL,
  daily_budget      INTEGER,
  lifetime_budget   INTEGER,
  estimated_cap     INTEGER,
  bid_amount        INTEGER,
  pixel_id          TEXT,
  start_ms          INTEGER NOT NULL,
  end_ms            INTEGER,
  created_ms        INTEGER NOT NULL,
  deleted_ms        INTEGER
);
CREATE INDEX message_campaigns_account ON message_campaigns(ad_account_id, created_ms);

CREATE TABLE paid_messages (
  tracking_id   TEXT PRIMARY KEY,
  campaign_id   TEXT NOT NULL,
  ad_account_id TEXT NOT NULL,
  page_id       TEXT NOT NULL,
  token         TEXT NOT NULL,
  psid          TEXT NOT NULL,
  person_id     TEXT NOT NULL,
  mid           TEXT,
  sent_ms       INTEGER NOT NULL,
  status        INTEGER NOT NULL,
  charged_cents INTEGER NOT NULL,
  read_ms       INTEGER,
  clicks        INTEGER NOT NULL,
  error         TEXT
);
CREATE INDEX paid_messages_token ON paid_messages(token, sent_ms);
CREATE INDEX paid_messages_person ON paid_messages(person_id, sent_ms);
CREATE INDEX paid_messages_mid ON paid_messages(mid) WHERE mid IS NOT NULL;
CREATE INDEX paid_messages_account ON paid_messages(ad_account_id, campaign_id, sent_ms);
CREATE INDEX paid_messages_unread ON paid_messages(page_id, psid) WHERE read_ms IS NULL AND status = 1;

CREATE TABLE friend_chats (
  person_id TEXT NOT NULL,
  thread    TEXT NOT NULL,
  time_ms   INTEGER NOT NULL
);
CREATE INDEX friend_chats_person ON friend_chats(person_id, time_ms);

CREATE TABLE undeliverable_persons (
  person_id TEXT PRIMARY KEY,
  reason    TEXT NOT NULL
);

CREATE TABLE person_identifiers (
  person_id    TEXT PRIMARY KEY,
  email_sha256 TEXT,
  phone_sha256 TEXT
);

CREATE TABLE custom_audiences (
  id            TEXT PRIMARY KEY,
  ad_account_id TEXT NOT NULL,
  page_id       TEXT NOT NULL,
  name          TEXT NOT NULL,
  description   TEXT,
  created_ms    INTEGER NOT NULL
);

-- The F-caps read a person's messages across Pages.
CREATE INDEX conversations_person ON conversations(person_id);
