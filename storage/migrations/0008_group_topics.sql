-- Forum supergroups: the topic alerts and tips are posted in, and whether the coordinators
-- were already told that posting there fails (so they are told once, not for every send).
ALTER TABLE groups ADD COLUMN message_thread_id INTEGER;   -- NULL: General / not a forum
ALTER TABLE groups ADD COLUMN topic_error TEXT;            -- Telegram's reason; NULL: fine
