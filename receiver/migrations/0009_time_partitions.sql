-- migration 9: time partitions

-- callbacks, delivery_events and inbound_messages become partitioned by time (declarative range
-- partitioning), so that retention drops whole months instead of deleting rows, and the indexes
-- ingest writes stay the size of a month. Partitions are created ahead by the receiver
-- (receiver/projection/partitions.py, at migrate and from the rollup task); there is no DEFAULT
-- partition (see docs/scaling.md, "Time partitions").
--
-- * callbacks is partitioned by its own id: ids are time-ordered UUIDs (48-bit millisecond
--   time first), so a month is an id range and PRIMARY KEY (id) stays valid as it is. The ack
--   path's INSERT ... ON CONFLICT (id) DO NOTHING, spool replays and the projector's joins by
--   id are unchanged.
-- * delivery_events and inbound_messages are partitioned by received_month, the first day of
--   the UTC month of received_at. Every unique key includes it, the dedup keys included; a
--   retry received in the month after its original (a different received_month) is caught by
--   the projector, which also looks for the digest in the neighbouring months (store.py).
-- * The foreign keys from delivery_events and inbound_messages to callbacks go: a key into a
--   partitioned table must carry its partition column, they would tie the months of three
--   tables together for retention, and a distributed layout (docs/scaling.md) cannot keep
--   them. The projector writes events only from callbacks it has just read.
-- * delivery_events keeps id as an identity column but no primary key: a unique constraint
--   would have to include the month and the message key (the distribution column), which
--   would make it no key of id at all.
-- * callbacks.body may now be null: RECEIVER_RAW_RETENTION clears old bodies, keeping the row.
--
-- Existing rows are copied in this migration's transaction: writes to the three tables wait
-- for it (about a minute per few million rows); docs/scaling.md has the figures.

-- The tables as they were step aside; the new ones reuse every name.
ALTER TABLE delivery_events DROP CONSTRAINT IF EXISTS delivery_events_callback_id_fkey;
ALTER TABLE inbound_messages DROP CONSTRAINT IF EXISTS inbound_messages_callback_id_fkey;
DROP INDEX IF EXISTS callbacks_received_at_idx, callbacks_parse_error_idx,
    delivery_events_message_idx, delivery_events_callback_idx, delivery_events_received_at_idx,
    delivery_events_client_ref_idx, delivery_events_hour_idx, inbound_messages_received_at_idx,
    inbound_messages_related_idx, inbound_messages_opt_out_day_idx, inbound_messages_callback_idx;
ALTER TABLE callbacks DROP CONSTRAINT IF EXISTS callbacks_pkey;
ALTER TABLE delivery_events DROP CONSTRAINT IF EXISTS delivery_events_pkey,
    DROP CONSTRAINT IF EXISTS delivery_events_dedup;
ALTER TABLE inbound_messages DROP CONSTRAINT IF EXISTS inbound_messages_pkey,
    DROP CONSTRAINT IF EXISTS inbound_messages_dedup;
ALTER TABLE callbacks RENAME TO callbacks_unpartitioned;
ALTER TABLE delivery_events RENAME TO delivery_events_unpartitioned;
ALTER TABLE inbound_messages RENAME TO inbound_messages_unpartitioned;
ALTER SEQUENCE IF EXISTS delivery_events_id_seq RENAME TO delivery_events_unpartitioned_id_seq;
ALTER SEQUENCE IF EXISTS inbound_messages_id_seq RENAME TO inbound_messages_unpartitioned_id_seq;

CREATE TABLE callbacks (
    id           uuid        NOT NULL,
    received_at  timestamptz NOT NULL,
    provider     text        NOT NULL,
    method       text        NOT NULL,
    query        text        NOT NULL DEFAULT '',
    headers      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    content_type text,
    body         bytea       DEFAULT ''::bytea,
    parse_error  text,
    CONSTRAINT callbacks_pkey PRIMARY KEY (id)
) PARTITION BY RANGE (id);
CREATE INDEX callbacks_received_at_idx ON callbacks (received_at);
CREATE INDEX callbacks_parse_error_idx ON callbacks (received_at) WHERE parse_error IS NOT NULL;

CREATE TABLE delivery_events (
    id              bigint      GENERATED ALWAYS AS IDENTITY,
    callback_id     uuid        NOT NULL,
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
    received_month  date        NOT NULL,
    -- NULLS NOT DISTINCT: an event without a message key is still one row per digest.
    CONSTRAINT delivery_events_dedup UNIQUE NULLS NOT DISTINCT (provider, dedup_key, message_key, received_month)
) PARTITION BY RANGE (received_month);
CREATE INDEX delivery_events_message_idx ON delivery_events (provider, message_key);
CREATE INDEX delivery_events_callback_idx ON delivery_events (callback_id);
CREATE INDEX delivery_events_received_at_idx ON delivery_events (received_at);
CREATE INDEX delivery_events_client_ref_idx ON delivery_events (client_ref) WHERE client_ref IS NOT NULL;
CREATE INDEX delivery_events_hour_idx
    ON delivery_events ((date_trunc('hour', received_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'), provider, status) INCLUDE (received_at);

CREATE TABLE inbound_messages (
    id                 bigint      GENERATED ALWAYS AS IDENTITY,
    callback_id        uuid        NOT NULL,
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
    received_month     date        NOT NULL,
    CONSTRAINT inbound_messages_pkey PRIMARY KEY (id, received_month),
    CONSTRAINT inbound_messages_dedup UNIQUE (provider, dedup_key, received_month)
) PARTITION BY RANGE (received_month);
CREATE INDEX inbound_messages_received_at_idx ON inbound_messages (received_at);
CREATE INDEX inbound_messages_related_idx ON inbound_messages (provider, related_message_id);
CREATE INDEX inbound_messages_callback_idx ON inbound_messages (callback_id);
CREATE INDEX inbound_messages_opt_out_day_idx
    ON inbound_messages ((date_trunc('day', received_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'), provider) INCLUDE (sender, received_at)
    WHERE is_opt_out;

-- The lower bound of a month in callback ids: its first millisecond, every other bit zero.
CREATE OR REPLACE FUNCTION receiver_month_id(month date) RETURNS uuid
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (lpad(to_hex((extract(epoch FROM month::timestamp) * 1000)::bigint), 12, '0') || repeat('0', 20))::uuid;
COMMENT ON FUNCTION receiver_month_id(date) IS 'The smallest callback id (time-ordered UUID) of the UTC day `month`: where the callbacks partition of that month starts.';

-- One partition of `parent` for [lower, upper), named parent_yYYYYmMM after its first month.
-- Created on its own and then attached: ATTACH takes a lock that lets inserts go on, where
-- CREATE TABLE ... PARTITION OF would block them for a moment.
CREATE OR REPLACE FUNCTION receiver_add_partition(parent regclass, lower date, upper date) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    name text := format('%s_y%sm%s', parent, to_char(lower, 'YYYY'), to_char(lower, 'MM'));
    bounds text;
BEGIN
    IF parent = 'callbacks'::regclass THEN
        bounds := format('FROM (%L) TO (%L)', receiver_month_id(lower), receiver_month_id(upper));
    ELSE
        bounds := format('FROM (%L) TO (%L)', lower, upper);
    END IF;
    EXECUTE format('CREATE TABLE %I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)', name, parent);
    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I FOR VALUES %s', parent, name, bounds);
    RETURN name;
END $$;
COMMENT ON FUNCTION receiver_add_partition(regclass, date, date) IS 'Adds the partition of callbacks, delivery_events or inbound_messages for the months [lower, upper); receiver/projection/partitions.py decides which.';

-- A partition for every month that holds rows now; the receiver adds the current and coming
-- months once the migrations are done.
DO $$
DECLARE
    month date;
BEGIN
    FOR month IN
        SELECT DISTINCT (date_trunc('month', to_timestamp(('x' || substr(replace(id::text, '-', ''), 1, 12))::bit(48)::bigint / 1000.0) AT TIME ZONE 'UTC'))::date
        FROM callbacks_unpartitioned ORDER BY 1
    LOOP
        PERFORM receiver_add_partition('callbacks', month, (month + interval '1 month')::date);
    END LOOP;
    FOR month IN
        SELECT DISTINCT (date_trunc('month', received_at AT TIME ZONE 'UTC'))::date FROM delivery_events_unpartitioned
        UNION SELECT DISTINCT (date_trunc('month', received_at AT TIME ZONE 'UTC'))::date FROM inbound_messages_unpartitioned
        ORDER BY 1
    LOOP
        PERFORM receiver_add_partition('delivery_events', month, (month + interval '1 month')::date);
        PERFORM receiver_add_partition('inbound_messages', month, (month + interval '1 month')::date);
    END LOOP;
END $$;

INSERT INTO callbacks SELECT * FROM callbacks_unpartitioned;
INSERT INTO delivery_events (id, callback_id, provider, message_key, message_id, client_ref,
                             recipient, status, provider_status, error_code, error_detail,
                             occurred_at, occurred_at_raw, received_at, dedup_key, received_month)
OVERRIDING SYSTEM VALUE
SELECT id, callback_id, provider, message_key, message_id, client_ref, recipient, status,
       provider_status, error_code, error_detail, occurred_at, occurred_at_raw, received_at,
       dedup_key, (date_trunc('month', received_at AT TIME ZONE 'UTC'))::date
FROM delivery_events_unpartitioned;
INSERT INTO inbound_messages (id, callback_id, provider, message_id, sender, recipient, text,
                              occurred_at, occurred_at_raw, received_at, related_message_id,
                              related_client_ref, is_opt_out, keyword, dedup_key, received_month)
OVERRIDING SYSTEM VALUE
SELECT id, callback_id, provider, message_id, sender, recipient, text, occurred_at,
       occurred_at_raw, received_at, related_message_id, related_client_ref, is_opt_out,
       keyword, dedup_key, (date_trunc('month', received_at AT TIME ZONE 'UTC'))::date
FROM inbound_messages_unpartitioned;
-- New ids carry on after the copied ones, still increasing in insert order.
SELECT setval(pg_get_serial_sequence('delivery_events', 'id'), max(id)) FROM delivery_events HAVING max(id) IS NOT NULL;
SELECT setval(pg_get_serial_sequence('inbound_messages', 'id'), max(id)) FROM inbound_messages HAVING max(id) IS NOT NULL;

-- Descriptions and grants carry over, column by column.
DO $$
DECLARE
    name text;
    col record;
    grant_ record;
BEGIN
    FOREACH name IN ARRAY ARRAY['callbacks', 'delivery_events', 'inbound_messages'] LOOP
        EXECUTE format('COMMENT ON TABLE %I IS %L', name, obj_description((name || '_unpartitioned')::regclass, 'pg_class'));
        FOR col IN
            SELECT a.attname, col_description(a.attrelid, a.attnum) AS description
            FROM pg_attribute a
            WHERE a.attrelid = (name || '_unpartitioned')::regclass AND a.attnum > 0 AND NOT a.attisdropped
        LOOP
            EXECUTE format('COMMENT ON COLUMN %I.%I IS %L', name, col.attname, col.description);
        END LOOP;
        FOR grant_ IN
            SELECT a.privilege_type, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(r.rolname) END AS grantee
            FROM pg_class c CROSS JOIN LATERAL aclexplode(c.relacl) a LEFT JOIN pg_roles r ON r.oid = a.grantee
            WHERE c.oid = (name || '_unpartitioned')::regclass AND a.grantee <> c.relowner
        LOOP
            EXECUTE format('GRANT %s ON %I TO %s', grant_.privilege_type, name, grant_.grantee);
        END LOOP;
    END LOOP;
END $$;
COMMENT ON TABLE callbacks IS 'One row per accepted HTTP callback request, exactly as received, for audit and re-parsing. Partitioned by id (time-ordered), one partition per month.';
COMMENT ON COLUMN callbacks.body IS 'Raw request body bytes (empty for GET callbacks); null once RECEIVER_RAW_RETENTION has cleared it.';
COMMENT ON TABLE delivery_events IS 'One row per distinct delivery-status event; provider retries of the same event are stored once. Partitioned by received_month.';
COMMENT ON COLUMN delivery_events.id IS 'Surrogate key, increasing in insert order (unique by construction: an identity column).';
COMMENT ON COLUMN delivery_events.dedup_key IS '128-bit digest of the event''s identity (message, statuses, error, event time); stored once per provider and message key, so retries collapse.';
COMMENT ON COLUMN delivery_events.received_month IS 'First day of the UTC month of received_at: the partition key, part of the dedup key.';
COMMENT ON TABLE inbound_messages IS 'Replies and opt-outs sent by handsets (CDYNE SMSResponse, Dynmark inbound, STOP keywords), stored once per distinct message. Partitioned by received_month.';
COMMENT ON COLUMN inbound_messages.dedup_key IS '128-bit digest of the message''s identity; stored once per provider, so retries collapse.';
COMMENT ON COLUMN inbound_messages.received_month IS 'First day of the UTC month of received_at: the partition key, part of the dedup key.';

-- The views that read these tables now read the new ones; their definitions do not change.
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

CREATE OR REPLACE VIEW opt_outs_daily AS
SELECT
    provider,
    (date_trunc('day', received_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')   AS day,
    count(*)                                AS opt_outs,
    count(DISTINCT sender)                  AS senders
FROM inbound_messages
WHERE is_opt_out
GROUP BY provider, (date_trunc('day', received_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC');

DROP TABLE callbacks_unpartitioned, delivery_events_unpartitioned, inbound_messages_unpartitioned;
