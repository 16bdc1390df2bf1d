-- Personas API: a Page's personas; deleting one is soft (old messages keep it, new sends refuse it).
CREATE TABLE personas (
  id          TEXT PRIMARY KEY,
  page_id     TEXT NOT NULL,
  name        TEXT NOT NULL,
  picture_url TEXT NOT NULL,
  created_ms  INTEGER NOT NULL,
  deleted_ms  INTEGER
);
CREATE INDEX personas_page ON personas(page_id, id);
