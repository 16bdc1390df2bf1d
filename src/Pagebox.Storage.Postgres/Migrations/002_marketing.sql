-- Marketing messages: notification message tokens and the opt-in requests the Pages sent (mirrors SQLite's 002).
CREATE TABLE notification_tokens (
  token             text COLLATE "C" PRIMARY KEY,
  page_id           text COLLATE "C" NOT NULL,
  psid              text COLLATE "C" NOT NULL,
  person_id         text COLLATE "C" NOT NULL,
  title             text NOT NULL,
  payload           text NOT NULL,
  timezone          text,
  frequency         integer,
  reoptin           integer NOT NULL,
  status            integer NOT NULL,
  user_token_status integer NOT NULL,
  created_ms        bigint NOT NULL,
  updated_ms        bigint NOT NULL,
  expires_ms        bigint,
  last_send_ms      bigint,
  followups_sent    integer NOT NULL,
  first_followup_ms bigint,
  followup_open     boolean NOT NULL
);
-- The token list pages by (updated desc, token desc): a keyset, so a page costs the same at any depth.
CREATE INDEX notification_tokens_list ON notification_tokens(page_id, updated_ms DESC, token DESC);
CREATE INDEX notification_tokens_person ON notification_tokens(page_id, psid);

CREATE TABLE optin_requests (
  mid            text COLLATE "C" NOT NULL,
  element        integer NOT NULL,
  page_id        text COLLATE "C" NOT NULL,
  psid           text COLLATE "C" NOT NULL,
  title          text NOT NULL,
  payload        text NOT NULL,
  image_url      text,
  frequency      integer NOT NULL,
  reoptin        integer NOT NULL,
  timezone       text,
  sent_ms        bigint NOT NULL,
  reoptin_token  text,
  PRIMARY KEY (mid, element)
);
CREATE INDEX optin_requests_person ON optin_requests(page_id, psid, sent_ms);
