-- What a person does beyond writing (reactions, edits, customer feedback answers) and the platform's policy blocks.
CREATE TABLE message_reactions (
  page_id TEXT NOT NULL,
  mid     TEXT NOT NULL,
  psid    TEXT NOT NULL,
  emoji   TEXT NOT NULL,
  PRIMARY KEY (mid, psid)
);

CREATE TABLE message_edits (
  mid      TEXT PRIMARY KEY,
  page_id  TEXT NOT NULL,
  num_edit INTEGER NOT NULL
);

CREATE TABLE feedback_answers (
  mid         TEXT PRIMARY KEY,
  page_id     TEXT NOT NULL,
  answered_ms INTEGER NOT NULL
);

CREATE TABLE policy_blocks (
  page_id TEXT NOT NULL,
  app_id  TEXT NOT NULL,
  PRIMARY KEY (page_id, app_id)
);

-- Recurring-notification links look a topic up by title.
CREATE INDEX optin_requests_topic ON optin_requests(page_id, title);
