-- Police tools (issue #14): a group's place, the officer's display title, an alert's
-- optional details and the witness relay.

-- A group's centre, rounded to 3 decimals (latitude: ~110 m; longitude: ~60 m in southern
-- Sweden), and the radius it covers. A group without a row has no place.
CREATE TABLE group_places (
    group_id    INTEGER PRIMARY KEY REFERENCES groups (id) ON DELETE CASCADE,
    latitude    REAL NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude   REAL NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    radius_m    INTEGER NOT NULL DEFAULT 1000 CHECK (radius_m > 0),
    set_by      INTEGER,
    set_at      TEXT NOT NULL
);

-- The title a police officer sends alerts and contacts witnesses under
-- ("Kommunpolisen i Sölvesborg"), set with /profil.
CREATE TABLE police_profiles (
    user_id         INTEGER PRIMARY KEY,
    display_title   TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);

-- What an alert shows beyond its text: the sender line, a "Läs mer" link (https) and the
-- police event number. Alerts without a row show none of them.
CREATE TABLE alert_details (
    alert_id        INTEGER PRIMARY KEY REFERENCES alerts (id) ON DELETE CASCADE,
    sender_title    TEXT,
    link            TEXT,
    event_number    TEXT
);

-- An officer's contact with a resident who reported an observation under their name. The
-- messages themselves are not stored: each relayed one is an audit entry (who, when).
CREATE TABLE relay_sessions (
    id              INTEGER PRIMARY KEY,
    observation_id  INTEGER NOT NULL,
    officer_id      INTEGER NOT NULL,
    resident_id     INTEGER NOT NULL,
    officer_title   TEXT NOT NULL,
    started_at      TEXT NOT NULL,
    ended_at        TEXT,
    ended_by        INTEGER
);
-- One open contact per person at a time (either side), so a message has one destination.
CREATE UNIQUE INDEX relay_open_officer ON relay_sessions (officer_id) WHERE ended_at IS NULL;
CREATE UNIQUE INDEX relay_open_resident ON relay_sessions (resident_id) WHERE ended_at IS NULL;
