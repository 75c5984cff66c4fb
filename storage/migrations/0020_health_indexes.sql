-- Health figures (grannvakt status, GET /healthz) without scanning the outbox history or
-- every digest ever sent: an outbox of millions of sent rows must not make a health check,
-- which runs on the bot's one database connection, take seconds.
CREATE INDEX outbox_failed_at ON outbox (updated_at) WHERE status = 'failed';
CREATE INDEX digest_sends_created ON digest_sends (created_at);
