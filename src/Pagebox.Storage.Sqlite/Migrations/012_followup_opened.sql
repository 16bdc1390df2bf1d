-- Follow-ups: the first must go out within 2 minutes of the opt-in tap or of ENABLE_FOLLOWUP_MESSAGE, so the token
-- keeps when its allowance opened. NULL (tokens made before this migration) reads as the token's creation.
ALTER TABLE notification_tokens ADD COLUMN followup_opened_ms INTEGER;
