-- A coordinator may have their group's lägesbild chart come with the Monday digest
-- (issue #17: "the text stays for coordinators, with an optional chart"). One row per
-- group that has it on (off by default: no row); who turned it on is in the audit log.
CREATE TABLE group_digest_charts (
    group_id    INTEGER PRIMARY KEY REFERENCES groups (id) ON DELETE CASCADE,
    enabled_at  TEXT NOT NULL
);
