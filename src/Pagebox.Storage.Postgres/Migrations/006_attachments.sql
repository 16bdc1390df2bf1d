-- Attachment Upload API and reusable sends: saved attachments a send may name by attachment_id for 90 days
-- (mirrors SQLite's 006).
CREATE TABLE attachments (
  id           text COLLATE "C" PRIMARY KEY,
  page_id      text COLLATE "C" NOT NULL,
  type         text NOT NULL,
  url          text,
  content_type text,
  size_bytes   bigint,
  file_name    text,
  created_ms   bigint NOT NULL
);
CREATE INDEX attachments_page ON attachments(page_id);
