-- Prevention tips: the library, each group's schedule, and every tip sent to a group.

-- The tip library. Seeded from bot/data/tips.csv at start-up (missing keys inserted;
-- rows nobody edited follow the shipped file); admins and police add, edit, disable.
CREATE TABLE tips (
    id              INTEGER PRIMARY KEY,
    key             TEXT NOT NULL UNIQUE,         -- stable slug, e.g. burglary-timers-dark
    focus           TEXT NOT NULL,                -- see bot/services/tip_library.FOCUS_AREAS
    seasons         TEXT NOT NULL,                -- '|'-separated, see SEASONS
    text_sv         TEXT NOT NULL,
    text_en         TEXT NOT NULL,
    enabled         INTEGER NOT NULL DEFAULT 1,
    source          TEXT NOT NULL DEFAULT 'seed' CHECK (source IN ('seed', 'import', 'manual')),
    updated_by      INTEGER,                      -- NULL: seed file or command line
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

-- One row per group; created with the default (weekly, Monday 18:00 local) when the
-- scheduler first sees an active group without one.
CREATE TABLE tip_schedules (
    group_id        INTEGER PRIMARY KEY REFERENCES groups (id) ON DELETE CASCADE,
    weekday         INTEGER NOT NULL DEFAULT 0 CHECK (weekday BETWEEN 0 AND 6),  -- 0 = Monday
    local_time      TEXT NOT NULL DEFAULT '18:00',                               -- HH:MM local
    frequency       TEXT NOT NULL DEFAULT 'weekly'
                    CHECK (frequency IN ('weekly', 'biweekly', 'monthly', 'off')),
    next_run_at     TEXT,                         -- UTC; NULL when off
    last_run_at     TEXT,                         -- UTC slot last sent or skipped
    updated_by      INTEGER,
    updated_at      TEXT NOT NULL
);
CREATE INDEX tip_schedules_due ON tip_schedules (next_run_at) WHERE next_run_at IS NOT NULL;

-- Every tip enqueued for a group. slot is the scheduled UTC slot (or 'manual:<UTC>' for
-- "send one now"); UNIQUE (group_id, slot) makes sending one slot twice impossible.
CREATE TABLE tip_sends (
    id              INTEGER PRIMARY KEY,
    group_id        INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    tip_id          INTEGER NOT NULL REFERENCES tips (id),
    slot            TEXT NOT NULL,
    trigger         TEXT NOT NULL CHECK (trigger IN ('schedule', 'catch_up', 'manual')),
    enqueued_at     TEXT NOT NULL,
    outcome         TEXT,                         -- from the delivery worker: sent, failed, ...
    outcome_at      TEXT,
    UNIQUE (group_id, slot)
);
CREATE INDEX tip_sends_group_tip ON tip_sends (group_id, tip_id);
