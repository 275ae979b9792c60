-- migration 4: read api indexes

-- The read API lists messages newest first (keyset pagination) and reads a callback's replies.
CREATE INDEX IF NOT EXISTS messages_last_received_idx ON messages (last_received_at DESC, provider, message_key);
CREATE INDEX IF NOT EXISTS inbound_messages_callback_idx ON inbound_messages (callback_id);
