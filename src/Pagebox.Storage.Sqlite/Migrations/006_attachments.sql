-- Attachment Upload API and reusable sends: saved attachments a send may name by attachment_id for 90 days.
-- An upload by URL keeps the URL (never fetched); a file upload keeps its size and content type, not its bytes.
CREATE TABLE attachments (
  id           TEXT PRIMARY KEY,
  page_id      TEXT NOT NULL,
  type         TEXT NOT NULL,
  url          TEXT,
  content_type TEXT,
  size_bytes   INTEGER,
  file_name    TEXT,
  created_ms   INTEGER NOT NULL
);
CREATE INDEX attachments_page ON attachments(page_id);
