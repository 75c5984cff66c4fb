-- The durable update inbox (bot/updates.py): every update fetched with getUpdates is
-- stored here, in one transaction per batch, BEFORE the next getUpdates confirms it to
-- Telegram. done_at is set once the update has been handled; a row without done_at after
-- a crash is handled again at start-up, in update_id order, before new updates.
-- attempts counts the start-ups that found the row unfinished (a poison update that kills
-- the process every time is given up after a few). Done rows are pruned after two days
-- (Telegram redelivers an unconfirmed update for at most 24 hours).
CREATE TABLE update_inbox (
    update_id    INTEGER PRIMARY KEY,             -- Telegram's update_id
    payload      TEXT NOT NULL,                   -- the update as JSON
    received_at  TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    done_at      TEXT
);
CREATE INDEX update_inbox_unfinished ON update_inbox (update_id) WHERE done_at IS NULL;
CREATE INDEX update_inbox_done ON update_inbox (done_at) WHERE done_at IS NOT NULL;
