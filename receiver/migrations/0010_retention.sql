-- migration 10: retention

-- Retention (receiver/retention.py) drops whole partitions of delivery_events and deletes old
-- messages, once the rollups cover them. Buckets before rollup_watermarks.purged_until are
-- then kept as rolled up: the views read them from the rollup tables even when logged dirty (a
-- late write into a purged day cannot be recomputed from rows that are gone), and a rollup run
-- discards such log entries. Otherwise the views are those of migration 5.
ALTER TABLE rollup_watermarks ADD COLUMN IF NOT EXISTS purged_until timestamptz;
COMMENT ON COLUMN rollup_watermarks.purged_until IS 'Buckets starting before this time may have lost rows to retention: they stay as rolled up, never recomputed. Null: nothing purged.';

CREATE OR REPLACE VIEW delivery_stats_hourly AS
SELECT r.* FROM delivery_stats_hourly_rollup r
WHERE r.hour < coalesce((SELECT rolled_until FROM rollup_watermarks WHERE rollup = 'event_hours'), '-infinity')
  AND (r.hour < coalesce((SELECT purged_until FROM rollup_watermarks WHERE rollup = 'event_hours'), '-infinity')
       OR NOT EXISTS (SELECT FROM rollup_dirty_hours d WHERE d.hour = r.hour))
UNION ALL
SELECT l.* FROM delivery_stats_hourly_live l
WHERE l.hour >= coalesce((SELECT rolled_until FROM rollup_watermarks WHERE rollup = 'event_hours'), '-infinity')
UNION ALL
SELECT l.* FROM delivery_stats_hourly_live l
WHERE l.hour < coalesce((SELECT rolled_until FROM rollup_watermarks WHERE rollup = 'event_hours'), '-infinity')
  AND l.hour >= coalesce((SELECT purged_until FROM rollup_watermarks WHERE rollup = 'event_hours'), '-infinity')
  AND l.hour = ANY (ARRAY(SELECT d.hour FROM rollup_dirty_hours d));

CREATE OR REPLACE VIEW delivery_rate_daily AS
SELECT r.* FROM delivery_rate_daily_rollup r
WHERE r.day < coalesce((SELECT rolled_until FROM rollup_watermarks WHERE rollup = 'message_days'), '-infinity')
  AND (r.day < coalesce((SELECT purged_until FROM rollup_watermarks WHERE rollup = 'message_days'), '-infinity')
       OR NOT EXISTS (SELECT FROM rollup_dirty_days d WHERE d.day = r.day))
UNION ALL
SELECT l.* FROM delivery_rate_daily_live l
WHERE l.day >= coalesce((SELECT rolled_until FROM rollup_watermarks WHERE rollup = 'message_days'), '-infinity')
UNION ALL
SELECT l.* FROM delivery_rate_daily_live l
WHERE l.day < coalesce((SELECT rolled_until FROM rollup_watermarks WHERE rollup = 'message_days'), '-infinity')
  AND l.day >= coalesce((SELECT purged_until FROM rollup_watermarks WHERE rollup = 'message_days'), '-infinity')
  AND l.day = ANY (ARRAY(SELECT d.day FROM rollup_dirty_days d));

CREATE OR REPLACE VIEW delivery_latency_daily AS
SELECT r.* FROM delivery_latency_daily_rollup r
WHERE r.day < coalesce((SELECT rolled_until FROM rollup_watermarks WHERE rollup = 'message_days'), '-infinity')
  AND (r.day < coalesce((SELECT purged_until FROM rollup_watermarks WHERE rollup = 'message_days'), '-infinity')
       OR NOT EXISTS (SELECT FROM rollup_dirty_days d WHERE d.day = r.day))
UNION ALL
SELECT l.* FROM delivery_latency_daily_live l
WHERE l.day >= coalesce((SELECT rolled_until FROM rollup_watermarks WHERE rollup = 'message_days'), '-infinity')
UNION ALL
SELECT l.* FROM delivery_latency_daily_live l
WHERE l.day < coalesce((SELECT rolled_until FROM rollup_watermarks WHERE rollup = 'message_days'), '-infinity')
  AND l.day >= coalesce((SELECT purged_until FROM rollup_watermarks WHERE rollup = 'message_days'), '-infinity')
  AND l.day = ANY (ARRAY(SELECT d.day FROM rollup_dirty_days d));

-- How far RECEIVER_RAW_RETENTION has cleared callbacks.body, so each run starts where the last
-- one ended instead of reading every cleared row again.
CREATE TABLE IF NOT EXISTS retention_marks (
    mark  text        PRIMARY KEY,
    until timestamptz NOT NULL
);
COMMENT ON TABLE retention_marks IS 'Progress of the retention tasks (receiver/retention.py).';
COMMENT ON COLUMN retention_marks.mark IS 'raw_bodies: callbacks received before until have had their body cleared (but those still queued for projection).';
COMMENT ON COLUMN retention_marks.until IS 'Where the task has reached.';
