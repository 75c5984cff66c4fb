-- People the bot has met. Telegram user ids are stable and fit in 64 bits.
CREATE TABLE users (
    telegram_id   INTEGER PRIMARY KEY,
    first_name    TEXT NOT NULL DEFAULT '',
    last_name     TEXT,
    username      TEXT,
    language      TEXT CHECK (language IN ('sv', 'en')),
    telegram_language_code TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
