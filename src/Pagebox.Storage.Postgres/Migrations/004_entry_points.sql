-- Entry points beyond a person's message: posts and comments (private replies) and the Checkbox plugin (user_ref)
-- (mirrors SQLite's 004).
CREATE TABLE posts (
  post_id    text COLLATE "C" PRIMARY KEY,
  page_id    text COLLATE "C" NOT NULL,
  created_ms bigint NOT NULL
);

CREATE TABLE comments (
  comment_id text COLLATE "C" PRIMARY KEY,
  post_id    text COLLATE "C" NOT NULL,
  page_id    text COLLATE "C" NOT NULL,
  person_id  text COLLATE "C" NOT NULL,
  text       text NOT NULL,
  created_ms bigint NOT NULL,
  replied_ms bigint
);

CREATE TABLE user_refs (
  user_ref   text COLLATE "C" NOT NULL,
  page_id    text COLLATE "C" NOT NULL,
  person_id  text COLLATE "C" NOT NULL,
  created_ms bigint NOT NULL,
  used_ms    bigint,
  PRIMARY KEY (page_id, user_ref)
);
