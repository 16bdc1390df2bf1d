-- Personas API: a Page's personas; deleting one is soft (mirrors SQLite's 005).
CREATE TABLE personas (
  id          text COLLATE "C" PRIMARY KEY,
  page_id     text COLLATE "C" NOT NULL,
  name        text NOT NULL,
  picture_url text NOT NULL,
  created_ms  bigint NOT NULL,
  deleted_ms  bigint
);
CREATE INDEX personas_page ON personas(page_id, id);
