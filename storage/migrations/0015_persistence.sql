-- Dialogues outlive a restart (python-telegram-bot persistence, bot/persistence.py).
--
-- conversations: one row per ConversationHandler (name) and (chat, user) in a dialogue.
-- `state` is the step PTB resumes at; `fingerprint` names the version of the dialogue's
-- steps that wrote it (a row from other steps cannot be resumed). `lost` = 1: the
-- dialogue could not be resumed (its steps changed, or its draft could not be read);
-- such rows are never resumed, only kept to tell the person once how to start again.
CREATE TABLE conversations (
    name         TEXT NOT NULL,
    chat_id      INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    state        INTEGER NOT NULL,
    fingerprint  TEXT NOT NULL,
    lost         INTEGER NOT NULL DEFAULT 0 CHECK (lost IN (0, 1)),
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (user_id, chat_id, name)
);

-- The dialogues recorded by earlier versions (which kept dialogues in memory only) were
-- all lost with their process: keep them as lost, so their people are still told.
INSERT INTO conversations (name, chat_id, user_id, state, fingerprint, lost, updated_at)
SELECT name, chat_id, user_id, state, '', 1, updated_at FROM dialogues;
DROP TABLE dialogues;

-- PTB's user_data of each person (dialogue drafts), pickled; only the bot writes it.
CREATE TABLE user_data (
    user_id     INTEGER PRIMARY KEY,
    data        BLOB NOT NULL,
    updated_at  TEXT NOT NULL
);

-- The draft each stored observation came from: a Send handled again (after a crash, or
-- pressed twice) finds its report here instead of storing a second one.
CREATE TABLE observation_submissions (
    idempotency_key  TEXT PRIMARY KEY,
    observation_id   INTEGER NOT NULL REFERENCES observations (id) ON DELETE CASCADE
);
CREATE INDEX observation_submissions_observation ON observation_submissions (observation_id);
