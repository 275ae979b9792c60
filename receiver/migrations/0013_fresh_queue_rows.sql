-- migration 13: the projector skips the removal of stale rows for callbacks never projected

-- Projecting a callback first removes the events and replies it stored before but no longer
-- yields (a callback queued again by `receiver reparse`, after an adapter learned a mapping).
-- For a callback the ack path has just stored there is nothing to remove, yet the two DELETE
-- statements cost every batch their planning, their arrays and their index probes. The ack
-- path now marks its queue rows fresh; every other way into the queue (reparse, the console,
-- an operator's INSERT) leaves the default, so the removal runs for it, as before.
ALTER TABLE projection_queue ADD COLUMN IF NOT EXISTS fresh boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN projection_queue.fresh IS 'Queued by the ack path as it stored the callback, so nothing was projected from it before: the projector skips removing stale rows. False for a callback queued again (receiver reparse, the console).';
