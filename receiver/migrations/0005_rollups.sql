-- migration 5: rollups

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
