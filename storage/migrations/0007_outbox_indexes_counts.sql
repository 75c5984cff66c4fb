-- The delivery worker's hot queries, each served by an index (issue #19): outbox_due
-- (status IN ('pending', 'sending')) cannot serve "status = 'pending'", so claiming
-- scanned the whole outbox, sent history included.
CREATE INDEX outbox_pending ON outbox (priority, id) WHERE status = 'pending';
CREATE INDEX outbox_backoff ON outbox (not_before)
    WHERE status = 'pending' AND not_before IS NOT NULL;
CREATE INDEX outbox_sending ON outbox (id) WHERE status = 'sending';

-- Per-thing delivery counters (issue #19): how many outbox rows of one kind about one
-- thing (an alert's copies: kind 'alert', ref_id = alerts.id) are unfinished, sent, failed,
-- skipped, and skipped because the thing was withdrawn. Triggers keep them in the same
-- transaction as every insert, status change and delete of an outbox row, so the
-- end-of-alert check reads one row instead of recounting all the alert's copies after
-- each delivered copy. kind and ref_id of an outbox row never change.
CREATE TABLE outbox_counts (
    kind        TEXT NOT NULL,
    ref_id      INTEGER NOT NULL,
    total       INTEGER NOT NULL DEFAULT 0,
    unfinished  INTEGER NOT NULL DEFAULT 0,       -- 'pending' or 'sending'
    sent        INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0,
    skipped     INTEGER NOT NULL DEFAULT 0,       -- all skipped rows, withdrawn included
    withdrawn   INTEGER NOT NULL DEFAULT 0,       -- skipped with error 'withdrawn'
    PRIMARY KEY (kind, ref_id)
) WITHOUT ROWID;

INSERT INTO outbox_counts (kind, ref_id, total, unfinished, sent, failed, skipped, withdrawn)
SELECT kind, ref_id, COUNT(*),
    SUM(status IN ('pending', 'sending')), SUM(status = 'sent'), SUM(status = 'failed'),
    SUM(status = 'skipped'), SUM(status = 'skipped' AND COALESCE(error, '') = 'withdrawn')
FROM outbox WHERE ref_id IS NOT NULL GROUP BY kind, ref_id;

CREATE TRIGGER outbox_counts_insert AFTER INSERT ON outbox WHEN NEW.ref_id IS NOT NULL
BEGIN
    INSERT INTO outbox_counts (kind, ref_id) VALUES (NEW.kind, NEW.ref_id)
        ON CONFLICT (kind, ref_id) DO NOTHING;
    UPDATE outbox_counts SET
        total = total + 1,
        unfinished = unfinished + (NEW.status IN ('pending', 'sending')),
        sent = sent + (NEW.status = 'sent'),
        failed = failed + (NEW.status = 'failed'),
        skipped = skipped + (NEW.status = 'skipped'),
        withdrawn = withdrawn + (NEW.status = 'skipped' AND COALESCE(NEW.error, '') = 'withdrawn')
    WHERE kind = NEW.kind AND ref_id = NEW.ref_id;
END;

-- Claiming ('pending' → 'sending') and retries keep a row unfinished: nothing to count.
CREATE TRIGGER outbox_counts_update AFTER UPDATE OF status, error ON outbox
WHEN NEW.ref_id IS NOT NULL AND NOT (
    OLD.status IN ('pending', 'sending') AND NEW.status IN ('pending', 'sending')
) AND (OLD.status IS NOT NEW.status OR OLD.error IS NOT NEW.error)
BEGIN
    UPDATE outbox_counts SET
        unfinished = unfinished + (NEW.status IN ('pending', 'sending'))
            - (OLD.status IN ('pending', 'sending')),
        sent = sent + (NEW.status = 'sent') - (OLD.status = 'sent'),
        failed = failed + (NEW.status = 'failed') - (OLD.status = 'failed'),
        skipped = skipped + (NEW.status = 'skipped') - (OLD.status = 'skipped'),
        withdrawn = withdrawn
            + (NEW.status = 'skipped' AND COALESCE(NEW.error, '') = 'withdrawn')
            - (OLD.status = 'skipped' AND COALESCE(OLD.error, '') = 'withdrawn')
    WHERE kind = NEW.kind AND ref_id = NEW.ref_id;
END;

CREATE TRIGGER outbox_counts_delete AFTER DELETE ON outbox WHEN OLD.ref_id IS NOT NULL
BEGIN
    UPDATE outbox_counts SET
        total = total - 1,
        unfinished = unfinished - (OLD.status IN ('pending', 'sending')),
        sent = sent - (OLD.status = 'sent'),
        failed = failed - (OLD.status = 'failed'),
        skipped = skipped - (OLD.status = 'skipped'),
        withdrawn = withdrawn - (OLD.status = 'skipped' AND COALESCE(OLD.error, '') = 'withdrawn')
    WHERE kind = OLD.kind AND ref_id = OLD.ref_id;
END;
