-- The weekly lägesbild digest (bot/services/digests.py): one row per person and ISO week,
-- written in the same transaction as the digest's outbox row, so a digest is never sent
-- twice, also across restarts. outcome 'empty': the person had nothing to report that
-- week (nothing was sent, but the week is done for them).
CREATE TABLE digest_sends (
    user_id     INTEGER NOT NULL,
    week        TEXT NOT NULL,                    -- ISO week of the local Monday, '2026-W48'
    outcome     TEXT NOT NULL DEFAULT 'enqueued' CHECK (outcome IN ('enqueued', 'empty')),
    created_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, week)
);
