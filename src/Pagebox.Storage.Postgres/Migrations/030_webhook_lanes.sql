-- Webhooks after an hour of failures: Meta unsubscribes the app from the Page. On by default, per app (the world face
-- can turn it off). A failed delivery holds its app's and Page's later events until it is replayed; the lane index
-- finds a lane's newest delivery (mirrors SQLite's 030).
ALTER TABLE apps ADD COLUMN disable_webhooks_on_failure boolean NOT NULL DEFAULT true;
CREATE INDEX webhook_deliveries_lane ON webhook_deliveries(app_id, page_id, id);
