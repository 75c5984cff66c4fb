-- The police's open events feed (bot/feed): events seen, deliveries, per-group settings,
-- every call made to the API (for the politeness budget across restarts) and feed state.

-- Every event id seen, with a hash of its content, kept at least 60 days (bot/feed/service.py).
CREATE TABLE feed_events (
    id              INTEGER PRIMARY KEY,          -- the police's event id
    content_hash    TEXT NOT NULL,                -- of title, summary, type
    name            TEXT NOT NULL,
    summary         TEXT NOT NULL,
    url             TEXT NOT NULL,
    type            TEXT NOT NULL,
    category        TEXT,                         -- bot/feed/types.py; NULL: unknown type
    routing         TEXT NOT NULL CHECK (routing IN ('kommun', 'lan', 'unknown_place')),
    kommun_code     TEXT,
    lan_code        TEXT,
    incident_at     TEXT,
    published_at    TEXT NOT NULL,
    status          TEXT NOT NULL,                -- sent, baseline, old, unknown_type, not_sent, replay
    first_seen_at   TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX feed_events_seen ON feed_events (first_seen_at);
CREATE INDEX feed_events_kommun ON feed_events (kommun_code, published_at);
CREATE INDEX feed_events_lan ON feed_events (lan_code, published_at) WHERE routing = 'lan';

-- One row per (event, group) ever enqueued: the unique key that makes delivery once-only.
CREATE TABLE feed_deliveries (
    event_id        INTEGER NOT NULL,
    group_id        INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (event_id, group_id)
);

-- Coordinators' choices; a group without a row uses the defaults below.
CREATE TABLE feed_group_settings (
    group_id        INTEGER PRIMARY KEY REFERENCES groups (id) ON DELETE CASCADE,
    categories      TEXT NOT NULL DEFAULT 'burglary',   -- comma-separated, bot/feed/types.CHOOSABLE
    lan_mode        TEXT NOT NULL DEFAULT 'summary' CHECK (lan_mode IN ('message', 'summary', 'off')),
    quiet_start     TEXT DEFAULT '22:00',          -- HH:MM local; NULL (both): no quiet hours
    quiet_end       TEXT DEFAULT '07:00',
    updated_by      INTEGER,
    updated_at      TEXT NOT NULL
);

-- Every call to the feed, written before the request goes out (a crash still counts it).
CREATE TABLE feed_calls (
    id              INTEGER PRIMARY KEY,
    at              TEXT NOT NULL,
    url             TEXT NOT NULL,
    http_status     INTEGER,
    outcome         TEXT NOT NULL DEFAULT 'pending',  -- ok, baseline, suspect:<why>, http_<n>, error:<kind>
    events          INTEGER,
    new_events      INTEGER,
    sent            INTEGER
);
CREATE INDEX feed_calls_at ON feed_calls (at);

-- Key/value state: not_before (back-off), failures, last_ok_at, gone:<url> (404 seen).
CREATE TABLE feed_state (
    key             TEXT PRIMARY KEY,
    value           TEXT NOT NULL
);

CREATE TABLE feed_unknown_types (
    type            TEXT PRIMARY KEY,
    count           INTEGER NOT NULL,
    first_seen_at   TEXT NOT NULL,
    last_seen_at    TEXT NOT NULL
);
