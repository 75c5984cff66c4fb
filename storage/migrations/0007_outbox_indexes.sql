-- The delivery worker's hot queries, each served by an index (issue #19): outbox_due
-- (status IN ('pending', 'sending')) cannot serve "status = 'pending'", so claiming
-- scanned the whole outbox, sent history included.
CREATE INDEX outbox_pending ON outbox (priority, id) WHERE status = 'pending';
CREATE INDEX outbox_backoff ON outbox (not_before)
    WHERE status = 'pending' AND not_before IS NOT NULL;
CREATE INDEX outbox_sending ON outbox (id) WHERE status = 'sending';
