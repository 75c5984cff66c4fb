-- Medborgardialog (surveys sent as anonymous Telegram polls) and announced police presence.
--
-- surveys: one question with its answers (JSON list of texts), who made it and when it
-- closes. `closed_at` is set once closing started (early, or by the scheduler at
-- `closes_at`): the scheduler reads the open ones by closes_at (surveys_due).
CREATE TABLE surveys (
    id                INTEGER PRIMARY KEY,
    creator_id        INTEGER NOT NULL,
    creator_language  TEXT NOT NULL,
    question          TEXT NOT NULL,
    options           TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    closes_at         TEXT NOT NULL,
    closed_at         TEXT
);
CREATE INDEX surveys_due ON surveys (closes_at) WHERE closed_at IS NULL;
CREATE INDEX surveys_creator ON surveys (creator_id, id);
CREATE INDEX surveys_created ON surveys (created_at);

-- One poll per survey and group. poll_id/chat_id/message_id are known once it was sent;
-- counts (JSON list of voter counts per answer) and total_voters follow Telegram's `poll`
-- updates. Polls are anonymous: no voter is ever stored.
CREATE TABLE survey_polls (
    survey_id     INTEGER NOT NULL REFERENCES surveys (id),
    group_id      INTEGER NOT NULL REFERENCES groups (id),
    poll_id       TEXT UNIQUE,
    chat_id       INTEGER,
    message_id    INTEGER,
    counts        TEXT NOT NULL DEFAULT '[]',
    total_voters  INTEGER NOT NULL DEFAULT 0,
    is_closed     INTEGER NOT NULL DEFAULT 0 CHECK (is_closed IN (0, 1)),
    PRIMARY KEY (survey_id, group_id)
) WITHOUT ROWID;

-- presences: "police on site": what, where (text, optional location), start and end.
-- status: active | cancelled. Moving it changes starts_at/ends_at (and the reminders).
CREATE TABLE presences (
    id                INTEGER PRIMARY KEY,
    creator_id        INTEGER NOT NULL,
    creator_language  TEXT NOT NULL,
    what              TEXT NOT NULL,
    place             TEXT NOT NULL,
    latitude          REAL,
    longitude         REAL,
    starts_at         TEXT NOT NULL,
    ends_at           TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
CREATE INDEX presences_creator ON presences (creator_id, id);
CREATE INDEX presences_created ON presences (created_at);

-- The groups a presence was announced to (so cancel/move replies reach each of them).
CREATE TABLE presence_groups (
    presence_id  INTEGER NOT NULL REFERENCES presences (id),
    group_id     INTEGER NOT NULL REFERENCES groups (id),
    PRIMARY KEY (presence_id, group_id)
) WITHOUT ROWID;

-- "🔔 Påminn mig": one row per person and presence; the scheduler sends the private
-- reminder at remind_at and sets sent_at (in the same transaction as the outbox row).
CREATE TABLE presence_reminders (
    presence_id  INTEGER NOT NULL REFERENCES presences (id),
    user_id      INTEGER NOT NULL,
    remind_at    TEXT NOT NULL,
    sent_at      TEXT,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (presence_id, user_id)
) WITHOUT ROWID;
CREATE INDEX presence_reminders_due ON presence_reminders (remind_at) WHERE sent_at IS NULL;
