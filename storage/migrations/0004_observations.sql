-- Residents' observations (reported privately), their photos, coordinators' notes and
-- forwards to the police of the group's kommun. See docs/observations.md.

CREATE TABLE observations (
    id              INTEGER PRIMARY KEY,
    ref_year        INTEGER NOT NULL,             -- the human reference O-<year>-<number>:
    ref_number      INTEGER NOT NULL,             --   numbered from 1 within each year
    reference       TEXT GENERATED ALWAYS AS (printf('O-%d-%04d', ref_year, ref_number)) VIRTUAL,
    group_id        INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    kommun_code     TEXT,                         -- the group's kommun when reported
    reporter_id     INTEGER NOT NULL,             -- Telegram user id of the resident
    show_identity   INTEGER NOT NULL DEFAULT 0,   -- 1: coordinators/police may see who reported
    category        TEXT NOT NULL,                -- see bot/services/observations.py CATEGORIES
    observed_at     TEXT NOT NULL,                -- when it was seen (UTC)
    place_text      TEXT,                         -- typed place or address (<= 200 chars)
    latitude        REAL,                         -- shared location, rounded to 3 decimals
    longitude       REAL,                         --   unless location_exact = 1
    location_exact  INTEGER NOT NULL DEFAULT 0,
    description     TEXT NOT NULL,                -- <= 2000 chars
    status          TEXT NOT NULL DEFAULT 'new'
                    CHECK (status IN ('new', 'reviewed', 'forwarded', 'closed', 'withdrawn')),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (ref_year, ref_number)                 -- also gives the next number per year fast
);
-- Coordinator listing (per group, newest first) and the resident's own list / rate limit.
CREATE INDEX observations_group ON observations (group_id, id);
CREATE INDEX observations_group_status ON observations (group_id, status, id);
CREATE INDEX observations_reporter ON observations (reporter_id, created_at);
-- Exports by period (CLI, optionally per kommun).
CREATE INDEX observations_kommun_created ON observations (kommun_code, created_at);

CREATE TABLE observation_photos (
    id              INTEGER PRIMARY KEY,
    observation_id  INTEGER NOT NULL REFERENCES observations (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    file_id         TEXT NOT NULL,                -- Telegram file_id (re-sendable by this bot)
    file_unique_id  TEXT NOT NULL,
    file_size       INTEGER
);
CREATE INDEX observation_photos_obs ON observation_photos (observation_id, position);

CREATE TABLE observation_notes (
    id              INTEGER PRIMARY KEY,
    observation_id  INTEGER NOT NULL REFERENCES observations (id) ON DELETE CASCADE,
    author_id       INTEGER NOT NULL,
    text            TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX observation_notes_obs ON observation_notes (observation_id, id);

-- One forward per observation, to the police of the group's kommun.
CREATE TABLE observation_forwards (
    observation_id  INTEGER PRIMARY KEY REFERENCES observations (id) ON DELETE CASCADE,
    kommun_code     TEXT NOT NULL,
    forwarded_by    INTEGER NOT NULL,
    forwarded_at    TEXT NOT NULL,
    handled_by      INTEGER,
    handled_at      TEXT                          -- NULL until a police officer marks it handled
);
CREATE INDEX observation_forwards_inbox ON observation_forwards (kommun_code, forwarded_at);
