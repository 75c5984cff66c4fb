-- Watch groups (Telegram groups the bot is in), who belongs to them, roles, invitations,
-- the audit log, and the outbox every later message goes through.

CREATE TABLE groups (
    id              INTEGER PRIMARY KEY,
    chat_id         INTEGER NOT NULL UNIQUE,      -- current Telegram chat id (moves on migration)
    title           TEXT NOT NULL DEFAULT '',
    area_name       TEXT,                         -- set by the coordinator at registration
    kommun_code     TEXT,                         -- 4-digit kommun code, see bot/data/kommuner.csv
    language        TEXT NOT NULL DEFAULT 'sv' CHECK (language IN ('sv', 'en')),
    bot_present     INTEGER NOT NULL DEFAULT 1,   -- 0 when the bot was removed or got 403
    registered_at   TEXT,                         -- NULL: known but not (or no longer) registered
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX groups_kommun ON groups (kommun_code) WHERE registered_at IS NOT NULL;

-- Chat ids a group had before a supergroup migration, so late updates still find it.
CREATE TABLE group_chat_aliases (
    old_chat_id     INTEGER PRIMARY KEY,
    group_id        INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    migrated_at     TEXT NOT NULL
);

CREATE TABLE memberships (
    group_id        INTEGER NOT NULL REFERENCES groups (id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users (telegram_id) ON DELETE CASCADE,
    source          TEXT NOT NULL,                -- message, joined, chat_member, deep_link
    joined_at       TEXT NOT NULL,
    left_at         TEXT,                         -- NULL while a member
    PRIMARY KEY (group_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id) WHERE left_at IS NULL;

-- role: coordinator (scope = groups.id) or police (scope = kommun code).
-- Admins come from ADMIN_USER_IDS, not from this table.
CREATE TABLE roles (
    user_id         INTEGER NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('coordinator', 'police')),
    scope           TEXT NOT NULL,
    granted_by      INTEGER,                      -- NULL: granted from the CLI
    granted_at      TEXT NOT NULL,
    PRIMARY KEY (user_id, role, scope)
);
CREATE INDEX roles_scope ON roles (role, scope);

CREATE TABLE invitations (
    id              INTEGER PRIMARY KEY,
    code_hash       TEXT NOT NULL UNIQUE,         -- sha256 of the code; the code itself is never stored
    role            TEXT NOT NULL CHECK (role IN ('police')),
    scopes          TEXT NOT NULL,                -- JSON list of kommun codes
    created_by      INTEGER,
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    used_by         INTEGER,
    used_at         TEXT
);

CREATE TABLE audit_log (
    id              INTEGER PRIMARY KEY,
    at              TEXT NOT NULL,
    actor_id        INTEGER,                      -- NULL: the command line
    action          TEXT NOT NULL,                -- e.g. role.grant, role.revoke, group.register
    subject         TEXT NOT NULL,
    details         TEXT NOT NULL DEFAULT '{}'    -- JSON
);
CREATE INDEX audit_log_at ON audit_log (at);

-- Everything sent later goes through the outbox; bot/delivery.py drains it by priority.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    priority        INTEGER NOT NULL,             -- 1 alert, 2 scheduled (tips, digests), see bot/ratelimit.py
    kind            TEXT NOT NULL,                -- alert, tip, digest, observation, notice
    ref_id          INTEGER,                      -- the alert/tip/observation this message is about
    group_id        INTEGER REFERENCES groups (id) ON DELETE CASCADE,  -- target group, resolved to its chat id at send time
    chat_id         INTEGER,                      -- target private chat when group_id is NULL
    payload         TEXT NOT NULL,                -- JSON: text, photo, reply_markup
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    not_before      TEXT,                         -- retry back-off
    message_id      INTEGER,                      -- Telegram message id once sent
    error           TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    CHECK (group_id IS NOT NULL OR chat_id IS NOT NULL)
);
CREATE INDEX outbox_due ON outbox (priority, id) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_ref ON outbox (kind, ref_id);
