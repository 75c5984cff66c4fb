-- The kommun role (issue #17): kommunens trygghetssamordnare / säkerhetschef, scope = kommun
-- code, aggregates only. SQLite cannot alter a CHECK constraint, so `roles` and
-- `invitations` are rebuilt: new table, every row copied, old dropped, new renamed. The
-- runner wraps this file in one transaction, so a failure leaves both tables as they were.

CREATE TABLE roles_new (
    user_id         INTEGER NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('coordinator', 'police', 'kommun')),
    scope           TEXT NOT NULL,
    granted_by      INTEGER,                      -- NULL: granted from the CLI
    granted_at      TEXT NOT NULL,
    PRIMARY KEY (user_id, role, scope)
);
INSERT INTO roles_new (user_id, role, scope, granted_by, granted_at)
    SELECT user_id, role, scope, granted_by, granted_at FROM roles;
DROP TABLE roles;
ALTER TABLE roles_new RENAME TO roles;
CREATE INDEX roles_scope ON roles (role, scope);

CREATE TABLE invitations_new (
    id              INTEGER PRIMARY KEY,
    code_hash       TEXT NOT NULL UNIQUE,         -- sha256 of the code; the code itself is never stored
    role            TEXT NOT NULL CHECK (role IN ('police', 'kommun')),
    scopes          TEXT NOT NULL,                -- JSON list of kommun codes
    created_by      INTEGER,
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    used_by         INTEGER,
    used_at         TEXT
);
INSERT INTO invitations_new (id, code_hash, role, scopes, created_by, created_at, expires_at,
                             used_by, used_at)
    SELECT id, code_hash, role, scopes, created_by, created_at, expires_at, used_by, used_at
    FROM invitations;
DROP TABLE invitations;
ALTER TABLE invitations_new RENAME TO invitations;

-- The lägesbild reads a kommun's observations of a period by week, category and place:
-- a covering index, so a year of one kommun is read from the index alone.
CREATE INDEX observations_lagesbild
    ON observations (kommun_code, created_at, category, status, latitude, longitude);
