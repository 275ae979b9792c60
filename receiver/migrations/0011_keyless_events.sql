-- migration 11: every event has a message key

-- delivery_events.message_key is the distribution column of a distributed layout
-- (docs/scaling.md, "Past one Postgres: Citus"), which Citus requires to be non-null. Events
-- whose provider sends neither a message id nor a client reference had none; the projector now
-- gives them a key of their own, 'keyless:' and the hex of their dedup digest
-- (receiver/records.py, keyless_key), which no real key can be (those start 'id:', 'ref:' or
-- 'batch:'), and keeps them out of messages as it kept null keys out. The events stored before
-- get the same key here, so a retry of one of them, or a re-projection of its callback, still
-- finds it. inbound_messages has no message key: nothing to do there.
--
-- Writers of delivery_events (the projector) wait for this migration; the ack path does not
-- write here. The lock is taken first, so no null key can be written between the backfill and
-- the NOT NULL check, which reads every partition.
LOCK TABLE delivery_events IN SHARE MODE;
UPDATE delivery_events SET message_key = 'keyless:' || encode(dedup_key, 'hex')
WHERE message_key IS NULL;
ALTER TABLE delivery_events ALTER COLUMN message_key SET NOT NULL;
COMMENT ON COLUMN delivery_events.message_key IS 'Identity of the message within the provider (id:<message_id>, or ref:<client_ref>:<recipient> where the provider sends no id); joins to messages. keyless:<hex of dedup_key> for an event that names no message: such events are in no messages row.';
