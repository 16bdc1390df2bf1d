-- Entry points beyond a person's message: posts and comments (private replies) and the Checkbox plugin (user_ref).
CREATE TABLE posts (
  post_id    TEXT PRIMARY KEY,
  page_id    TEXT NOT NULL,
  created_ms INTEGER NOT NULL
);

CREATE TABLE comments (
  comment_id TEXT PRIMARY KEY,
  post_id    TEXT NOT NULL,
  page_id    TEXT NOT NULL,
  person_id  TEXT NOT NULL,
  text       TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  replied_ms INTEGER
);

CREATE TABLE user_refs (
  user_ref   TEXT NOT NULL,
  page_id    TEXT NOT NULL,
  person_id  TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  used_ms    INTEGER,
  PRIMARY KEY (page_id, user_ref)
);
