-- migration 12: a rollup for opt_outs_daily

-- opt_outs_daily aggregated inbound_messages on every read, so a retention purge, which drops
-- old partitions of inbound_messages, changed it. It now has a rollup like the views of
-- migration 5: closed UTC days of receipt are stored in opt_outs_daily_rollup under the
-- watermark 'inbound_days' (receiver/projection/rollups.py), the rest is aggregated live, and
-- days before purged_until stay as rolled up (migration 10). The purge requires the rollup to
-- cover the partitions it drops (receiver/retention.py).
--
-- Opt-outs written into a day that was already over (a callback received just before midnight
-- and projected after it; a reparse of an old callback) and opt-outs removed from one (a
-- reparse that no longer reads them) log that day in rollup_dirty_inbound_days, by a trigger
-- on inbound_messages that runs for opt-out rows only: the view aggregates a logged day live
-- until the next rollup run recomputes it.

ALTER VIEW opt_outs_daily RENAME TO opt_outs_daily_live;
COMMENT ON VIEW opt_outs_daily_live IS 'opt_outs_daily computed from inbound_messages on every read (what the rollup stores for closed days). Dashboards should read opt_outs_daily.';

CREATE TABLE rollup_dirty_inbound_days (day timestamptz NOT NULL);
COMMENT ON TABLE rollup_dirty_inbound_days IS 'UTC days that gained or lost opt-out inbound messages after the day was over (late or re-projected callbacks); aggregated live until the next rollup run.';
COMMENT ON COLUMN rollup_dirty_inbound_days.day IS 'Start of the UTC day (inbound_messages.received_at).';
CREATE INDEX rollup_dirty_inbound_days_idx ON rollup_dirty_inbound_days (day);

CREATE TABLE opt_outs_daily_rollup AS SELECT * FROM opt_outs_daily_live WITH NO DATA;
CREATE UNIQUE INDEX opt_outs_daily_rollup_key ON opt_outs_daily_rollup (day, provider);
COMMENT ON TABLE opt_outs_daily_rollup IS 'opt_outs_daily_live for closed UTC days, as of the last rollup run. Read opt_outs_daily, which adds what is newer.';

CREATE VIEW opt_outs_daily AS
SELECT r.* FROM opt_outs_daily_rollup r
WHERE r.day < coalesce((SELECT rolled_until FROM rollup_watermarks WHERE rollup = 'inbound_days'), '-infinity')
  AND (r.day < coalesce((SELECT purged_until FROM rollup_watermarks WHERE rollup = 'inbound_days'), '-infinity')
       OR NOT EXISTS (SELECT FROM rollup_dirty_inbound_days d WHERE d.day = r.day))
UNION ALL
SELECT l.* FROM opt_outs_daily_live l
WHERE l.day >= coalesce((SELECT rolled_until FROM rollup_watermarks WHERE rollup = 'inbound_days'), '-infinity')
UNION ALL
SELECT l.* FROM opt_outs_daily_live l
WHERE l.day < coalesce((SELECT rolled_until FROM rollup_watermarks WHERE rollup = 'inbound_days'), '-infinity')
  AND l.day >= coalesce((SELECT purged_until FROM rollup_watermarks WHERE rollup = 'inbound_days'), '-infinity')
  AND l.day = ANY (ARRAY(SELECT d.day FROM rollup_dirty_inbound_days d));

-- The view keeps the grants and column descriptions of its live form (as in migration 5).
DO $$
DECLARE
    col record;
    grant_ record;
BEGIN
    FOR grant_ IN
        SELECT a.privilege_type, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END AS grantee
        FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee
        WHERE c.oid = 'opt_outs_daily_live'::regclass AND a.grantee <> c.relowner
    LOOP
        EXECUTE format('GRANT %s ON opt_outs_daily TO %s', grant_.privilege_type, grant_.grantee);
    END LOOP;
    FOR col IN
        SELECT a.attname, col_description(a.attrelid, a.attnum) AS description
        FROM pg_attribute a
        WHERE a.attrelid = 'opt_outs_daily_live'::regclass AND a.attnum > 0 AND NOT a.attisdropped
    LOOP
        EXECUTE format('COMMENT ON COLUMN opt_outs_daily.%I IS %L', col.attname, col.description);
        EXECUTE format('COMMENT ON COLUMN opt_outs_daily_rollup.%I IS %L', col.attname, col.description);
    END LOOP;
END $$;
COMMENT ON VIEW opt_outs_daily IS 'Per provider and UTC day of receipt: inbound messages that are opt-outs (inbound_messages.is_opt_out). Closed days come from opt_outs_daily_rollup, the rest is aggregated live; the result is the same, and stays so when retention drops old inbound messages.';

-- The day of an opt-out written or removed after its day was over, for the rollup run. now()
-- is the transaction's start, as in the projection statement's logs (store.py): a day current
-- when the transaction began is not rolled up before it ends (rollups.py, the horizon).
CREATE FUNCTION receiver_log_late_opt_out() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    received timestamptz;
BEGIN
    IF TG_OP = 'DELETE' THEN
        received := OLD.received_at;
    ELSE
        received := NEW.received_at;
    END IF;
    IF received < (date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') THEN
        -- Every time, never "unless logged already": a log row a rollup run is deleting
        -- right now would not cover this write.
        INSERT INTO rollup_dirty_inbound_days (day)
        VALUES (date_trunc('day', received AT TIME ZONE 'UTC') AT TIME ZONE 'UTC');
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION receiver_log_late_opt_out() IS 'Logs the UTC day of an opt-out inbound message written or removed after that day was over, for the opt_outs_daily rollup (migration 12).';
CREATE TRIGGER inbound_messages_late_opt_out_insert AFTER INSERT ON inbound_messages
    FOR EACH ROW WHEN (NEW.is_opt_out) EXECUTE FUNCTION receiver_log_late_opt_out();
CREATE TRIGGER inbound_messages_late_opt_out_delete AFTER DELETE ON inbound_messages
    FOR EACH ROW WHEN (OLD.is_opt_out) EXECUTE FUNCTION receiver_log_late_opt_out();
