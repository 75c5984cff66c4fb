-- Police alerts and residents' acknowledgements ("Seen / Sett").
-- Each alert is delivered through the outbox: kind 'alert' (one row per target group,
-- ref_id = alerts.id) and kind 'alert_edit' for updates and withdrawals.

CREATE TABLE alerts (
    id                  INTEGER PRIMARY KEY,
    sender_id           INTEGER NOT NULL,             -- the officer's Telegram user id
    sender_language     TEXT NOT NULL DEFAULT 'sv',   -- for the officer's status message
    category            TEXT NOT NULL,                -- burglary, theft, vehicle, fraud, ...
    body                TEXT NOT NULL,                -- the officer's text (plain, unescaped)
    photo_file_id       TEXT,
    target_kind         TEXT NOT NULL CHECK (target_kind IN ('all', 'kommun', 'groups', 'everywhere')),
    target_scope        TEXT NOT NULL DEFAULT '[]',   -- JSON: kommun codes or group ids
    status              TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'withdrawn')),
    update_text         TEXT,                         -- the latest update (plain)
    updated_text_at     TEXT,
    status_chat_id      INTEGER,                      -- the officer's status message, edited when done
    status_message_id   INTEGER,
    created_at          TEXT NOT NULL,
    done_at             TEXT,                         -- when every delivery row was finished
    withdrawn_at        TEXT
);
CREATE INDEX alerts_sender ON alerts (sender_id, id);

CREATE TABLE alert_acks (
    alert_id    INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL,
    group_id    INTEGER REFERENCES groups (id) ON DELETE SET NULL,
    acked_at    TEXT NOT NULL,
    PRIMARY KEY (alert_id, user_id)
);
