-- Whether the bot can write to a person privately, and staff notifications that wait for it.
-- Telegram refuses a private message to someone who never opened the chat with the bot
-- (403 "bot can't initiate conversation with a user") or who blocked it.

CREATE TABLE private_reach (
    user_id     INTEGER PRIMARY KEY,              -- Telegram user id
    open        INTEGER NOT NULL,                 -- 1: wrote to the bot privately; 0: refused (403)
    updated_at  TEXT NOT NULL
);

-- A notification about an observation Telegram refused for that reason; it is delivered
-- (re-rendered, permission re-checked) on the person's next private message.
CREATE TABLE held_notices (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL,
    observation_id  INTEGER NOT NULL REFERENCES observations (id) ON DELETE CASCADE,
    viewer          TEXT NOT NULL CHECK (viewer IN ('coordinator', 'police')),
    created_at      TEXT NOT NULL,
    UNIQUE (user_id, observation_id, viewer)
);
