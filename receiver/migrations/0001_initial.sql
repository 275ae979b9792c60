-- migration 1: initial

CREATE TABLE IF NOT EXISTS callbacks (
    id           uuid        PRIMARY KEY,
    received_at  timestamptz NOT NULL,
    provider     text        NOT NULL,
    method       text        NOT NULL,
    query        text        NOT NULL DEFAULT '',
    headers      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    content_type text,
    body         bytea       NOT NULL DEFAULT ''::bytea,
    parse_error  text
);
COMMENT ON TABLE callbacks IS 'One row per accepted HTTP callback request, exactly as received, for audit and re-parsing.';
COMMENT ON COLUMN callbacks.id IS 'Id given to the request when it was received (time-ordered UUID); replays of a spooled request reuse it, so it is stored once.';
COMMENT ON COLUMN callbacks.received_at IS 'When the receiver accepted the request (UTC).';
COMMENT ON COLUMN callbacks.provider IS 'Provider slug from the callback URL, e.g. dynmark, cdyne, smartswitch, smpp.';
COMMENT ON COLUMN callbacks.method IS 'HTTP method, GET or POST.';
COMMENT ON COLUMN callbacks.query IS 'Raw query string, without the leading question mark.';
COMMENT ON COLUMN callbacks.headers IS 'Request headers (lower-cased names); credentials such as Authorization and cookies are redacted.';
COMMENT ON COLUMN callbacks.content_type IS 'Content-Type header as sent, null when absent.';
COMMENT ON COLUMN callbacks.body IS 'Raw request body bytes (empty for GET callbacks).';
COMMENT ON COLUMN callbacks.parse_error IS 'Why the request could not be normalized; null when it was parsed.';
CREATE INDEX IF NOT EXISTS callbacks_received_at_idx ON callbacks (received_at);
CREATE INDEX IF NOT EXISTS callbacks_parse_error_idx ON callbacks (received_at) WHERE parse_error IS NOT NULL;

CREATE TABLE IF NOT EXISTS delivery_events (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    callback_id     uuid        NOT NULL REFERENCES callbacks (id),
    provider        text        NOT NULL,
    message_key     text,
    message_id      text,
    client_ref      text,
    recipient       text,
    status          text        NOT NULL CHECK (status IN ('queued', 'sent', 'delivered', 'undelivered', 'expired', 'rejected', 'unknown')),
    provider_status text,
    error_code      text,
    error_detail    text,
    occurred_at     timestamptz,
    occurred_at_raw text,
    received_at     timestamptz NOT NULL,
    dedup_key       bytea       NOT NULL CHECK (octet_length(dedup_key) = 16),
    CONSTRAINT delivery_events_dedup UNIQUE (provider, dedup_key)
);
COMMENT ON TABLE delivery_events IS 'One row per distinct delivery-status event; provider retries of the same event are stored once.';
COMMENT ON COLUMN delivery_events.id IS 'Surrogate key, increasing in insert order.';
COMMENT ON COLUMN delivery_events.callback_id IS 'The callbacks row this event was read from.';
COMMENT ON COLUMN delivery_events.provider IS 'Provider slug.';
COMMENT ON COLUMN delivery_events.message_key IS 'Identity of the message within the provider (id:<message_id>, or ref:<client_ref>:<recipient> where the provider sends no id); joins to messages.';
COMMENT ON COLUMN delivery_events.message_id IS 'The provider''s transaction/message id; null where the provider sends none.';
COMMENT ON COLUMN delivery_events.client_ref IS 'The sender''s own reference for the message; null where none.';
COMMENT ON COLUMN delivery_events.recipient IS 'Destination number as E.164 digits without +, where it could be normalized; else as given.';
COMMENT ON COLUMN delivery_events.status IS 'Normalized status: queued, sent, delivered, undelivered, expired, rejected or unknown.';
COMMENT ON COLUMN delivery_events.provider_status IS 'The provider''s own raw status value, as given.';
COMMENT ON COLUMN delivery_events.error_code IS 'The provider''s or carrier''s error code, as given.';
COMMENT ON COLUMN delivery_events.error_detail IS 'Human-readable error or status text from the provider.';
COMMENT ON COLUMN delivery_events.occurred_at IS 'When the provider says the event happened (UTC); null if it did not say.';
COMMENT ON COLUMN delivery_events.occurred_at_raw IS 'The provider''s event time exactly as sent.';
COMMENT ON COLUMN delivery_events.received_at IS 'When the receiver accepted the callback carrying this event (UTC).';
COMMENT ON COLUMN delivery_events.dedup_key IS '128-bit digest of the event''s identity (message, statuses, error, event time); unique per provider so retries collapse.';
CREATE INDEX IF NOT EXISTS delivery_events_message_idx ON delivery_events (provider, message_key);
CREATE INDEX IF NOT EXISTS delivery_events_callback_idx ON delivery_events (callback_id);
CREATE INDEX IF NOT EXISTS delivery_events_received_at_idx ON delivery_events (received_at);
CREATE INDEX IF NOT EXISTS delivery_events_client_ref_idx ON delivery_events (client_ref) WHERE client_ref IS NOT NULL;

CREATE TABLE IF NOT EXISTS messages (
    provider         text        NOT NULL,
    message_key      text        NOT NULL,
    message_id       text,
    client_ref       text,
    recipient        text,
    status           text        NOT NULL,
    status_rank      smallint    NOT NULL,
    status_at        timestamptz NOT NULL,
    provider_status  text,
    error_code       text,
    error_detail     text,
    first_event_at   timestamptz NOT NULL,
    last_event_at    timestamptz NOT NULL,
    last_received_at timestamptz NOT NULL,
    delivered_at     timestamptz,
    final_at         timestamptz,
    event_count      integer     NOT NULL,
    PRIMARY KEY (provider, message_key)
);
COMMENT ON TABLE messages IS 'Current state of each outbound message, projected from delivery_events; the status never moves backwards.';
COMMENT ON COLUMN messages.provider IS 'Provider slug.';
COMMENT ON COLUMN messages.message_key IS 'Identity of the message within the provider (see delivery_events.message_key).';
COMMENT ON COLUMN messages.message_id IS 'The provider''s message id, from the first event that carried one.';
COMMENT ON COLUMN messages.client_ref IS 'The sender''s own reference, from the first event that carried one.';
COMMENT ON COLUMN messages.recipient IS 'Destination number (E.164 digits without + where normalizable).';
COMMENT ON COLUMN messages.status IS 'Current normalized status. A final status is never replaced by a non-final one; unknown is the weakest final.';
COMMENT ON COLUMN messages.status_rank IS 'Precedence of status: 1 queued, 2 sent, 3 unknown, 4 delivered/undelivered/expired/rejected; 3 and above are final.';
COMMENT ON COLUMN messages.status_at IS 'Event time of the event that set the current status (provider time, else receipt time).';
COMMENT ON COLUMN messages.provider_status IS 'Raw provider status of the event that set the current status.';
COMMENT ON COLUMN messages.error_code IS 'Error code of the event that set the current status.';
COMMENT ON COLUMN messages.error_detail IS 'Error text of the event that set the current status.';
COMMENT ON COLUMN messages.first_event_at IS 'Earliest event time seen for the message (provider time, else receipt time).';
COMMENT ON COLUMN messages.last_event_at IS 'Latest event time seen for the message (provider time, else receipt time).';
COMMENT ON COLUMN messages.last_received_at IS 'When the latest event for the message was received; drives stale_messages.';
COMMENT ON COLUMN messages.delivered_at IS 'Earliest time a delivered event reports; null if never delivered.';
COMMENT ON COLUMN messages.final_at IS 'Earliest time of any final-status event; null while the message is not final.';
COMMENT ON COLUMN messages.event_count IS 'Number of distinct events stored for the message.';
CREATE INDEX IF NOT EXISTS messages_client_ref_idx ON messages (client_ref) WHERE client_ref IS NOT NULL;
CREATE INDEX IF NOT EXISTS messages_recipient_idx ON messages (recipient);
CREATE INDEX IF NOT EXISTS messages_status_idx ON messages (status, last_received_at);

CREATE TABLE IF NOT EXISTS inbound_messages (
    id                 bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    callback_id        uuid        NOT NULL REFERENCES callbacks (id),
    provider           text        NOT NULL,
    message_id         text,
    sender             text,
    recipient          text,
    text               text,
    occurred_at        timestamptz,
    occurred_at_raw    text,
    received_at        timestamptz NOT NULL,
    related_message_id text,
    related_client_ref text,
    is_opt_out         boolean     NOT NULL DEFAULT false,
    keyword            text,
    dedup_key          bytea       NOT NULL CHECK (octet_length(dedup_key) = 16),
    CONSTRAINT inbound_messages_dedup UNIQUE (provider, dedup_key)
);
COMMENT ON TABLE inbound_messages IS 'Replies and opt-outs sent by handsets (CDYNE SMSResponse, Dynmark inbound, STOP keywords), stored once per distinct message.';
COMMENT ON COLUMN inbound_messages.id IS 'Surrogate key, increasing in insert order.';
COMMENT ON COLUMN inbound_messages.callback_id IS 'The callbacks row this message was read from.';
COMMENT ON COLUMN inbound_messages.provider IS 'Provider slug.';
COMMENT ON COLUMN inbound_messages.message_id IS 'The provider''s id of the inbound message, where given.';
COMMENT ON COLUMN inbound_messages.sender IS 'The handset that replied (E.164 digits without + where normalizable).';
COMMENT ON COLUMN inbound_messages.recipient IS 'The number or short code replied to.';
COMMENT ON COLUMN inbound_messages.text IS 'Message text.';
COMMENT ON COLUMN inbound_messages.occurred_at IS 'When the provider received the reply (UTC); null if not given.';
COMMENT ON COLUMN inbound_messages.occurred_at_raw IS 'The provider''s time exactly as sent.';
COMMENT ON COLUMN inbound_messages.received_at IS 'When the receiver accepted the callback (UTC).';
COMMENT ON COLUMN inbound_messages.related_message_id IS 'The provider id of the outbound message this replies to, where the provider links them.';
COMMENT ON COLUMN inbound_messages.related_client_ref IS 'The client reference of the outbound message this replies to, where given.';
COMMENT ON COLUMN inbound_messages.is_opt_out IS 'True when the reply is an opt-out (a STOP-type keyword, or the provider flags it).';
COMMENT ON COLUMN inbound_messages.keyword IS 'The opt-out keyword recognised, upper-cased; null when not an opt-out.';
COMMENT ON COLUMN inbound_messages.dedup_key IS '128-bit digest of the message''s identity; unique per provider so retries collapse.';
CREATE INDEX IF NOT EXISTS inbound_messages_received_at_idx ON inbound_messages (received_at);
CREATE INDEX IF NOT EXISTS inbound_messages_related_idx ON inbound_messages (provider, related_message_id);

-- Non-final messages with no event for `receiver.stale_after` (a setting; default 24 hours):
-- SET receiver.stale_after = '2 hours' per session, or ALTER DATABASE ... SET for everyone.
CREATE OR REPLACE VIEW stale_messages AS
SELECT m.*, now() - m.last_received_at AS silent_for
FROM messages m
WHERE m.status_rank < 3
  AND m.last_received_at < now() - coalesce(nullif(current_setting('receiver.stale_after', true), '')::interval, interval '24 hours');
COMMENT ON VIEW stale_messages IS 'Messages still queued or sent with no event for receiver.stale_after (default 24 hours).';
