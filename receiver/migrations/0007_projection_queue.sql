-- migration 7: projection queue

-- Raw first. The ack path stores only the raw request (callbacks) and its place in this queue;
-- the projector (receiver/projector.py) claims queued callbacks in batches with SKIP LOCKED,
-- reads events, messages and replies from them, and deletes their queue rows in the same
-- transaction, so a crash re-projects at most its own uncommitted batch. Callbacks stored
-- before this migration were projected when they arrived, so none is queued.
CREATE TABLE IF NOT EXISTS projection_queue (
    callback_id uuid PRIMARY KEY  -- no foreign key: a check per row on the ack path, for nothing
);
COMMENT ON TABLE projection_queue IS 'Callbacks stored but not yet projected into delivery_events, messages and inbound_messages; a row leaves in the transaction that projects its callback. receiver reparse queues callbacks again.';
COMMENT ON COLUMN projection_queue.callback_id IS 'The callbacks row to project; ids are time-ordered, and the projector takes the oldest first.';
