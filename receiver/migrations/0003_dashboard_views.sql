-- migration 3: dashboard views

-- Dashboard views (docs/dashboards.md). Every time bucket is a UTC hour or day, computed as
-- date_trunc(field, ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC': immutable on every supported
-- Postgres (the 3-argument date_trunc is only from 16), so expression indexes match it and a dashboard's
-- `WHERE day >= now() - interval '7 days'` (or Grafana's $__timeFilter(day)) on a view is pushed
-- below the GROUP BY into an index range scan, whatever the session's TimeZone.

-- Per provider and UTC hour: events by normalized status and the delivery rate among events
-- that reached a final status.
CREATE OR REPLACE VIEW delivery_stats_hourly AS
SELECT
    provider,
    (date_trunc('hour', received_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')               AS hour,
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
GROUP BY provider, (date_trunc('hour', received_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC');
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
    ON delivery_events (((date_trunc('hour', received_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')), provider, status) INCLUDE (received_at);

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
    (date_trunc('day', final_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')                                            AS day,
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
GROUP BY provider, (date_trunc('day', final_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC');
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
    ON messages (((date_trunc('day', final_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')), provider, status) INCLUDE (final_at)
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
    (date_trunc('day', delivered_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')                                                        AS day,
    count(*)                                                                                      AS delivered,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM delivered_at - first_event_at)::float8)  AS p50_seconds,
    percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM delivered_at - first_event_at)::float8) AS p95_seconds
FROM messages
WHERE delivered_at IS NOT NULL
GROUP BY provider, (date_trunc('day', delivered_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC');
COMMENT ON VIEW delivery_latency_daily IS 'Per provider and UTC day of delivery (messages.delivered_at): how long delivery took, as the median and 95th percentile of delivered_at - first_event_at (continuous percentiles, in seconds).';
COMMENT ON COLUMN delivery_latency_daily.provider IS 'Provider slug.';
COMMENT ON COLUMN delivery_latency_daily.day IS 'Start of the UTC day of messages.delivered_at.';
COMMENT ON COLUMN delivery_latency_daily.delivered IS 'Messages with a delivered report that day (whatever their current status).';
COMMENT ON COLUMN delivery_latency_daily.p50_seconds IS 'Median of delivered_at - first_event_at, in seconds (percentile_cont(0.5)). 0 when the delivered report was the first event seen.';
COMMENT ON COLUMN delivery_latency_daily.p95_seconds IS '95th percentile of delivered_at - first_event_at, in seconds (percentile_cont(0.95)).';
CREATE INDEX IF NOT EXISTS messages_delivered_day_idx
    ON messages (((date_trunc('day', delivered_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')), provider) INCLUDE (delivered_at, first_event_at)
    WHERE delivered_at IS NOT NULL;

-- Opt-outs per provider and UTC day of receipt.
CREATE OR REPLACE VIEW opt_outs_daily AS
SELECT
    provider,
    (date_trunc('day', received_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')   AS day,
    count(*)                                AS opt_outs,
    count(DISTINCT sender)                  AS senders
FROM inbound_messages
WHERE is_opt_out
GROUP BY provider, (date_trunc('day', received_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC');
COMMENT ON VIEW opt_outs_daily IS 'Per provider and UTC day of receipt: inbound messages that are opt-outs (inbound_messages.is_opt_out).';
COMMENT ON COLUMN opt_outs_daily.provider IS 'Provider slug.';
COMMENT ON COLUMN opt_outs_daily.day IS 'Start of the UTC day of inbound_messages.received_at.';
COMMENT ON COLUMN opt_outs_daily.opt_outs IS 'Opt-out messages received that day.';
COMMENT ON COLUMN opt_outs_daily.senders IS 'Distinct handsets (sender) among them; a null sender is not counted.';
CREATE INDEX IF NOT EXISTS inbound_messages_opt_out_day_idx
    ON inbound_messages (((date_trunc('day', received_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')), provider) INCLUDE (sender, received_at)
    WHERE is_opt_out;
