-- Delivered alert copies in their own table, and sent outbox rows that can be pruned
-- (issue #11 §5). Until now an alert's copies were found by reading the outbox's 'alert'
-- rows and their JSON payloads ("rendered": what the message shows), so the outbox could
-- never be pruned without losing the ability to update or withdraw old alerts.

-- Every update or withdrawal makes a new version of the alert; each copy records which
-- version its message shows, and each unsent copy's payload carries the version its text
-- renders ("version"). Version 0 is the original text.
ALTER TABLE alerts ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
UPDATE alerts SET version = 1 WHERE update_text IS NOT NULL OR status = 'withdrawn';

-- One row per delivered copy, written by the delivery worker in the same transaction as
-- the outbox row's 'sent' (storage.alerts.record_copy). chat_id is where it was sent (the
-- group's chat at the time); edits go to the group's current chat.
CREATE TABLE alert_copies (
    alert_id    INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    group_id    INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    chat_id     INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    version     INTEGER NOT NULL DEFAULT 0,
    sent_at     TEXT NOT NULL,
    PRIMARY KEY (alert_id, group_id)
) WITHOUT ROWID;

-- Old copies: a copy shows the alert's current version when its "rendered" state equals
-- the alert's (every change rewrote the "rendered" of all delivered copies), else the
-- original. Several sent rows for one group (never expected) keep the newest.
INSERT OR REPLACE INTO alert_copies (alert_id, group_id, chat_id, message_id, version, sent_at)
SELECT o.ref_id, o.group_id, g.chat_id, o.message_id,
    CASE WHEN json_extract(o.payload, '$.rendered') IS NOT NULL
        AND json_extract(o.payload, '$.rendered.update') IS a.update_text
        AND COALESCE(json_extract(o.payload, '$.rendered.withdrawn'), 0) = (a.status = 'withdrawn')
    THEN a.version ELSE 0 END,
    o.updated_at
FROM outbox o
JOIN alerts a ON a.id = o.ref_id
JOIN groups g ON g.id = o.group_id
WHERE o.kind = 'alert' AND o.status = 'sent' AND o.message_id IS NOT NULL
ORDER BY o.id;

-- Unsent copies: "rendered" becomes the version number their text shows.
UPDATE outbox SET payload = json_remove(json_set(payload, '$.version',
    (SELECT CASE WHEN json_extract(outbox.payload, '$.rendered') IS NOT NULL
        AND json_extract(outbox.payload, '$.rendered.update') IS a.update_text
        AND COALESCE(json_extract(outbox.payload, '$.rendered.withdrawn'), 0)
            = (a.status = 'withdrawn')
    THEN a.version ELSE 0 END FROM alerts a WHERE a.id = outbox.ref_id)), '$.rendered')
WHERE kind = 'alert' AND status IN ('pending', 'sending');

-- Sent rows deleted by the retention pass (storage.outbox.prune_sent) are counted here, so
-- an alert's numbers (outbox_counts.sent + pruned) survive the pruning of its rows, while
-- the other columns keep equalling a recount of the rows that exist.
ALTER TABLE outbox_counts ADD COLUMN pruned INTEGER NOT NULL DEFAULT 0;

-- The retention pass finds the oldest sent rows without reading the rest of the table.
CREATE INDEX outbox_sent ON outbox (updated_at) WHERE status = 'sent';
