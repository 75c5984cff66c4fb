-- A coordinator's listing filters by status, category and period and shows the newest first.
-- The per-group indexes also carry category and created_at, so a filter is decided inside the
-- index (no table row read per candidate): the listing reads the group's entries in id order
-- and only fetches the rows it shows. Same names and leading columns as before (0004), so
-- every other query that used them still does.
DROP INDEX observations_group;
CREATE INDEX observations_group ON observations (group_id, id, status, category, created_at);
DROP INDEX observations_group_status;
CREATE INDEX observations_group_status
    ON observations (group_id, status, id, category, created_at);
