-- Dialogues in progress (ConversationHandler state lives in memory): one row per person,
-- chat and dialogue while it runs, so that after a restart the bot can tell a person
-- whose dialogue was cut off how to start again. `interrupted` is set for every row at
-- start-up: a row the new process has not written itself belongs to a lost dialogue.
CREATE TABLE dialogues (
    user_id      INTEGER NOT NULL,
    chat_id      INTEGER NOT NULL,
    name         TEXT NOT NULL,                   -- the ConversationHandler's name
    state        INTEGER NOT NULL,
    interrupted  INTEGER NOT NULL DEFAULT 0 CHECK (interrupted IN (0, 1)),
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (user_id, chat_id, name)
);
