-- Webhooks after an hour of failures (issue 7): Meta unsubscribes the app from the Page. On by default, per app
-- (the world face can turn it off). A failed delivery now holds its app's and Page's later events until it is
-- replayed; the lane index finds a lane's newest delivery.
ALTER TABLE apps ADD COLUMN disable_webhooks_on_failure INTEGER NOT NULL DEFAULT 1;
CREATE INDEX webhook_deliveries_lane ON webhook_deliveries(app_id, page_id, id);
