-- A file upload's SHA-256 (lowercase hex), taken while the file streams past; null for uploads by URL.
ALTER TABLE attachments ADD COLUMN sha256 TEXT;
