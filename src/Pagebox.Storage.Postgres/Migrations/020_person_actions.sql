-- What a person does beyond writing (reactions, edits, customer feedback answers) and the platform's policy blocks
-- (mirrors SQLite's 020).
CREATE TABLE message_reactions (
  page_id text COLLATE "C" NOT NULL,
  mid     text COLLATE "C" NOT NULL,
  psid    text COLLATE "C" NOT NULL,
  emoji   text NOT NULL,
  PRIMARY KEY (mid, psid)
);

CREATE TABLE message_edits (
  mid      text COLLATE "C" PRIMARY KEY,
  page_id  text COLLATE "C" NOT NULL,
  num_edit integer NOT NULL
);

CREATE TABLE feedback_answers (
  mid         text COLLATE "C" PRIMARY KEY,
  page_id     text COLLATE "C" NOT NULL,
  answered_ms bigint NOT NULL
);

CREATE TABLE policy_blocks (
  page_id text COLLATE "C" NOT NULL,
  app_id  text COLLATE "C" NOT NULL,
  PRIMARY KEY (page_id, app_id)
);

-- Recurring-notification links look a topic up by title.
CREATE INDEX optin_requests_topic ON optin_requests(page_id, title);
