-- The retention pass walks the outbox by primary key (issue #19, storage.outbox.prune_sent):
-- ids grow with created_at, so the rows created before the cutoff are an id range. The
-- index 0016 added for it made every row marked 'sent' write one more b-tree entry (an
-- index over the whole sent history, millions of entries), the cost history must not
-- have; nothing else reads it.
DROP INDEX IF EXISTS outbox_sent;
