-- A resident's notice about a change of their report's status can wait for their next
-- private message like staff notices: held_notices also takes the viewer 'resident'.
-- (SQLite cannot change a CHECK in place: the table is rebuilt, its rows kept.)

CREATE TABLE held_notices_new (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL,
    observation_id  INTEGER NOT NULL REFERENCES observations (id) ON DELETE CASCADE,
    viewer          TEXT NOT NULL CHECK (viewer IN ('coordinator', 'police', 'resident')),
    created_at      TEXT NOT NULL,
    UNIQUE (user_id, observation_id, viewer)
);
INSERT INTO held_notices_new (id, user_id, observation_id, viewer, created_at)
    SELECT id, user_id, observation_id, viewer, created_at FROM held_notices;
DROP TABLE held_notices;
ALTER TABLE held_notices_new RENAME TO held_notices;

-- A weekly digest Telegram refused because the person never opened the private chat with
-- the bot (or blocked it): kept, the newest one per person, until their next private
-- message, when it is enqueued again (bot/services/digest_reach.py).
CREATE TABLE held_digests (
    user_id     INTEGER PRIMARY KEY,
    week        TEXT NOT NULL,
    payload     TEXT NOT NULL,                    -- the outbox payload (JSON)
    created_at  TEXT NOT NULL
);
