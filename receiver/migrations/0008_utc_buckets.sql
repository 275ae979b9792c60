-- migration 8: utc buckets

-- Postgres 15. Migration 3 first bucketed times with the 3-argument date_trunc(field, ts, 'UTC'),
-- which is immutable only from Postgres 16, so on 15 its expression indexes could not be built.
-- Migration 3 now writes date_trunc(field, ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' (same
-- value, immutable parts on every version); this brings installations made before that change to
-- the same definitions. The views are replaced in place (their grants and comments stay) and the
-- indexes rebuilt, so a time filter on a view still matches an index. Rebuilding the indexes
-- locks writes to their tables for as long as the build takes (seconds per million rows).

CREATE OR REPLACE VIEW delivery_stats_hourly_live AS
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

CREATE OR REPLACE VIEW delivery_rate_daily_live AS
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

CREATE OR REPLACE VIEW delivery_latency_daily_live AS
SELECT
    provider,
    (date_trunc('day', delivered_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')                                                        AS day,
    count(*)                                                                                      AS delivered,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM delivered_at - first_event_at)::float8)  AS p50_seconds,
    percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM delivered_at - first_event_at)::float8) AS p95_seconds
FROM messages
WHERE delivered_at IS NOT NULL
GROUP BY provider, (date_trunc('day', delivered_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC');

CREATE OR REPLACE VIEW opt_outs_daily AS
SELECT
    provider,
    (date_trunc('day', received_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')   AS day,
    count(*)                                AS opt_outs,
    count(DISTINCT sender)                  AS senders
FROM inbound_messages
WHERE is_opt_out
GROUP BY provider, (date_trunc('day', received_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC');

DROP INDEX IF EXISTS delivery_events_hour_idx;
CREATE INDEX delivery_events_hour_idx
    ON delivery_events (((date_trunc('hour', received_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')), provider, status) INCLUDE (received_at);

DROP INDEX IF EXISTS messages_final_day_idx;
CREATE INDEX messages_final_day_idx
    ON messages (((date_trunc('day', final_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')), provider, status) INCLUDE (final_at)
    WHERE final_at IS NOT NULL;

DROP INDEX IF EXISTS messages_delivered_day_idx;
CREATE INDEX messages_delivered_day_idx
    ON messages (((date_trunc('day', delivered_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')), provider) INCLUDE (delivered_at, first_event_at)
    WHERE delivered_at IS NOT NULL;

DROP INDEX IF EXISTS inbound_messages_opt_out_day_idx;
CREATE INDEX inbound_messages_opt_out_day_idx
    ON inbound_messages (((date_trunc('day', received_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')), provider) INCLUDE (sender, received_at)
    WHERE is_opt_out;
