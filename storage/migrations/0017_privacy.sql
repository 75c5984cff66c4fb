-- Data protection (issue #15): the access log is read by kind (`audit list --kind access`),
-- and handled updates no longer keep their JSON (people's names and messages).
CREATE INDEX audit_log_action ON audit_log (action, id);
UPDATE update_inbox SET payload = '{}' WHERE done_at IS NOT NULL;
