-- receiver: the Postgres schema.
--
-- Dashboards read these tables and views directly: names and columns are stable (columns may be
-- added; none are renamed or removed). `receiver migrate` applies this file. It is split into
-- numbered migrations (`-- migration: N`); each runs once, in its own transaction, and is
-- recorded in receiver_migrations. Every statement is also idempotent, so re-running the
-- migrations by hand, in order, changes nothing.

-- migration: 1

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

-- migration: 2

CREATE TABLE IF NOT EXISTS alerts (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    created_at  timestamptz NOT NULL DEFAULT now(),
    type        text        NOT NULL,
    alert_key   text        NOT NULL,
    provider    text,
    payload     jsonb       NOT NULL,
    notified_at timestamptz
);
COMMENT ON TABLE alerts IS 'Alerts raised by the alert rules; written in the same transaction as the event that caused them, so none is lost.';
COMMENT ON COLUMN alerts.id IS 'Alert id; the webhook-id header of its deliveries is alert_<id>.';
COMMENT ON COLUMN alerts.created_at IS 'When the alert was raised.';
COMMENT ON COLUMN alerts.type IS 'message.failed, message.opted_out, provider.failure_rate or callbacks.silent.';
COMMENT ON COLUMN alerts.alert_key IS 'What the alert is about (a message key, a provider, ...); one alert per rule and key per cool-down.';
COMMENT ON COLUMN alerts.provider IS 'Provider slug, where the alert concerns one provider.';
COMMENT ON COLUMN alerts.payload IS 'The JSON body sent to every alert target.';
COMMENT ON COLUMN alerts.notified_at IS 'When a NOTIFY on channel receiver_alerts announced the alert; null until then.';
CREATE INDEX IF NOT EXISTS alerts_created_at_idx ON alerts (created_at);
CREATE INDEX IF NOT EXISTS alerts_unnotified_idx ON alerts (id) WHERE notified_at IS NULL;

CREATE TABLE IF NOT EXISTS alert_deliveries (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_id        bigint      NOT NULL REFERENCES alerts (id),
    target          text        NOT NULL,
    format          text        NOT NULL DEFAULT 'standard' CHECK (format IN ('standard', 'slack')),
    state           text        NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    delivered_at    timestamptz,
    CONSTRAINT alert_deliveries_once UNIQUE (alert_id, target)
);
COMMENT ON TABLE alert_deliveries IS 'Outbox: one row per alert and target, retried with backoff until delivered or given up.';
COMMENT ON COLUMN alert_deliveries.id IS 'Surrogate key.';
COMMENT ON COLUMN alert_deliveries.alert_id IS 'The alert to deliver.';
COMMENT ON COLUMN alert_deliveries.target IS 'URL the alert is POSTed to.';
COMMENT ON COLUMN alert_deliveries.format IS 'standard (signed JSON per Standard Webhooks) or slack (a Slack-compatible text body).';
COMMENT ON COLUMN alert_deliveries.state IS 'pending, delivered, or failed (given up; see last_error).';
COMMENT ON COLUMN alert_deliveries.attempts IS 'Delivery attempts made so far.';
COMMENT ON COLUMN alert_deliveries.next_attempt_at IS 'Earliest time of the next attempt.';
COMMENT ON COLUMN alert_deliveries.last_error IS 'Why the last attempt failed, and why delivery was given up.';
COMMENT ON COLUMN alert_deliveries.delivered_at IS 'When the target answered 2xx.';
CREATE INDEX IF NOT EXISTS alert_deliveries_due_idx ON alert_deliveries (next_attempt_at) WHERE state = 'pending';

CREATE TABLE IF NOT EXISTS alert_cooldowns (
    rule      text        NOT NULL,
    alert_key text        NOT NULL,
    until     timestamptz NOT NULL,
    PRIMARY KEY (rule, alert_key)
);
COMMENT ON TABLE alert_cooldowns IS 'Bounds alert storms: while until is in the future, the same rule raises no new alert for the same key.';
COMMENT ON COLUMN alert_cooldowns.rule IS 'Alert type.';
COMMENT ON COLUMN alert_cooldowns.alert_key IS 'What the alert is about.';
COMMENT ON COLUMN alert_cooldowns.until IS 'End of the cool-down.';

-- migration: 3

-- Dashboard views (docs/dashboards.md). Every time bucket is a UTC hour or day, computed with
-- date_trunc(field, ts, 'UTC'): immutable, so expression indexes match it and a dashboard's
-- `WHERE day >= now() - interval '7 days'` (or Grafana's $__timeFilter(day)) on a view is pushed
-- below the GROUP BY into an index range scan, whatever the session's TimeZone.

-- Per provider and UTC hour: events by normalized status and the delivery rate among events
-- that reached a final status.
CREATE OR REPLACE VIEW delivery_stats_hourly AS
SELECT
    provider,
    date_trunc('hour', received_at, 'UTC')               AS hour,
    count(*)                                             AS events,
    count(*) FILTER (WHERE status = 'queued')            AS queued,
    count(*) FILTER (WHERE status = 'sent')              AS sent,
    count(*) FILTER (WHERE status = 'delivered')         AS delivered,
    count(*) FILTER (WHERE status = 'undelivered')       AS undelivered,
    count(*) FILTER (WHERE status = 'expired')           AS expired,
    count(*) FILTER (WHERE status = 'rejected')          AS rejected,
    count(*) FILTER (WHERE status = 'unknown')           AS unknown,
    round(
        count(*) FILTER (WHERE status = 'delivered')::numeric
        / nullif(count(*) FILTER (WHERE status IN ('delivered', 'undelivered', 'expired', 'rejected', 'unknown')), 0),
        4
    )                                                    AS delivery_rate
FROM delivery_events
GROUP BY provider, date_trunc('hour', received_at, 'UTC');
COMMENT ON VIEW delivery_stats_hourly IS 'Per provider and UTC hour of receipt: event counts by normalized status and delivered / final events (delivery_rate, null when no final events). Counts events, not messages: a message with a sent and a delivered event counts in both columns.';
COMMENT ON COLUMN delivery_stats_hourly.provider IS 'Provider slug.';
COMMENT ON COLUMN delivery_stats_hourly.hour IS 'Start of the UTC hour in which the events were received (delivery_events.received_at).';
COMMENT ON COLUMN delivery_stats_hourly.events IS 'Events received in the hour.';
COMMENT ON COLUMN delivery_stats_hourly.queued IS 'Events with status queued.';
COMMENT ON COLUMN delivery_stats_hourly.sent IS 'Events with status sent.';
COMMENT ON COLUMN delivery_stats_hourly.delivered IS 'Events with status delivered.';
COMMENT ON COLUMN delivery_stats_hourly.undelivered IS 'Events with status undelivered.';
COMMENT ON COLUMN delivery_stats_hourly.expired IS 'Events with status expired.';
COMMENT ON COLUMN delivery_stats_hourly.rejected IS 'Events with status rejected.';
COMMENT ON COLUMN delivery_stats_hourly.unknown IS 'Events with status unknown.';
COMMENT ON COLUMN delivery_stats_hourly.delivery_rate IS 'delivered / (delivered + undelivered + expired + rejected + unknown) events, 4 decimals; null when the hour has no final event.';
-- Index-only scans for a time range of delivery_stats_hourly: the bucket, then what it groups and
-- counts by (received_at is included only because the planner will not consider an index-only
-- scan of an expression index without the column the expression reads). The one index this
-- migration adds to the hot insert path of delivery_events.
CREATE INDEX IF NOT EXISTS delivery_events_hour_idx
    ON delivery_events ((date_trunc('hour', received_at, 'UTC')), provider, status) INCLUDE (received_at);

COMMENT ON COLUMN stale_messages.provider IS 'Provider slug.';
COMMENT ON COLUMN stale_messages.message_key IS 'Identity of the message within the provider (see delivery_events.message_key).';
COMMENT ON COLUMN stale_messages.message_id IS 'The provider''s message id, from the first event that carried one.';
COMMENT ON COLUMN stale_messages.client_ref IS 'The sender''s own reference, from the first event that carried one.';
COMMENT ON COLUMN stale_messages.recipient IS 'Destination number (E.164 digits without + where normalizable).';
COMMENT ON COLUMN stale_messages.status IS 'Current normalized status: queued or sent.';
COMMENT ON COLUMN stale_messages.status_rank IS 'Precedence of status: 1 queued, 2 sent.';
COMMENT ON COLUMN stale_messages.status_at IS 'Event time of the event that set the current status.';
COMMENT ON COLUMN stale_messages.provider_status IS 'Raw provider status of the event that set the current status.';
COMMENT ON COLUMN stale_messages.error_code IS 'Error code of the event that set the current status.';
COMMENT ON COLUMN stale_messages.error_detail IS 'Error text of the event that set the current status.';
COMMENT ON COLUMN stale_messages.first_event_at IS 'Earliest event time seen for the message.';
COMMENT ON COLUMN stale_messages.last_event_at IS 'Latest event time seen for the message.';
COMMENT ON COLUMN stale_messages.last_received_at IS 'When the latest event for the message was received.';
COMMENT ON COLUMN stale_messages.delivered_at IS 'Always null here (a delivered message is final).';
COMMENT ON COLUMN stale_messages.final_at IS 'Always null here (the message is not final).';
COMMENT ON COLUMN stale_messages.event_count IS 'Number of distinct events stored for the message.';
COMMENT ON COLUMN stale_messages.silent_for IS 'now() - last_received_at: how long the message has had no event.';
-- stale_messages filters on status_rank < 3, which messages_status_idx (status, ...) cannot serve.
-- Partial, so it holds only non-final messages: small, and final messages leave it. provider is
-- included so that a per-provider count is index-only too.
CREATE INDEX IF NOT EXISTS messages_open_idx ON messages (last_received_at) INCLUDE (provider)
    WHERE status_rank < 3;

-- Delivery rate per provider and UTC day, counted from messages (current state) by the day the
-- message first reached a final status (final_at). A message counts once, on one day, with the
-- status it has now; the day of a message does not move, its status may (one final status can
-- replace another on a later event).
CREATE OR REPLACE VIEW delivery_rate_daily AS
SELECT
    provider,
    date_trunc('day', final_at, 'UTC')                                            AS day,
    count(*)                                                                      AS final,
    count(*) FILTER (WHERE status = 'delivered')                                  AS delivered,
    count(*) FILTER (WHERE status IN ('undelivered', 'expired', 'rejected'))      AS failed,
    count(*) FILTER (WHERE status = 'undelivered')                                AS undelivered,
    count(*) FILTER (WHERE status = 'expired')                                    AS expired,
    count(*) FILTER (WHERE status = 'rejected')                                   AS rejected,
    count(*) FILTER (WHERE status = 'unknown')                                    AS unknown,
    round(count(*) FILTER (WHERE status = 'delivered')::numeric / count(*), 4)    AS delivery_rate,
    round(count(*) FILTER (WHERE status IN ('undelivered', 'expired', 'rejected'))::numeric / count(*), 4)
                                                                                  AS failure_rate
FROM messages
WHERE final_at IS NOT NULL
GROUP BY provider, date_trunc('day', final_at, 'UTC');
COMMENT ON VIEW delivery_rate_daily IS 'Per provider and UTC day: messages that reached a final status that day (by messages.final_at), split by their current status, and the delivery rate delivered / final. Counts messages, not events.';
COMMENT ON COLUMN delivery_rate_daily.provider IS 'Provider slug.';
COMMENT ON COLUMN delivery_rate_daily.day IS 'Start of the UTC day of messages.final_at (when the message first reached a final status).';
COMMENT ON COLUMN delivery_rate_daily.final IS 'Messages whose final_at falls on the day (every one has a final status).';
COMMENT ON COLUMN delivery_rate_daily.delivered IS 'Of those, messages whose current status is delivered.';
COMMENT ON COLUMN delivery_rate_daily.failed IS 'Of those, messages whose current status is undelivered, expired or rejected.';
COMMENT ON COLUMN delivery_rate_daily.undelivered IS 'Of those, messages whose current status is undelivered.';
COMMENT ON COLUMN delivery_rate_daily.expired IS 'Of those, messages whose current status is expired.';
COMMENT ON COLUMN delivery_rate_daily.rejected IS 'Of those, messages whose current status is rejected.';
COMMENT ON COLUMN delivery_rate_daily.unknown IS 'Of those, messages whose current status is unknown (final, outcome not known).';
COMMENT ON COLUMN delivery_rate_daily.delivery_rate IS 'delivered / final, 4 decimals (unknown counts in final, as in delivery_stats_hourly).';
COMMENT ON COLUMN delivery_rate_daily.failure_rate IS 'failed / final, 4 decimals.';
CREATE INDEX IF NOT EXISTS messages_final_day_idx
    ON messages ((date_trunc('day', final_at, 'UTC')), provider, status) INCLUDE (final_at)
    WHERE final_at IS NOT NULL;

-- Error codes of failed messages over the last `receiver.error_window` (a setting; default
-- 7 days): SET receiver.error_window = '24 hours' per session, or ALTER DATABASE ... SET.
CREATE OR REPLACE VIEW top_error_codes AS
SELECT
    provider,
    error_code,
    count(*)                                                                        AS failed,
    round(count(*)::numeric / sum(count(*)) OVER (PARTITION BY provider), 4)        AS share,
    count(*) FILTER (WHERE status = 'undelivered')                                  AS undelivered,
    count(*) FILTER (WHERE status = 'expired')                                      AS expired,
    count(*) FILTER (WHERE status = 'rejected')                                     AS rejected,
    min(final_at)                                                                   AS first_seen,
    max(final_at)                                                                   AS last_seen
FROM messages
WHERE status IN ('undelivered', 'expired', 'rejected')
  AND final_at >= now() - coalesce(nullif(current_setting('receiver.error_window', true), '')::interval, interval '7 days')
GROUP BY provider, error_code;
COMMENT ON VIEW top_error_codes IS 'Per provider and error code: failed messages (current status undelivered, expired or rejected) whose final_at is within receiver.error_window (default 7 days) of now, and their share of the provider''s failed messages in that window.';
COMMENT ON COLUMN top_error_codes.provider IS 'Provider slug.';
COMMENT ON COLUMN top_error_codes.error_code IS 'messages.error_code: the provider''s or carrier''s code on the event that set the failed status; null when none was given (one row for those).';
COMMENT ON COLUMN top_error_codes.failed IS 'Failed messages with this provider and error code in the window.';
COMMENT ON COLUMN top_error_codes.share IS 'failed / all failed messages of the provider in the window, 4 decimals; the shares of a provider sum to 1.';
COMMENT ON COLUMN top_error_codes.undelivered IS 'Of failed, messages whose status is undelivered.';
COMMENT ON COLUMN top_error_codes.expired IS 'Of failed, messages whose status is expired.';
COMMENT ON COLUMN top_error_codes.rejected IS 'Of failed, messages whose status is rejected.';
COMMENT ON COLUMN top_error_codes.first_seen IS 'Earliest final_at among them.';
COMMENT ON COLUMN top_error_codes.last_seen IS 'Latest final_at among them.';
-- Partial: failed messages only (a few percent of messages), so cheap to keep.
CREATE INDEX IF NOT EXISTS messages_failed_idx
    ON messages (final_at) INCLUDE (provider, error_code, status)
    WHERE status IN ('undelivered', 'expired', 'rejected');

-- Delivery latency per provider and UTC day of delivery: delivered_at - first_event_at of the
-- messages delivered that day (first delivered report minus first event of any kind).
CREATE OR REPLACE VIEW delivery_latency_daily AS
SELECT
    provider,
    date_trunc('day', delivered_at, 'UTC')                                                        AS day,
    count(*)                                                                                      AS delivered,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM delivered_at - first_event_at)::float8)  AS p50_seconds,
    percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM delivered_at - first_event_at)::float8) AS p95_seconds
FROM messages
WHERE delivered_at IS NOT NULL
GROUP BY provider, date_trunc('day', delivered_at, 'UTC');
COMMENT ON VIEW delivery_latency_daily IS 'Per provider and UTC day of delivery (messages.delivered_at): how long delivery took, as the median and 95th percentile of delivered_at - first_event_at (continuous percentiles, in seconds).';
COMMENT ON COLUMN delivery_latency_daily.provider IS 'Provider slug.';
COMMENT ON COLUMN delivery_latency_daily.day IS 'Start of the UTC day of messages.delivered_at.';
COMMENT ON COLUMN delivery_latency_daily.delivered IS 'Messages with a delivered report that day (whatever their current status).';
COMMENT ON COLUMN delivery_latency_daily.p50_seconds IS 'Median of delivered_at - first_event_at, in seconds (percentile_cont(0.5)). 0 when the delivered report was the first event seen.';
COMMENT ON COLUMN delivery_latency_daily.p95_seconds IS '95th percentile of delivered_at - first_event_at, in seconds (percentile_cont(0.95)).';
CREATE INDEX IF NOT EXISTS messages_delivered_day_idx
    ON messages ((date_trunc('day', delivered_at, 'UTC')), provider) INCLUDE (delivered_at, first_event_at)
    WHERE delivered_at IS NOT NULL;

-- Opt-outs per provider and UTC day of receipt.
CREATE OR REPLACE VIEW opt_outs_daily AS
SELECT
    provider,
    date_trunc('day', received_at, 'UTC')   AS day,
    count(*)                                AS opt_outs,
    count(DISTINCT sender)                  AS senders
FROM inbound_messages
WHERE is_opt_out
GROUP BY provider, date_trunc('day', received_at, 'UTC');
COMMENT ON VIEW opt_outs_daily IS 'Per provider and UTC day of receipt: inbound messages that are opt-outs (inbound_messages.is_opt_out).';
COMMENT ON COLUMN opt_outs_daily.provider IS 'Provider slug.';
COMMENT ON COLUMN opt_outs_daily.day IS 'Start of the UTC day of inbound_messages.received_at.';
COMMENT ON COLUMN opt_outs_daily.opt_outs IS 'Opt-out messages received that day.';
COMMENT ON COLUMN opt_outs_daily.senders IS 'Distinct handsets (sender) among them; a null sender is not counted.';
CREATE INDEX IF NOT EXISTS inbound_messages_opt_out_day_idx
    ON inbound_messages ((date_trunc('day', received_at, 'UTC')), provider) INCLUDE (sender, received_at)
    WHERE is_opt_out;

-- migration: 4

-- The read API lists messages newest first (keyset pagination) and reads a callback's replies.
CREATE INDEX IF NOT EXISTS messages_last_received_idx ON messages (last_received_at DESC, provider, message_key);
CREATE INDEX IF NOT EXISTS inbound_messages_callback_idx ON inbound_messages (callback_id);

-- migration: 5

-- Rollups. The dashboard views of migration 3 aggregate every event or message in the range
-- asked for, so a 30-day chart reads millions of rows. Buckets that are over rarely change, so
-- `receiver` computes each closed UTC hour (events) and UTC day (messages) once into a rollup
-- table (receiver/rollups.py, every RECEIVER_ROLLUP_INTERVAL seconds, one process at a time).
-- Each view reads the rollup below its watermark and aggregates live above it, and also for any
-- bucket a late write has touched since it was rolled up (the rollup_dirty_* logs, written in
-- the same statement as the late rows): so the views always say exactly what the stored rows
-- say, whether or not the rollup has run. The live aggregations keep their former definitions
-- under *_live names.

-- The views created below are new objects; the last block gives them the grants of the former
-- views (now *_live), so a dashboard role can still read them.
DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['delivery_stats_hourly', 'delivery_rate_daily', 'delivery_latency_daily'] LOOP
        IF to_regclass(name || '_live') IS NULL THEN
            EXECUTE format('ALTER VIEW %I RENAME TO %I', name, name || '_live');
        END IF;
    END LOOP;
END $$;
COMMENT ON VIEW delivery_stats_hourly_live IS 'delivery_stats_hourly computed from delivery_events on every read (what the rollup stores for closed hours). Dashboards should read delivery_stats_hourly.';
COMMENT ON VIEW delivery_rate_daily_live IS 'delivery_rate_daily computed from messages on every read (what the rollup stores for closed days). Dashboards should read delivery_rate_daily.';
COMMENT ON VIEW delivery_latency_daily_live IS 'delivery_latency_daily computed from messages on every read (what the rollup stores for closed days). Dashboards should read delivery_latency_daily.';

CREATE TABLE IF NOT EXISTS rollup_watermarks (
    rollup       text        PRIMARY KEY,
    rolled_until timestamptz NOT NULL
);
COMMENT ON TABLE rollup_watermarks IS 'How far each rollup has been computed; a missing row means not at all (-infinity).';
COMMENT ON COLUMN rollup_watermarks.rollup IS 'event_hours (delivery_stats_hourly) or message_days (delivery_rate_daily, delivery_latency_daily).';
COMMENT ON COLUMN rollup_watermarks.rolled_until IS 'Buckets starting before this time are in the rollup tables (unless logged dirty); later ones are aggregated live.';

-- Insert-only logs, emptied by each rollup run; no unique key, so concurrent writers never wait
-- on each other here.
CREATE TABLE IF NOT EXISTS rollup_dirty_hours (hour timestamptz NOT NULL);
COMMENT ON TABLE rollup_dirty_hours IS 'UTC hours that gained delivery events after they were over (late or replayed callbacks); aggregated live until the next rollup run.';
COMMENT ON COLUMN rollup_dirty_hours.hour IS 'Start of the UTC hour (delivery_events.received_at).';
CREATE INDEX IF NOT EXISTS rollup_dirty_hours_idx ON rollup_dirty_hours (hour);
CREATE TABLE IF NOT EXISTS rollup_dirty_days (day timestamptz NOT NULL);
COMMENT ON TABLE rollup_dirty_days IS 'UTC days whose messages changed after the day was over (a late final or delivered report); aggregated live until the next rollup run.';
COMMENT ON COLUMN rollup_dirty_days.day IS 'Start of the UTC day (messages.final_at or delivered_at).';
CREATE INDEX IF NOT EXISTS rollup_dirty_days_idx ON rollup_dirty_days (day);

CREATE TABLE IF NOT EXISTS delivery_stats_hourly_rollup AS SELECT * FROM delivery_stats_hourly_live WITH NO DATA;
CREATE TABLE IF NOT EXISTS delivery_rate_daily_rollup AS SELECT * FROM delivery_rate_daily_live WITH NO DATA;
CREATE TABLE IF NOT EXISTS delivery_latency_daily_rollup AS SELECT * FROM delivery_latency_daily_live WITH NO DATA;
CREATE UNIQUE INDEX IF NOT EXISTS delivery_stats_hourly_rollup_key ON delivery_stats_hourly_rollup (hour, provider);
CREATE UNIQUE INDEX IF NOT EXISTS delivery_rate_daily_rollup_key ON delivery_rate_daily_rollup (day, provider);
CREATE UNIQUE INDEX IF NOT EXISTS delivery_latency_daily_rollup_key ON delivery_latency_daily_rollup (day, provider);
COMMENT ON TABLE delivery_stats_hourly_rollup IS 'delivery_stats_hourly_live for closed UTC hours, as of the last rollup run. Read delivery_stats_hourly, which adds what is newer.';
COMMENT ON TABLE delivery_rate_daily_rollup IS 'delivery_rate_daily_live for closed UTC days, as of the last rollup run. Read delivery_rate_daily, which adds what is newer.';
COMMENT ON TABLE delivery_latency_daily_rollup IS 'delivery_latency_daily_live for closed UTC days, as of the last rollup run. Read delivery_latency_daily, which adds what is newer.';

-- Each view: rolled-up buckets below the watermark and not dirty, then live buckets at or above
-- it, then live dirty buckets below it. The three parts never share a bucket. A time filter on
-- the view reaches every part (and, in the live parts, the migration 3 indexes). The dirty
-- buckets are read as an array, not joined: a condition on a grouped column is applied before
-- the aggregation, a join only after it.
CREATE OR REPLACE VIEW delivery_stats_hourly AS
SELECT r.* FROM delivery_stats_hourly_rollup r
WHERE r.hour < coalesce((SELECT rolled_until FROM rollup_watermarks WHERE rollup = 'event_hours'), '-infinity')
  AND NOT EXISTS (SELECT FROM rollup_dirty_hours d WHERE d.hour = r.hour)
UNION ALL
SELECT l.* FROM delivery_stats_hourly_live l
WHERE l.hour >= coalesce((SELECT rolled_until FROM rollup_watermarks WHERE rollup = 'event_hours'), '-infinity')
UNION ALL
SELECT l.* FROM delivery_stats_hourly_live l
WHERE l.hour < coalesce((SELECT rolled_until FROM rollup_watermarks WHERE rollup = 'event_hours'), '-infinity')
  AND l.hour = ANY (ARRAY(SELECT d.hour FROM rollup_dirty_hours d));

CREATE OR REPLACE VIEW delivery_rate_daily AS
SELECT r.* FROM delivery_rate_daily_rollup r
WHERE r.day < coalesce((SELECT rolled_until FROM rollup_watermarks WHERE rollup = 'message_days'), '-infinity')
  AND NOT EXISTS (SELECT FROM rollup_dirty_days d WHERE d.day = r.day)
UNION ALL
SELECT l.* FROM delivery_rate_daily_live l
WHERE l.day >= coalesce((SELECT rolled_until FROM rollup_watermarks WHERE rollup = 'message_days'), '-infinity')
UNION ALL
SELECT l.* FROM delivery_rate_daily_live l
WHERE l.day < coalesce((SELECT rolled_until FROM rollup_watermarks WHERE rollup = 'message_days'), '-infinity')
  AND l.day = ANY (ARRAY(SELECT d.day FROM rollup_dirty_days d));

CREATE OR REPLACE VIEW delivery_latency_daily AS
SELECT r.* FROM delivery_latency_daily_rollup r
WHERE r.day < coalesce((SELECT rolled_until FROM rollup_watermarks WHERE rollup = 'message_days'), '-infinity')
  AND NOT EXISTS (SELECT FROM rollup_dirty_days d WHERE d.day = r.day)
UNION ALL
SELECT l.* FROM delivery_latency_daily_live l
WHERE l.day >= coalesce((SELECT rolled_until FROM rollup_watermarks WHERE rollup = 'message_days'), '-infinity')
UNION ALL
SELECT l.* FROM delivery_latency_daily_live l
WHERE l.day < coalesce((SELECT rolled_until FROM rollup_watermarks WHERE rollup = 'message_days'), '-infinity')
  AND l.day = ANY (ARRAY(SELECT d.day FROM rollup_dirty_days d));

-- The views keep the descriptions of their live forms, column by column, and their grants.
DO $$
DECLARE
    name text;
    col record;
    grant_ record;
BEGIN
    FOREACH name IN ARRAY ARRAY['delivery_stats_hourly', 'delivery_rate_daily', 'delivery_latency_daily'] LOOP
        FOR grant_ IN
            SELECT a.privilege_type, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END AS grantee
            FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee
            WHERE c.oid = (name || '_live')::regclass AND a.grantee <> c.relowner
        LOOP
            EXECUTE format('GRANT %s ON %I TO %s', grant_.privilege_type, name, grant_.grantee);
        END LOOP;
        FOR col IN
            SELECT a.attname, col_description(a.attrelid, a.attnum) AS description
            FROM pg_attribute a
            WHERE a.attrelid = (name || '_live')::regclass AND a.attnum > 0 AND NOT a.attisdropped
        LOOP
            EXECUTE format('COMMENT ON COLUMN %I.%I IS %L', name, col.attname, col.description);
            EXECUTE format('COMMENT ON COLUMN %I.%I IS %L', name || '_rollup', col.attname, col.description);
        END LOOP;
    END LOOP;
END $$;
COMMENT ON VIEW delivery_stats_hourly IS 'Per provider and UTC hour of receipt: event counts by normalized status and delivered / final events (delivery_rate, null when no final events). Counts events, not messages: a message with a sent and a delivered event counts in both columns. Closed hours come from delivery_stats_hourly_rollup, the rest is aggregated live; the result is the same.';
COMMENT ON VIEW delivery_rate_daily IS 'Per provider and UTC day: messages that reached a final status that day (by messages.final_at), split by their current status, and the delivery rate delivered / final. Counts messages, not events. Closed days come from delivery_rate_daily_rollup, the rest is aggregated live; the result is the same.';
COMMENT ON VIEW delivery_latency_daily IS 'Per provider and UTC day of delivery (messages.delivered_at): how long delivery took, as the median and 95th percentile of delivered_at - first_event_at (continuous percentiles, in seconds). Closed days come from delivery_latency_daily_rollup, the rest is aggregated live; the result is the same.';

-- migration: 6

-- Alert delivery leases. A dispatcher claims due rows in one short statement (pushing
-- next_attempt_at to the end of a lease and writing a fresh claim_token), commits, POSTs with no
-- transaction open, and records each outcome only where claim_token still matches: a row whose
-- lease ran out and was claimed again elsewhere is recorded by its new claimant alone.
ALTER TABLE alert_deliveries ADD COLUMN IF NOT EXISTS claim_token uuid;
COMMENT ON COLUMN alert_deliveries.claim_token IS 'Token of the dispatcher claim now attempting the delivery; null when no attempt is in flight. While set, next_attempt_at is when the claim lapses and another dispatcher may try.';
COMMENT ON COLUMN alert_deliveries.next_attempt_at IS 'Earliest time of the next attempt; while an attempt is in flight (claim_token set), the end of its lease.';

-- migration: 7

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
