-- The dispatcher claims the oldest pending deliveries (ORDER BY id LIMIT n, status = 1). Without this index the scan
-- walks every delivery ever made, delivered ones first, so each claim slowed as the log grew (bench/webhooks.sh).
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries(id) WHERE status = 1;
