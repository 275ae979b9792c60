-- receiver: the Postgres schema, as the migrations in receiver/migrations/ leave it.
--
-- Dashboards read these tables and views directly: names and columns are stable (columns may
-- be added; none are renamed or removed). Generated: `python -m receiver.db > schema.sql`.
-- A test holds this file equal to the migrations applied in order.

--
-- PostgreSQL database dump
--



SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET transaction_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: receiver_add_partition(regclass, date, date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.receiver_add_partition(parent regclass, lower date, upper date) RETURNS text
    LANGUAGE plpgsql
    AS $$
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


--
-- Name: FUNCTION receiver_add_partition(parent regclass, lower date, upper date); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.receiver_add_partition(parent regclass, lower date, upper date) IS 'Adds the partition of callbacks, delivery_events or inbound_messages for the months [lower, upper); receiver/projection/partitions.py decides which.';


--
-- Name: receiver_log_late_opt_out(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.receiver_log_late_opt_out() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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


--
-- Name: FUNCTION receiver_log_late_opt_out(); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.receiver_log_late_opt_out() IS 'Logs the UTC day of an opt-out inbound message written or removed after that day was over, for the opt_outs_daily rollup (migration 12).';


--
-- Name: receiver_month_id(date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.receiver_month_id(month date) RETURNS uuid
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN ((lpad(to_hex(((EXTRACT(epoch FROM (month)::timestamp without time zone) * (1000)::numeric))::bigint), 12, '0'::text) || repeat('0'::text, 20)))::uuid;


--
-- Name: FUNCTION receiver_month_id(month date); Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON FUNCTION public.receiver_month_id(month date) IS 'The smallest callback id (time-ordered UUID) of the UTC day `month`: where the callbacks partition of that month starts.';


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: alert_cooldowns; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.alert_cooldowns (
    rule text NOT NULL,
    alert_key text NOT NULL,
    until timestamp with time zone NOT NULL
);


--
-- Name: TABLE alert_cooldowns; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.alert_cooldowns IS 'Bounds alert storms: while until is in the future, the same rule raises no new alert for the same key.';


--
-- Name: COLUMN alert_cooldowns.rule; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.alert_cooldowns.rule IS 'Alert type.';


--
-- Name: COLUMN alert_cooldowns.alert_key; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.alert_cooldowns.alert_key IS 'What the alert is about.';


--
-- Name: COLUMN alert_cooldowns.until; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.alert_cooldowns.until IS 'End of the cool-down.';


--
-- Name: alert_deliveries; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.alert_deliveries (
    id bigint NOT NULL,
    alert_id bigint NOT NULL,
    target text NOT NULL,
    format text DEFAULT 'standard'::text NOT NULL,
    state text DEFAULT 'pending'::text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    next_attempt_at timestamp with time zone DEFAULT now() NOT NULL,
    last_error text,
    delivered_at timestamp with time zone,
    claim_token uuid,
    CONSTRAINT alert_deliveries_format_check CHECK ((format = ANY (ARRAY['standard'::text, 'slack'::text]))),
    CONSTRAINT alert_deliveries_state_check CHECK ((state = ANY (ARRAY['pending'::text, 'delivered'::text, 'failed'::text])))
);


--
-- Name: TABLE alert_deliveries; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.alert_deliveries IS 'Outbox: one row per alert and target, retried with backoff until delivered or given up.';


--
-- Name: COLUMN alert_deliveries.id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.alert_deliveries.id IS 'Surrogate key.';


--
-- Name: COLUMN alert_deliveries.alert_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.alert_deliveries.alert_id IS 'The alert to deliver.';


--
-- Name: COLUMN alert_deliveries.target; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.alert_deliveries.target IS 'URL the alert is POSTed to.';


--
-- Name: COLUMN alert_deliveries.format; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.alert_deliveries.format IS 'standard (signed JSON per Standard Webhooks) or slack (a Slack-compatible text body).';


--
-- Name: COLUMN alert_deliveries.state; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.alert_deliveries.state IS 'pending, delivered, or failed (given up; see last_error).';


--
-- Name: COLUMN alert_deliveries.attempts; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.alert_deliveries.attempts IS 'Delivery attempts made so far.';


--
-- Name: COLUMN alert_deliveries.next_attempt_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.alert_deliveries.next_attempt_at IS 'Earliest time of the next attempt; while an attempt is in flight (claim_token set), the end of its lease.';


--
-- Name: COLUMN alert_deliveries.last_error; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.alert_deliveries.last_error IS 'Why the last attempt failed, and why delivery was given up.';


--
-- Name: COLUMN alert_deliveries.delivered_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.alert_deliveries.delivered_at IS 'When the target answered 2xx.';


--
-- Name: COLUMN alert_deliveries.claim_token; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.alert_deliveries.claim_token IS 'Token of the dispatcher claim now attempting the delivery; null when no attempt is in flight. While set, next_attempt_at is when the claim lapses and another dispatcher may try.';


--
-- Name: alert_deliveries_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.alert_deliveries ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.alert_deliveries_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: alerts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.alerts (
    id bigint NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    type text NOT NULL,
    alert_key text NOT NULL,
    provider text,
    payload jsonb NOT NULL,
    notified_at timestamp with time zone
);


--
-- Name: TABLE alerts; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.alerts IS 'Alerts raised by the alert rules; written in the same transaction as the event that caused them, so none is lost.';


--
-- Name: COLUMN alerts.id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.alerts.id IS 'Alert id; the webhook-id header of its deliveries is alert_<id>.';


--
-- Name: COLUMN alerts.created_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.alerts.created_at IS 'When the alert was raised.';


--
-- Name: COLUMN alerts.type; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.alerts.type IS 'message.failed, message.opted_out, provider.failure_rate or callbacks.silent.';


--
-- Name: COLUMN alerts.alert_key; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.alerts.alert_key IS 'What the alert is about (a message key, a provider, ...); one alert per rule and key per cool-down.';


--
-- Name: COLUMN alerts.provider; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.alerts.provider IS 'Provider slug, where the alert concerns one provider.';


--
-- Name: COLUMN alerts.payload; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.alerts.payload IS 'The JSON body sent to every alert target.';


--
-- Name: COLUMN alerts.notified_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.alerts.notified_at IS 'When a NOTIFY on channel receiver_alerts announced the alert; null until then.';


--
-- Name: alerts_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.alerts ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.alerts_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: callbacks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.callbacks (
    id uuid CONSTRAINT callbacks_id_not_null1 NOT NULL,
    received_at timestamp with time zone CONSTRAINT callbacks_received_at_not_null1 NOT NULL,
    provider text CONSTRAINT callbacks_provider_not_null1 NOT NULL,
    method text CONSTRAINT callbacks_method_not_null1 NOT NULL,
    query text DEFAULT ''::text CONSTRAINT callbacks_query_not_null1 NOT NULL,
    headers jsonb DEFAULT '{}'::jsonb CONSTRAINT callbacks_headers_not_null1 NOT NULL,
    content_type text,
    body bytea DEFAULT '\x'::bytea,
    parse_error text
)
PARTITION BY RANGE (id);


--
-- Name: TABLE callbacks; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.callbacks IS 'One row per accepted HTTP callback request, exactly as received, for audit and re-parsing. Partitioned by id (time-ordered), one partition per month.';


--
-- Name: COLUMN callbacks.id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.callbacks.id IS 'Id given to the request when it was received (time-ordered UUID); replays of a spooled request reuse it, so it is stored once.';


--
-- Name: COLUMN callbacks.received_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.callbacks.received_at IS 'When the receiver accepted the request (UTC).';


--
-- Name: COLUMN callbacks.provider; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.callbacks.provider IS 'Provider slug from the callback URL, e.g. dynmark, cdyne, smartswitch, smpp.';


--
-- Name: COLUMN callbacks.method; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.callbacks.method IS 'HTTP method, GET or POST.';


--
-- Name: COLUMN callbacks.query; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.callbacks.query IS 'Raw query string, without the leading question mark.';


--
-- Name: COLUMN callbacks.headers; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.callbacks.headers IS 'Request headers (lower-cased names); credentials such as Authorization and cookies are redacted.';


--
-- Name: COLUMN callbacks.content_type; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.callbacks.content_type IS 'Content-Type header as sent, null when absent.';


--
-- Name: COLUMN callbacks.body; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.callbacks.body IS 'Raw request body bytes (empty for GET callbacks); null once RECEIVER_RAW_RETENTION has cleared it.';


--
-- Name: COLUMN callbacks.parse_error; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.callbacks.parse_error IS 'Why the request could not be normalized; null when it was parsed.';


--
-- Name: delivery_events; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.delivery_events (
    id bigint CONSTRAINT delivery_events_id_not_null1 NOT NULL,
    callback_id uuid CONSTRAINT delivery_events_callback_id_not_null1 NOT NULL,
    provider text CONSTRAINT delivery_events_provider_not_null1 NOT NULL,
    message_key text NOT NULL,
    message_id text,
    client_ref text,
    recipient text,
    status text CONSTRAINT delivery_events_status_not_null1 NOT NULL,
    provider_status text,
    error_code text,
    error_detail text,
    occurred_at timestamp with time zone,
    occurred_at_raw text,
    received_at timestamp with time zone CONSTRAINT delivery_events_received_at_not_null1 NOT NULL,
    dedup_key bytea CONSTRAINT delivery_events_dedup_key_not_null1 NOT NULL,
    received_month date NOT NULL,
    CONSTRAINT delivery_events_dedup_key_check1 CHECK ((octet_length(dedup_key) = 16)),
    CONSTRAINT delivery_events_status_check1 CHECK ((status = ANY (ARRAY['queued'::text, 'sent'::text, 'delivered'::text, 'undelivered'::text, 'expired'::text, 'rejected'::text, 'unknown'::text])))
)
PARTITION BY RANGE (received_month);


--
-- Name: TABLE delivery_events; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.delivery_events IS 'One row per distinct delivery-status event; provider retries of the same event are stored once. Partitioned by received_month.';


--
-- Name: COLUMN delivery_events.id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_events.id IS 'Surrogate key, increasing in insert order (unique by construction: an identity column).';


--
-- Name: COLUMN delivery_events.callback_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_events.callback_id IS 'The callbacks row this event was read from.';


--
-- Name: COLUMN delivery_events.provider; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_events.provider IS 'Provider slug.';


--
-- Name: COLUMN delivery_events.message_key; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_events.message_key IS 'Identity of the message within the provider (id:<message_id>, or ref:<client_ref>:<recipient> where the provider sends no id); joins to messages. keyless:<hex of dedup_key> for an event that names no message: such events are in no messages row.';


--
-- Name: COLUMN delivery_events.message_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_events.message_id IS 'The provider''s transaction/message id; null where the provider sends none.';


--
-- Name: COLUMN delivery_events.client_ref; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_events.client_ref IS 'The sender''s own reference for the message; null where none.';


--
-- Name: COLUMN delivery_events.recipient; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_events.recipient IS 'Destination number as E.164 digits without +, where it could be normalized; else as given.';


--
-- Name: COLUMN delivery_events.status; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_events.status IS 'Normalized status: queued, sent, delivered, undelivered, expired, rejected or unknown.';


--
-- Name: COLUMN delivery_events.provider_status; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_events.provider_status IS 'The provider''s own raw status value, as given.';


--
-- Name: COLUMN delivery_events.error_code; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_events.error_code IS 'The provider''s or carrier''s error code, as given.';


--
-- Name: COLUMN delivery_events.error_detail; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_events.error_detail IS 'Human-readable error or status text from the provider.';


--
-- Name: COLUMN delivery_events.occurred_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_events.occurred_at IS 'When the provider says the event happened (UTC); null if it did not say.';


--
-- Name: COLUMN delivery_events.occurred_at_raw; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_events.occurred_at_raw IS 'The provider''s event time exactly as sent.';


--
-- Name: COLUMN delivery_events.received_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_events.received_at IS 'When the receiver accepted the callback carrying this event (UTC).';


--
-- Name: COLUMN delivery_events.dedup_key; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_events.dedup_key IS '128-bit digest of the event''s identity (message, statuses, error, event time); stored once per provider and message key, so retries collapse.';


--
-- Name: COLUMN delivery_events.received_month; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_events.received_month IS 'First day of the UTC month of received_at: the partition key, part of the dedup key.';


--
-- Name: delivery_events_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.delivery_events ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.delivery_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: messages; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.messages (
    provider text NOT NULL,
    message_key text NOT NULL,
    message_id text,
    client_ref text,
    recipient text,
    status text NOT NULL,
    status_rank smallint NOT NULL,
    status_at timestamp with time zone NOT NULL,
    provider_status text,
    error_code text,
    error_detail text,
    first_event_at timestamp with time zone NOT NULL,
    last_event_at timestamp with time zone NOT NULL,
    last_received_at timestamp with time zone NOT NULL,
    delivered_at timestamp with time zone,
    final_at timestamp with time zone,
    event_count integer NOT NULL
);


--
-- Name: TABLE messages; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.messages IS 'Current state of each outbound message, projected from delivery_events; the status never moves backwards.';


--
-- Name: COLUMN messages.provider; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.messages.provider IS 'Provider slug.';


--
-- Name: COLUMN messages.message_key; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.messages.message_key IS 'Identity of the message within the provider (see delivery_events.message_key).';


--
-- Name: COLUMN messages.message_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.messages.message_id IS 'The provider''s message id, from the first event that carried one.';


--
-- Name: COLUMN messages.client_ref; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.messages.client_ref IS 'The sender''s own reference, from the first event that carried one.';


--
-- Name: COLUMN messages.recipient; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.messages.recipient IS 'Destination number (E.164 digits without + where normalizable).';


--
-- Name: COLUMN messages.status; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.messages.status IS 'Current normalized status. A final status is never replaced by a non-final one; unknown is the weakest final.';


--
-- Name: COLUMN messages.status_rank; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.messages.status_rank IS 'Precedence of status: 1 queued, 2 sent, 3 unknown, 4 delivered/undelivered/expired/rejected; 3 and above are final.';


--
-- Name: COLUMN messages.status_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.messages.status_at IS 'Event time of the event that set the current status (provider time, else receipt time).';


--
-- Name: COLUMN messages.provider_status; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.messages.provider_status IS 'Raw provider status of the event that set the current status.';


--
-- Name: COLUMN messages.error_code; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.messages.error_code IS 'Error code of the event that set the current status.';


--
-- Name: COLUMN messages.error_detail; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.messages.error_detail IS 'Error text of the event that set the current status.';


--
-- Name: COLUMN messages.first_event_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.messages.first_event_at IS 'Earliest event time seen for the message (provider time, else receipt time).';


--
-- Name: COLUMN messages.last_event_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.messages.last_event_at IS 'Latest event time seen for the message (provider time, else receipt time).';


--
-- Name: COLUMN messages.last_received_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.messages.last_received_at IS 'When the latest event for the message was received; drives stale_messages.';


--
-- Name: COLUMN messages.delivered_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.messages.delivered_at IS 'Earliest time a delivered event reports; null if never delivered.';


--
-- Name: COLUMN messages.final_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.messages.final_at IS 'Earliest time of any final-status event; null while the message is not final.';


--
-- Name: COLUMN messages.event_count; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.messages.event_count IS 'Number of distinct events stored for the message.';


--
-- Name: delivery_latency_daily_live; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.delivery_latency_daily_live AS
 SELECT provider,
    (date_trunc('day'::text, (delivered_at AT TIME ZONE 'UTC'::text)) AT TIME ZONE 'UTC'::text) AS day,
    count(*) AS delivered,
    percentile_cont((0.5)::double precision) WITHIN GROUP (ORDER BY ((EXTRACT(epoch FROM (delivered_at - first_event_at)))::double precision)) AS p50_seconds,
    percentile_cont((0.95)::double precision) WITHIN GROUP (ORDER BY ((EXTRACT(epoch FROM (delivered_at - first_event_at)))::double precision)) AS p95_seconds
   FROM public.messages
  WHERE (delivered_at IS NOT NULL)
  GROUP BY provider, ((date_trunc('day'::text, (delivered_at AT TIME ZONE 'UTC'::text)) AT TIME ZONE 'UTC'::text));


--
-- Name: VIEW delivery_latency_daily_live; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.delivery_latency_daily_live IS 'delivery_latency_daily computed from messages on every read (what the rollup stores for closed days). Dashboards should read delivery_latency_daily.';


--
-- Name: COLUMN delivery_latency_daily_live.provider; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_latency_daily_live.provider IS 'Provider slug.';


--
-- Name: COLUMN delivery_latency_daily_live.day; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_latency_daily_live.day IS 'Start of the UTC day of messages.delivered_at.';


--
-- Name: COLUMN delivery_latency_daily_live.delivered; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_latency_daily_live.delivered IS 'Messages with a delivered report that day (whatever their current status).';


--
-- Name: COLUMN delivery_latency_daily_live.p50_seconds; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_latency_daily_live.p50_seconds IS 'Median of delivered_at - first_event_at, in seconds (percentile_cont(0.5)). 0 when the delivered report was the first event seen.';


--
-- Name: COLUMN delivery_latency_daily_live.p95_seconds; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_latency_daily_live.p95_seconds IS '95th percentile of delivered_at - first_event_at, in seconds (percentile_cont(0.95)).';


--
-- Name: delivery_latency_daily_rollup; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.delivery_latency_daily_rollup (
    provider text,
    day timestamp with time zone,
    delivered bigint,
    p50_seconds double precision,
    p95_seconds double precision
);


--
-- Name: TABLE delivery_latency_daily_rollup; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.delivery_latency_daily_rollup IS 'delivery_latency_daily_live for closed UTC days, as of the last rollup run. Read delivery_latency_daily, which adds what is newer.';


--
-- Name: COLUMN delivery_latency_daily_rollup.provider; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_latency_daily_rollup.provider IS 'Provider slug.';


--
-- Name: COLUMN delivery_latency_daily_rollup.day; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_latency_daily_rollup.day IS 'Start of the UTC day of messages.delivered_at.';


--
-- Name: COLUMN delivery_latency_daily_rollup.delivered; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_latency_daily_rollup.delivered IS 'Messages with a delivered report that day (whatever their current status).';


--
-- Name: COLUMN delivery_latency_daily_rollup.p50_seconds; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_latency_daily_rollup.p50_seconds IS 'Median of delivered_at - first_event_at, in seconds (percentile_cont(0.5)). 0 when the delivered report was the first event seen.';


--
-- Name: COLUMN delivery_latency_daily_rollup.p95_seconds; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_latency_daily_rollup.p95_seconds IS '95th percentile of delivered_at - first_event_at, in seconds (percentile_cont(0.95)).';


--
-- Name: rollup_dirty_days; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.rollup_dirty_days (
    day timestamp with time zone NOT NULL
);


--
-- Name: TABLE rollup_dirty_days; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.rollup_dirty_days IS 'UTC days whose messages changed after the day was over (a late final or delivered report); aggregated live until the next rollup run.';


--
-- Name: COLUMN rollup_dirty_days.day; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.rollup_dirty_days.day IS 'Start of the UTC day (messages.final_at or delivered_at).';


--
-- Name: rollup_watermarks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.rollup_watermarks (
    rollup text NOT NULL,
    rolled_until timestamp with time zone NOT NULL,
    purged_until timestamp with time zone
);


--
-- Name: TABLE rollup_watermarks; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.rollup_watermarks IS 'How far each rollup has been computed; a missing row means not at all (-infinity).';


--
-- Name: COLUMN rollup_watermarks.rollup; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.rollup_watermarks.rollup IS 'event_hours (delivery_stats_hourly) or message_days (delivery_rate_daily, delivery_latency_daily).';


--
-- Name: COLUMN rollup_watermarks.rolled_until; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.rollup_watermarks.rolled_until IS 'Buckets starting before this time are in the rollup tables (unless logged dirty); later ones are aggregated live.';


--
-- Name: COLUMN rollup_watermarks.purged_until; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.rollup_watermarks.purged_until IS 'Buckets starting before this time may have lost rows to retention: they stay as rolled up, never recomputed. Null: nothing purged.';


--
-- Name: delivery_latency_daily; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.delivery_latency_daily AS
 SELECT r.provider,
    r.day,
    r.delivered,
    r.p50_seconds,
    r.p95_seconds
   FROM public.delivery_latency_daily_rollup r
  WHERE ((r.day < COALESCE(( SELECT rollup_watermarks.rolled_until
           FROM public.rollup_watermarks
          WHERE (rollup_watermarks.rollup = 'message_days'::text)), '-infinity'::timestamp with time zone)) AND ((r.day < COALESCE(( SELECT rollup_watermarks.purged_until
           FROM public.rollup_watermarks
          WHERE (rollup_watermarks.rollup = 'message_days'::text)), '-infinity'::timestamp with time zone)) OR (NOT (EXISTS ( SELECT
           FROM public.rollup_dirty_days d
          WHERE (d.day = r.day))))))
UNION ALL
 SELECT l.provider,
    l.day,
    l.delivered,
    l.p50_seconds,
    l.p95_seconds
   FROM public.delivery_latency_daily_live l
  WHERE (l.day >= COALESCE(( SELECT rollup_watermarks.rolled_until
           FROM public.rollup_watermarks
          WHERE (rollup_watermarks.rollup = 'message_days'::text)), '-infinity'::timestamp with time zone))
UNION ALL
 SELECT l.provider,
    l.day,
    l.delivered,
    l.p50_seconds,
    l.p95_seconds
   FROM public.delivery_latency_daily_live l
  WHERE ((l.day < COALESCE(( SELECT rollup_watermarks.rolled_until
           FROM public.rollup_watermarks
          WHERE (rollup_watermarks.rollup = 'message_days'::text)), '-infinity'::timestamp with time zone)) AND (l.day >= COALESCE(( SELECT rollup_watermarks.purged_until
           FROM public.rollup_watermarks
          WHERE (rollup_watermarks.rollup = 'message_days'::text)), '-infinity'::timestamp with time zone)) AND (l.day = ANY (ARRAY( SELECT d.day
           FROM public.rollup_dirty_days d))));


--
-- Name: VIEW delivery_latency_daily; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.delivery_latency_daily IS 'Per provider and UTC day of delivery (messages.delivered_at): how long delivery took, as the median and 95th percentile of delivered_at - first_event_at (continuous percentiles, in seconds). Closed days come from delivery_latency_daily_rollup, the rest is aggregated live; the result is the same.';


--
-- Name: COLUMN delivery_latency_daily.provider; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_latency_daily.provider IS 'Provider slug.';


--
-- Name: COLUMN delivery_latency_daily.day; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_latency_daily.day IS 'Start of the UTC day of messages.delivered_at.';


--
-- Name: COLUMN delivery_latency_daily.delivered; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_latency_daily.delivered IS 'Messages with a delivered report that day (whatever their current status).';


--
-- Name: COLUMN delivery_latency_daily.p50_seconds; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_latency_daily.p50_seconds IS 'Median of delivered_at - first_event_at, in seconds (percentile_cont(0.5)). 0 when the delivered report was the first event seen.';


--
-- Name: COLUMN delivery_latency_daily.p95_seconds; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_latency_daily.p95_seconds IS '95th percentile of delivered_at - first_event_at, in seconds (percentile_cont(0.95)).';


--
-- Name: delivery_rate_daily_live; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.delivery_rate_daily_live AS
 SELECT provider,
    (date_trunc('day'::text, (final_at AT TIME ZONE 'UTC'::text)) AT TIME ZONE 'UTC'::text) AS day,
    count(*) AS final,
    count(*) FILTER (WHERE (status = 'delivered'::text)) AS delivered,
    count(*) FILTER (WHERE (status = ANY (ARRAY['undelivered'::text, 'expired'::text, 'rejected'::text]))) AS failed,
    count(*) FILTER (WHERE (status = 'undelivered'::text)) AS undelivered,
    count(*) FILTER (WHERE (status = 'expired'::text)) AS expired,
    count(*) FILTER (WHERE (status = 'rejected'::text)) AS rejected,
    count(*) FILTER (WHERE (status = 'unknown'::text)) AS unknown,
    round(((count(*) FILTER (WHERE (status = 'delivered'::text)))::numeric / (count(*))::numeric), 4) AS delivery_rate,
    round(((count(*) FILTER (WHERE (status = ANY (ARRAY['undelivered'::text, 'expired'::text, 'rejected'::text]))))::numeric / (count(*))::numeric), 4) AS failure_rate
   FROM public.messages
  WHERE (final_at IS NOT NULL)
  GROUP BY provider, ((date_trunc('day'::text, (final_at AT TIME ZONE 'UTC'::text)) AT TIME ZONE 'UTC'::text));


--
-- Name: VIEW delivery_rate_daily_live; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.delivery_rate_daily_live IS 'delivery_rate_daily computed from messages on every read (what the rollup stores for closed days). Dashboards should read delivery_rate_daily.';


--
-- Name: COLUMN delivery_rate_daily_live.provider; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily_live.provider IS 'Provider slug.';


--
-- Name: COLUMN delivery_rate_daily_live.day; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily_live.day IS 'Start of the UTC day of messages.final_at (when the message first reached a final status).';


--
-- Name: COLUMN delivery_rate_daily_live.final; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily_live.final IS 'Messages whose final_at falls on the day (every one has a final status).';


--
-- Name: COLUMN delivery_rate_daily_live.delivered; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily_live.delivered IS 'Of those, messages whose current status is delivered.';


--
-- Name: COLUMN delivery_rate_daily_live.failed; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily_live.failed IS 'Of those, messages whose current status is undelivered, expired or rejected.';


--
-- Name: COLUMN delivery_rate_daily_live.undelivered; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily_live.undelivered IS 'Of those, messages whose current status is undelivered.';


--
-- Name: COLUMN delivery_rate_daily_live.expired; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily_live.expired IS 'Of those, messages whose current status is expired.';


--
-- Name: COLUMN delivery_rate_daily_live.rejected; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily_live.rejected IS 'Of those, messages whose current status is rejected.';


--
-- Name: COLUMN delivery_rate_daily_live.unknown; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily_live.unknown IS 'Of those, messages whose current status is unknown (final, outcome not known).';


--
-- Name: COLUMN delivery_rate_daily_live.delivery_rate; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily_live.delivery_rate IS 'delivered / final, 4 decimals (unknown counts in final, as in delivery_stats_hourly).';


--
-- Name: COLUMN delivery_rate_daily_live.failure_rate; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily_live.failure_rate IS 'failed / final, 4 decimals.';


--
-- Name: delivery_rate_daily_rollup; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.delivery_rate_daily_rollup (
    provider text,
    day timestamp with time zone,
    final bigint,
    delivered bigint,
    failed bigint,
    undelivered bigint,
    expired bigint,
    rejected bigint,
    unknown bigint,
    delivery_rate numeric,
    failure_rate numeric
);


--
-- Name: TABLE delivery_rate_daily_rollup; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.delivery_rate_daily_rollup IS 'delivery_rate_daily_live for closed UTC days, as of the last rollup run. Read delivery_rate_daily, which adds what is newer.';


--
-- Name: COLUMN delivery_rate_daily_rollup.provider; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily_rollup.provider IS 'Provider slug.';


--
-- Name: COLUMN delivery_rate_daily_rollup.day; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily_rollup.day IS 'Start of the UTC day of messages.final_at (when the message first reached a final status).';


--
-- Name: COLUMN delivery_rate_daily_rollup.final; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily_rollup.final IS 'Messages whose final_at falls on the day (every one has a final status).';


--
-- Name: COLUMN delivery_rate_daily_rollup.delivered; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily_rollup.delivered IS 'Of those, messages whose current status is delivered.';


--
-- Name: COLUMN delivery_rate_daily_rollup.failed; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily_rollup.failed IS 'Of those, messages whose current status is undelivered, expired or rejected.';


--
-- Name: COLUMN delivery_rate_daily_rollup.undelivered; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily_rollup.undelivered IS 'Of those, messages whose current status is undelivered.';


--
-- Name: COLUMN delivery_rate_daily_rollup.expired; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily_rollup.expired IS 'Of those, messages whose current status is expired.';


--
-- Name: COLUMN delivery_rate_daily_rollup.rejected; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily_rollup.rejected IS 'Of those, messages whose current status is rejected.';


--
-- Name: COLUMN delivery_rate_daily_rollup.unknown; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily_rollup.unknown IS 'Of those, messages whose current status is unknown (final, outcome not known).';


--
-- Name: COLUMN delivery_rate_daily_rollup.delivery_rate; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily_rollup.delivery_rate IS 'delivered / final, 4 decimals (unknown counts in final, as in delivery_stats_hourly).';


--
-- Name: COLUMN delivery_rate_daily_rollup.failure_rate; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily_rollup.failure_rate IS 'failed / final, 4 decimals.';


--
-- Name: delivery_rate_daily; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.delivery_rate_daily AS
 SELECT r.provider,
    r.day,
    r.final,
    r.delivered,
    r.failed,
    r.undelivered,
    r.expired,
    r.rejected,
    r.unknown,
    r.delivery_rate,
    r.failure_rate
   FROM public.delivery_rate_daily_rollup r
  WHERE ((r.day < COALESCE(( SELECT rollup_watermarks.rolled_until
           FROM public.rollup_watermarks
          WHERE (rollup_watermarks.rollup = 'message_days'::text)), '-infinity'::timestamp with time zone)) AND ((r.day < COALESCE(( SELECT rollup_watermarks.purged_until
           FROM public.rollup_watermarks
          WHERE (rollup_watermarks.rollup = 'message_days'::text)), '-infinity'::timestamp with time zone)) OR (NOT (EXISTS ( SELECT
           FROM public.rollup_dirty_days d
          WHERE (d.day = r.day))))))
UNION ALL
 SELECT l.provider,
    l.day,
    l.final,
    l.delivered,
    l.failed,
    l.undelivered,
    l.expired,
    l.rejected,
    l.unknown,
    l.delivery_rate,
    l.failure_rate
   FROM public.delivery_rate_daily_live l
  WHERE (l.day >= COALESCE(( SELECT rollup_watermarks.rolled_until
           FROM public.rollup_watermarks
          WHERE (rollup_watermarks.rollup = 'message_days'::text)), '-infinity'::timestamp with time zone))
UNION ALL
 SELECT l.provider,
    l.day,
    l.final,
    l.delivered,
    l.failed,
    l.undelivered,
    l.expired,
    l.rejected,
    l.unknown,
    l.delivery_rate,
    l.failure_rate
   FROM public.delivery_rate_daily_live l
  WHERE ((l.day < COALESCE(( SELECT rollup_watermarks.rolled_until
           FROM public.rollup_watermarks
          WHERE (rollup_watermarks.rollup = 'message_days'::text)), '-infinity'::timestamp with time zone)) AND (l.day >= COALESCE(( SELECT rollup_watermarks.purged_until
           FROM public.rollup_watermarks
          WHERE (rollup_watermarks.rollup = 'message_days'::text)), '-infinity'::timestamp with time zone)) AND (l.day = ANY (ARRAY( SELECT d.day
           FROM public.rollup_dirty_days d))));


--
-- Name: VIEW delivery_rate_daily; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.delivery_rate_daily IS 'Per provider and UTC day: messages that reached a final status that day (by messages.final_at), split by their current status, and the delivery rate delivered / final. Counts messages, not events. Closed days come from delivery_rate_daily_rollup, the rest is aggregated live; the result is the same.';


--
-- Name: COLUMN delivery_rate_daily.provider; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily.provider IS 'Provider slug.';


--
-- Name: COLUMN delivery_rate_daily.day; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily.day IS 'Start of the UTC day of messages.final_at (when the message first reached a final status).';


--
-- Name: COLUMN delivery_rate_daily.final; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily.final IS 'Messages whose final_at falls on the day (every one has a final status).';


--
-- Name: COLUMN delivery_rate_daily.delivered; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily.delivered IS 'Of those, messages whose current status is delivered.';


--
-- Name: COLUMN delivery_rate_daily.failed; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily.failed IS 'Of those, messages whose current status is undelivered, expired or rejected.';


--
-- Name: COLUMN delivery_rate_daily.undelivered; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily.undelivered IS 'Of those, messages whose current status is undelivered.';


--
-- Name: COLUMN delivery_rate_daily.expired; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily.expired IS 'Of those, messages whose current status is expired.';


--
-- Name: COLUMN delivery_rate_daily.rejected; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily.rejected IS 'Of those, messages whose current status is rejected.';


--
-- Name: COLUMN delivery_rate_daily.unknown; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily.unknown IS 'Of those, messages whose current status is unknown (final, outcome not known).';


--
-- Name: COLUMN delivery_rate_daily.delivery_rate; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily.delivery_rate IS 'delivered / final, 4 decimals (unknown counts in final, as in delivery_stats_hourly).';


--
-- Name: COLUMN delivery_rate_daily.failure_rate; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_rate_daily.failure_rate IS 'failed / final, 4 decimals.';


--
-- Name: delivery_stats_hourly_live; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.delivery_stats_hourly_live AS
 SELECT provider,
    (date_trunc('hour'::text, (received_at AT TIME ZONE 'UTC'::text)) AT TIME ZONE 'UTC'::text) AS hour,
    count(*) AS events,
    count(*) FILTER (WHERE (status = 'queued'::text)) AS queued,
    count(*) FILTER (WHERE (status = 'sent'::text)) AS sent,
    count(*) FILTER (WHERE (status = 'delivered'::text)) AS delivered,
    count(*) FILTER (WHERE (status = 'undelivered'::text)) AS undelivered,
    count(*) FILTER (WHERE (status = 'expired'::text)) AS expired,
    count(*) FILTER (WHERE (status = 'rejected'::text)) AS rejected,
    count(*) FILTER (WHERE (status = 'unknown'::text)) AS unknown,
    round(((count(*) FILTER (WHERE (status = 'delivered'::text)))::numeric / (NULLIF(count(*) FILTER (WHERE (status = ANY (ARRAY['delivered'::text, 'undelivered'::text, 'expired'::text, 'rejected'::text, 'unknown'::text]))), 0))::numeric), 4) AS delivery_rate
   FROM public.delivery_events
  GROUP BY provider, ((date_trunc('hour'::text, (received_at AT TIME ZONE 'UTC'::text)) AT TIME ZONE 'UTC'::text));


--
-- Name: VIEW delivery_stats_hourly_live; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.delivery_stats_hourly_live IS 'delivery_stats_hourly computed from delivery_events on every read (what the rollup stores for closed hours). Dashboards should read delivery_stats_hourly.';


--
-- Name: COLUMN delivery_stats_hourly_live.provider; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly_live.provider IS 'Provider slug.';


--
-- Name: COLUMN delivery_stats_hourly_live.hour; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly_live.hour IS 'Start of the UTC hour in which the events were received (delivery_events.received_at).';


--
-- Name: COLUMN delivery_stats_hourly_live.events; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly_live.events IS 'Events received in the hour.';


--
-- Name: COLUMN delivery_stats_hourly_live.queued; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly_live.queued IS 'Events with status queued.';


--
-- Name: COLUMN delivery_stats_hourly_live.sent; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly_live.sent IS 'Events with status sent.';


--
-- Name: COLUMN delivery_stats_hourly_live.delivered; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly_live.delivered IS 'Events with status delivered.';


--
-- Name: COLUMN delivery_stats_hourly_live.undelivered; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly_live.undelivered IS 'Events with status undelivered.';


--
-- Name: COLUMN delivery_stats_hourly_live.expired; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly_live.expired IS 'Events with status expired.';


--
-- Name: COLUMN delivery_stats_hourly_live.rejected; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly_live.rejected IS 'Events with status rejected.';


--
-- Name: COLUMN delivery_stats_hourly_live.unknown; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly_live.unknown IS 'Events with status unknown.';


--
-- Name: COLUMN delivery_stats_hourly_live.delivery_rate; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly_live.delivery_rate IS 'delivered / (delivered + undelivered + expired + rejected + unknown) events, 4 decimals; null when the hour has no final event.';


--
-- Name: delivery_stats_hourly_rollup; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.delivery_stats_hourly_rollup (
    provider text,
    hour timestamp with time zone,
    events bigint,
    queued bigint,
    sent bigint,
    delivered bigint,
    undelivered bigint,
    expired bigint,
    rejected bigint,
    unknown bigint,
    delivery_rate numeric
);


--
-- Name: TABLE delivery_stats_hourly_rollup; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.delivery_stats_hourly_rollup IS 'delivery_stats_hourly_live for closed UTC hours, as of the last rollup run. Read delivery_stats_hourly, which adds what is newer.';


--
-- Name: COLUMN delivery_stats_hourly_rollup.provider; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly_rollup.provider IS 'Provider slug.';


--
-- Name: COLUMN delivery_stats_hourly_rollup.hour; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly_rollup.hour IS 'Start of the UTC hour in which the events were received (delivery_events.received_at).';


--
-- Name: COLUMN delivery_stats_hourly_rollup.events; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly_rollup.events IS 'Events received in the hour.';


--
-- Name: COLUMN delivery_stats_hourly_rollup.queued; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly_rollup.queued IS 'Events with status queued.';


--
-- Name: COLUMN delivery_stats_hourly_rollup.sent; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly_rollup.sent IS 'Events with status sent.';


--
-- Name: COLUMN delivery_stats_hourly_rollup.delivered; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly_rollup.delivered IS 'Events with status delivered.';


--
-- Name: COLUMN delivery_stats_hourly_rollup.undelivered; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly_rollup.undelivered IS 'Events with status undelivered.';


--
-- Name: COLUMN delivery_stats_hourly_rollup.expired; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly_rollup.expired IS 'Events with status expired.';


--
-- Name: COLUMN delivery_stats_hourly_rollup.rejected; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly_rollup.rejected IS 'Events with status rejected.';


--
-- Name: COLUMN delivery_stats_hourly_rollup.unknown; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly_rollup.unknown IS 'Events with status unknown.';


--
-- Name: COLUMN delivery_stats_hourly_rollup.delivery_rate; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly_rollup.delivery_rate IS 'delivered / (delivered + undelivered + expired + rejected + unknown) events, 4 decimals; null when the hour has no final event.';


--
-- Name: rollup_dirty_hours; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.rollup_dirty_hours (
    hour timestamp with time zone NOT NULL
);


--
-- Name: TABLE rollup_dirty_hours; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.rollup_dirty_hours IS 'UTC hours that gained delivery events after they were over (late or replayed callbacks); aggregated live until the next rollup run.';


--
-- Name: COLUMN rollup_dirty_hours.hour; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.rollup_dirty_hours.hour IS 'Start of the UTC hour (delivery_events.received_at).';


--
-- Name: delivery_stats_hourly; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.delivery_stats_hourly AS
 SELECT r.provider,
    r.hour,
    r.events,
    r.queued,
    r.sent,
    r.delivered,
    r.undelivered,
    r.expired,
    r.rejected,
    r.unknown,
    r.delivery_rate
   FROM public.delivery_stats_hourly_rollup r
  WHERE ((r.hour < COALESCE(( SELECT rollup_watermarks.rolled_until
           FROM public.rollup_watermarks
          WHERE (rollup_watermarks.rollup = 'event_hours'::text)), '-infinity'::timestamp with time zone)) AND ((r.hour < COALESCE(( SELECT rollup_watermarks.purged_until
           FROM public.rollup_watermarks
          WHERE (rollup_watermarks.rollup = 'event_hours'::text)), '-infinity'::timestamp with time zone)) OR (NOT (EXISTS ( SELECT
           FROM public.rollup_dirty_hours d
          WHERE (d.hour = r.hour))))))
UNION ALL
 SELECT l.provider,
    l.hour,
    l.events,
    l.queued,
    l.sent,
    l.delivered,
    l.undelivered,
    l.expired,
    l.rejected,
    l.unknown,
    l.delivery_rate
   FROM public.delivery_stats_hourly_live l
  WHERE (l.hour >= COALESCE(( SELECT rollup_watermarks.rolled_until
           FROM public.rollup_watermarks
          WHERE (rollup_watermarks.rollup = 'event_hours'::text)), '-infinity'::timestamp with time zone))
UNION ALL
 SELECT l.provider,
    l.hour,
    l.events,
    l.queued,
    l.sent,
    l.delivered,
    l.undelivered,
    l.expired,
    l.rejected,
    l.unknown,
    l.delivery_rate
   FROM public.delivery_stats_hourly_live l
  WHERE ((l.hour < COALESCE(( SELECT rollup_watermarks.rolled_until
           FROM public.rollup_watermarks
          WHERE (rollup_watermarks.rollup = 'event_hours'::text)), '-infinity'::timestamp with time zone)) AND (l.hour >= COALESCE(( SELECT rollup_watermarks.purged_until
           FROM public.rollup_watermarks
          WHERE (rollup_watermarks.rollup = 'event_hours'::text)), '-infinity'::timestamp with time zone)) AND (l.hour = ANY (ARRAY( SELECT d.hour
           FROM public.rollup_dirty_hours d))));


--
-- Name: VIEW delivery_stats_hourly; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.delivery_stats_hourly IS 'Per provider and UTC hour of receipt: event counts by normalized status and delivered / final events (delivery_rate, null when no final events). Counts events, not messages: a message with a sent and a delivered event counts in both columns. Closed hours come from delivery_stats_hourly_rollup, the rest is aggregated live; the result is the same.';


--
-- Name: COLUMN delivery_stats_hourly.provider; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly.provider IS 'Provider slug.';


--
-- Name: COLUMN delivery_stats_hourly.hour; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly.hour IS 'Start of the UTC hour in which the events were received (delivery_events.received_at).';


--
-- Name: COLUMN delivery_stats_hourly.events; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly.events IS 'Events received in the hour.';


--
-- Name: COLUMN delivery_stats_hourly.queued; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly.queued IS 'Events with status queued.';


--
-- Name: COLUMN delivery_stats_hourly.sent; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly.sent IS 'Events with status sent.';


--
-- Name: COLUMN delivery_stats_hourly.delivered; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly.delivered IS 'Events with status delivered.';


--
-- Name: COLUMN delivery_stats_hourly.undelivered; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly.undelivered IS 'Events with status undelivered.';


--
-- Name: COLUMN delivery_stats_hourly.expired; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly.expired IS 'Events with status expired.';


--
-- Name: COLUMN delivery_stats_hourly.rejected; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly.rejected IS 'Events with status rejected.';


--
-- Name: COLUMN delivery_stats_hourly.unknown; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly.unknown IS 'Events with status unknown.';


--
-- Name: COLUMN delivery_stats_hourly.delivery_rate; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.delivery_stats_hourly.delivery_rate IS 'delivered / (delivered + undelivered + expired + rejected + unknown) events, 4 decimals; null when the hour has no final event.';


--
-- Name: inbound_messages; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.inbound_messages (
    id bigint CONSTRAINT inbound_messages_id_not_null1 NOT NULL,
    callback_id uuid CONSTRAINT inbound_messages_callback_id_not_null1 NOT NULL,
    provider text CONSTRAINT inbound_messages_provider_not_null1 NOT NULL,
    message_id text,
    sender text,
    recipient text,
    text text,
    occurred_at timestamp with time zone,
    occurred_at_raw text,
    received_at timestamp with time zone CONSTRAINT inbound_messages_received_at_not_null1 NOT NULL,
    related_message_id text,
    related_client_ref text,
    is_opt_out boolean DEFAULT false CONSTRAINT inbound_messages_is_opt_out_not_null1 NOT NULL,
    keyword text,
    dedup_key bytea CONSTRAINT inbound_messages_dedup_key_not_null1 NOT NULL,
    received_month date NOT NULL,
    CONSTRAINT inbound_messages_dedup_key_check1 CHECK ((octet_length(dedup_key) = 16))
)
PARTITION BY RANGE (received_month);


--
-- Name: TABLE inbound_messages; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.inbound_messages IS 'Replies and opt-outs sent by handsets (CDYNE SMSResponse, Dynmark inbound, STOP keywords), stored once per distinct message. Partitioned by received_month.';


--
-- Name: COLUMN inbound_messages.id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.inbound_messages.id IS 'Surrogate key, increasing in insert order.';


--
-- Name: COLUMN inbound_messages.callback_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.inbound_messages.callback_id IS 'The callbacks row this message was read from.';


--
-- Name: COLUMN inbound_messages.provider; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.inbound_messages.provider IS 'Provider slug.';


--
-- Name: COLUMN inbound_messages.message_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.inbound_messages.message_id IS 'The provider''s id of the inbound message, where given.';


--
-- Name: COLUMN inbound_messages.sender; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.inbound_messages.sender IS 'The handset that replied (E.164 digits without + where normalizable).';


--
-- Name: COLUMN inbound_messages.recipient; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.inbound_messages.recipient IS 'The number or short code replied to.';


--
-- Name: COLUMN inbound_messages.text; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.inbound_messages.text IS 'Message text.';


--
-- Name: COLUMN inbound_messages.occurred_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.inbound_messages.occurred_at IS 'When the provider received the reply (UTC); null if not given.';


--
-- Name: COLUMN inbound_messages.occurred_at_raw; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.inbound_messages.occurred_at_raw IS 'The provider''s time exactly as sent.';


--
-- Name: COLUMN inbound_messages.received_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.inbound_messages.received_at IS 'When the receiver accepted the callback (UTC).';


--
-- Name: COLUMN inbound_messages.related_message_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.inbound_messages.related_message_id IS 'The provider id of the outbound message this replies to, where the provider links them.';


--
-- Name: COLUMN inbound_messages.related_client_ref; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.inbound_messages.related_client_ref IS 'The client reference of the outbound message this replies to, where given.';


--
-- Name: COLUMN inbound_messages.is_opt_out; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.inbound_messages.is_opt_out IS 'True when the reply is an opt-out (a STOP-type keyword, or the provider flags it).';


--
-- Name: COLUMN inbound_messages.keyword; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.inbound_messages.keyword IS 'The opt-out keyword recognised, upper-cased; null when not an opt-out.';


--
-- Name: COLUMN inbound_messages.dedup_key; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.inbound_messages.dedup_key IS '128-bit digest of the message''s identity; stored once per provider, so retries collapse.';


--
-- Name: COLUMN inbound_messages.received_month; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.inbound_messages.received_month IS 'First day of the UTC month of received_at: the partition key, part of the dedup key.';


--
-- Name: inbound_messages_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

ALTER TABLE public.inbound_messages ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.inbound_messages_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: opt_outs_daily_live; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.opt_outs_daily_live AS
 SELECT provider,
    (date_trunc('day'::text, (received_at AT TIME ZONE 'UTC'::text)) AT TIME ZONE 'UTC'::text) AS day,
    count(*) AS opt_outs,
    count(DISTINCT sender) AS senders
   FROM public.inbound_messages
  WHERE is_opt_out
  GROUP BY provider, ((date_trunc('day'::text, (received_at AT TIME ZONE 'UTC'::text)) AT TIME ZONE 'UTC'::text));


--
-- Name: VIEW opt_outs_daily_live; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.opt_outs_daily_live IS 'opt_outs_daily computed from inbound_messages on every read (what the rollup stores for closed days). Dashboards should read opt_outs_daily.';


--
-- Name: COLUMN opt_outs_daily_live.provider; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.opt_outs_daily_live.provider IS 'Provider slug.';


--
-- Name: COLUMN opt_outs_daily_live.day; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.opt_outs_daily_live.day IS 'Start of the UTC day of inbound_messages.received_at.';


--
-- Name: COLUMN opt_outs_daily_live.opt_outs; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.opt_outs_daily_live.opt_outs IS 'Opt-out messages received that day.';


--
-- Name: COLUMN opt_outs_daily_live.senders; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.opt_outs_daily_live.senders IS 'Distinct handsets (sender) among them; a null sender is not counted.';


--
-- Name: opt_outs_daily_rollup; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.opt_outs_daily_rollup (
    provider text,
    day timestamp with time zone,
    opt_outs bigint,
    senders bigint
);


--
-- Name: TABLE opt_outs_daily_rollup; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.opt_outs_daily_rollup IS 'opt_outs_daily_live for closed UTC days, as of the last rollup run. Read opt_outs_daily, which adds what is newer.';


--
-- Name: COLUMN opt_outs_daily_rollup.provider; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.opt_outs_daily_rollup.provider IS 'Provider slug.';


--
-- Name: COLUMN opt_outs_daily_rollup.day; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.opt_outs_daily_rollup.day IS 'Start of the UTC day of inbound_messages.received_at.';


--
-- Name: COLUMN opt_outs_daily_rollup.opt_outs; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.opt_outs_daily_rollup.opt_outs IS 'Opt-out messages received that day.';


--
-- Name: COLUMN opt_outs_daily_rollup.senders; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.opt_outs_daily_rollup.senders IS 'Distinct handsets (sender) among them; a null sender is not counted.';


--
-- Name: rollup_dirty_inbound_days; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.rollup_dirty_inbound_days (
    day timestamp with time zone NOT NULL
);


--
-- Name: TABLE rollup_dirty_inbound_days; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.rollup_dirty_inbound_days IS 'UTC days that gained or lost opt-out inbound messages after the day was over (late or re-projected callbacks); aggregated live until the next rollup run.';


--
-- Name: COLUMN rollup_dirty_inbound_days.day; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.rollup_dirty_inbound_days.day IS 'Start of the UTC day (inbound_messages.received_at).';


--
-- Name: opt_outs_daily; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.opt_outs_daily AS
 SELECT r.provider,
    r.day,
    r.opt_outs,
    r.senders
   FROM public.opt_outs_daily_rollup r
  WHERE ((r.day < COALESCE(( SELECT rollup_watermarks.rolled_until
           FROM public.rollup_watermarks
          WHERE (rollup_watermarks.rollup = 'inbound_days'::text)), '-infinity'::timestamp with time zone)) AND ((r.day < COALESCE(( SELECT rollup_watermarks.purged_until
           FROM public.rollup_watermarks
          WHERE (rollup_watermarks.rollup = 'inbound_days'::text)), '-infinity'::timestamp with time zone)) OR (NOT (EXISTS ( SELECT
           FROM public.rollup_dirty_inbound_days d
          WHERE (d.day = r.day))))))
UNION ALL
 SELECT l.provider,
    l.day,
    l.opt_outs,
    l.senders
   FROM public.opt_outs_daily_live l
  WHERE (l.day >= COALESCE(( SELECT rollup_watermarks.rolled_until
           FROM public.rollup_watermarks
          WHERE (rollup_watermarks.rollup = 'inbound_days'::text)), '-infinity'::timestamp with time zone))
UNION ALL
 SELECT l.provider,
    l.day,
    l.opt_outs,
    l.senders
   FROM public.opt_outs_daily_live l
  WHERE ((l.day < COALESCE(( SELECT rollup_watermarks.rolled_until
           FROM public.rollup_watermarks
          WHERE (rollup_watermarks.rollup = 'inbound_days'::text)), '-infinity'::timestamp with time zone)) AND (l.day >= COALESCE(( SELECT rollup_watermarks.purged_until
           FROM public.rollup_watermarks
          WHERE (rollup_watermarks.rollup = 'inbound_days'::text)), '-infinity'::timestamp with time zone)) AND (l.day = ANY (ARRAY( SELECT d.day
           FROM public.rollup_dirty_inbound_days d))));


--
-- Name: VIEW opt_outs_daily; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.opt_outs_daily IS 'Per provider and UTC day of receipt: inbound messages that are opt-outs (inbound_messages.is_opt_out). Closed days come from opt_outs_daily_rollup, the rest is aggregated live; the result is the same, and stays so when retention drops old inbound messages.';


--
-- Name: COLUMN opt_outs_daily.provider; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.opt_outs_daily.provider IS 'Provider slug.';


--
-- Name: COLUMN opt_outs_daily.day; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.opt_outs_daily.day IS 'Start of the UTC day of inbound_messages.received_at.';


--
-- Name: COLUMN opt_outs_daily.opt_outs; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.opt_outs_daily.opt_outs IS 'Opt-out messages received that day.';


--
-- Name: COLUMN opt_outs_daily.senders; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.opt_outs_daily.senders IS 'Distinct handsets (sender) among them; a null sender is not counted.';


--
-- Name: projection_queue; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.projection_queue (
    callback_id uuid NOT NULL,
    fresh boolean DEFAULT false NOT NULL
);


--
-- Name: TABLE projection_queue; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.projection_queue IS 'Callbacks stored but not yet projected into delivery_events, messages and inbound_messages; a row leaves in the transaction that projects its callback. receiver reparse queues callbacks again.';


--
-- Name: COLUMN projection_queue.callback_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.projection_queue.callback_id IS 'The callbacks row to project; ids are time-ordered, and the projector takes the oldest first.';


--
-- Name: COLUMN projection_queue.fresh; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.projection_queue.fresh IS 'Queued by the ack path as it stored the callback, so nothing was projected from it before: the projector skips removing stale rows. False for a callback queued again (receiver reparse, the console).';


--
-- Name: receiver_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.receiver_migrations (
    version integer NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: retention_marks; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.retention_marks (
    mark text NOT NULL,
    until timestamp with time zone NOT NULL
);


--
-- Name: TABLE retention_marks; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON TABLE public.retention_marks IS 'Progress of the retention tasks (receiver/retention.py).';


--
-- Name: COLUMN retention_marks.mark; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.retention_marks.mark IS 'raw_bodies: callbacks received before until have had their body cleared (but those still queued for projection).';


--
-- Name: COLUMN retention_marks.until; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.retention_marks.until IS 'Where the task has reached.';


--
-- Name: stale_messages; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.stale_messages AS
 SELECT provider,
    message_key,
    message_id,
    client_ref,
    recipient,
    status,
    status_rank,
    status_at,
    provider_status,
    error_code,
    error_detail,
    first_event_at,
    last_event_at,
    last_received_at,
    delivered_at,
    final_at,
    event_count,
    (now() - last_received_at) AS silent_for
   FROM public.messages m
  WHERE ((status_rank < 3) AND (last_received_at < (now() - COALESCE((NULLIF(current_setting('receiver.stale_after'::text, true), ''::text))::interval, '24:00:00'::interval))));


--
-- Name: VIEW stale_messages; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.stale_messages IS 'Messages still queued or sent with no event for receiver.stale_after (default 24 hours).';


--
-- Name: COLUMN stale_messages.provider; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.stale_messages.provider IS 'Provider slug.';


--
-- Name: COLUMN stale_messages.message_key; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.stale_messages.message_key IS 'Identity of the message within the provider (see delivery_events.message_key).';


--
-- Name: COLUMN stale_messages.message_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.stale_messages.message_id IS 'The provider''s message id, from the first event that carried one.';


--
-- Name: COLUMN stale_messages.client_ref; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.stale_messages.client_ref IS 'The sender''s own reference, from the first event that carried one.';


--
-- Name: COLUMN stale_messages.recipient; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.stale_messages.recipient IS 'Destination number (E.164 digits without + where normalizable).';


--
-- Name: COLUMN stale_messages.status; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.stale_messages.status IS 'Current normalized status: queued or sent.';


--
-- Name: COLUMN stale_messages.status_rank; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.stale_messages.status_rank IS 'Precedence of status: 1 queued, 2 sent.';


--
-- Name: COLUMN stale_messages.status_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.stale_messages.status_at IS 'Event time of the event that set the current status.';


--
-- Name: COLUMN stale_messages.provider_status; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.stale_messages.provider_status IS 'Raw provider status of the event that set the current status.';


--
-- Name: COLUMN stale_messages.error_code; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.stale_messages.error_code IS 'Error code of the event that set the current status.';


--
-- Name: COLUMN stale_messages.error_detail; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.stale_messages.error_detail IS 'Error text of the event that set the current status.';


--
-- Name: COLUMN stale_messages.first_event_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.stale_messages.first_event_at IS 'Earliest event time seen for the message.';


--
-- Name: COLUMN stale_messages.last_event_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.stale_messages.last_event_at IS 'Latest event time seen for the message.';


--
-- Name: COLUMN stale_messages.last_received_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.stale_messages.last_received_at IS 'When the latest event for the message was received.';


--
-- Name: COLUMN stale_messages.delivered_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.stale_messages.delivered_at IS 'Always null here (a delivered message is final).';


--
-- Name: COLUMN stale_messages.final_at; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.stale_messages.final_at IS 'Always null here (the message is not final).';


--
-- Name: COLUMN stale_messages.event_count; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.stale_messages.event_count IS 'Number of distinct events stored for the message.';


--
-- Name: COLUMN stale_messages.silent_for; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.stale_messages.silent_for IS 'now() - last_received_at: how long the message has had no event.';


--
-- Name: top_error_codes; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.top_error_codes AS
 SELECT provider,
    error_code,
    count(*) AS failed,
    round(((count(*))::numeric / sum(count(*)) OVER (PARTITION BY provider)), 4) AS share,
    count(*) FILTER (WHERE (status = 'undelivered'::text)) AS undelivered,
    count(*) FILTER (WHERE (status = 'expired'::text)) AS expired,
    count(*) FILTER (WHERE (status = 'rejected'::text)) AS rejected,
    min(final_at) AS first_seen,
    max(final_at) AS last_seen
   FROM public.messages
  WHERE ((status = ANY (ARRAY['undelivered'::text, 'expired'::text, 'rejected'::text])) AND (final_at >= (now() - COALESCE((NULLIF(current_setting('receiver.error_window'::text, true), ''::text))::interval, '7 days'::interval))))
  GROUP BY provider, error_code;


--
-- Name: VIEW top_error_codes; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.top_error_codes IS 'Per provider and error code: failed messages (current status undelivered, expired or rejected) whose final_at is within receiver.error_window (default 7 days) of now, and their share of the provider''s failed messages in that window.';


--
-- Name: COLUMN top_error_codes.provider; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.top_error_codes.provider IS 'Provider slug.';


--
-- Name: COLUMN top_error_codes.error_code; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.top_error_codes.error_code IS 'messages.error_code: the provider''s or carrier''s code on the event that set the failed status; null when none was given (one row for those).';


--
-- Name: COLUMN top_error_codes.failed; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.top_error_codes.failed IS 'Failed messages with this provider and error code in the window.';


--
-- Name: COLUMN top_error_codes.share; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.top_error_codes.share IS 'failed / all failed messages of the provider in the window, 4 decimals; the shares of a provider sum to 1.';


--
-- Name: COLUMN top_error_codes.undelivered; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.top_error_codes.undelivered IS 'Of failed, messages whose status is undelivered.';


--
-- Name: COLUMN top_error_codes.expired; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.top_error_codes.expired IS 'Of failed, messages whose status is expired.';


--
-- Name: COLUMN top_error_codes.rejected; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.top_error_codes.rejected IS 'Of failed, messages whose status is rejected.';


--
-- Name: COLUMN top_error_codes.first_seen; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.top_error_codes.first_seen IS 'Earliest final_at among them.';


--
-- Name: COLUMN top_error_codes.last_seen; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.top_error_codes.last_seen IS 'Latest final_at among them.';


--
-- Name: alert_cooldowns alert_cooldowns_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alert_cooldowns
    ADD CONSTRAINT alert_cooldowns_pkey PRIMARY KEY (rule, alert_key);


--
-- Name: alert_deliveries alert_deliveries_once; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alert_deliveries
    ADD CONSTRAINT alert_deliveries_once UNIQUE (alert_id, target);


--
-- Name: alert_deliveries alert_deliveries_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alert_deliveries
    ADD CONSTRAINT alert_deliveries_pkey PRIMARY KEY (id);


--
-- Name: alerts alerts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alerts
    ADD CONSTRAINT alerts_pkey PRIMARY KEY (id);


--
-- Name: callbacks callbacks_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.callbacks
    ADD CONSTRAINT callbacks_pkey PRIMARY KEY (id);


--
-- Name: delivery_events delivery_events_dedup; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.delivery_events
    ADD CONSTRAINT delivery_events_dedup UNIQUE NULLS NOT DISTINCT (provider, dedup_key, message_key, received_month);


--
-- Name: inbound_messages inbound_messages_dedup; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inbound_messages
    ADD CONSTRAINT inbound_messages_dedup UNIQUE (provider, dedup_key, received_month);


--
-- Name: inbound_messages inbound_messages_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.inbound_messages
    ADD CONSTRAINT inbound_messages_pkey PRIMARY KEY (id, received_month);


--
-- Name: messages messages_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.messages
    ADD CONSTRAINT messages_pkey PRIMARY KEY (provider, message_key);


--
-- Name: projection_queue projection_queue_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.projection_queue
    ADD CONSTRAINT projection_queue_pkey PRIMARY KEY (callback_id);


--
-- Name: receiver_migrations receiver_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.receiver_migrations
    ADD CONSTRAINT receiver_migrations_pkey PRIMARY KEY (version);


--
-- Name: retention_marks retention_marks_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.retention_marks
    ADD CONSTRAINT retention_marks_pkey PRIMARY KEY (mark);


--
-- Name: rollup_watermarks rollup_watermarks_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.rollup_watermarks
    ADD CONSTRAINT rollup_watermarks_pkey PRIMARY KEY (rollup);


--
-- Name: alert_deliveries_due_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX alert_deliveries_due_idx ON public.alert_deliveries USING btree (next_attempt_at) WHERE (state = 'pending'::text);


--
-- Name: alerts_created_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX alerts_created_at_idx ON public.alerts USING btree (created_at);


--
-- Name: alerts_unnotified_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX alerts_unnotified_idx ON public.alerts USING btree (id) WHERE (notified_at IS NULL);


--
-- Name: callbacks_parse_error_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX callbacks_parse_error_idx ON ONLY public.callbacks USING btree (received_at) WHERE (parse_error IS NOT NULL);


--
-- Name: callbacks_received_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX callbacks_received_at_idx ON ONLY public.callbacks USING btree (received_at);


--
-- Name: delivery_events_callback_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX delivery_events_callback_idx ON ONLY public.delivery_events USING btree (callback_id);


--
-- Name: delivery_events_client_ref_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX delivery_events_client_ref_idx ON ONLY public.delivery_events USING btree (client_ref) WHERE (client_ref IS NOT NULL);


--
-- Name: delivery_events_hour_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX delivery_events_hour_idx ON ONLY public.delivery_events USING btree ((date_trunc('hour'::text, (received_at AT TIME ZONE 'UTC'::text)) AT TIME ZONE 'UTC'::text), provider, status) INCLUDE (received_at);


--
-- Name: delivery_events_message_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX delivery_events_message_idx ON ONLY public.delivery_events USING btree (provider, message_key);


--
-- Name: delivery_events_received_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX delivery_events_received_at_idx ON ONLY public.delivery_events USING btree (received_at);


--
-- Name: delivery_latency_daily_rollup_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX delivery_latency_daily_rollup_key ON public.delivery_latency_daily_rollup USING btree (day, provider);


--
-- Name: delivery_rate_daily_rollup_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX delivery_rate_daily_rollup_key ON public.delivery_rate_daily_rollup USING btree (day, provider);


--
-- Name: delivery_stats_hourly_rollup_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX delivery_stats_hourly_rollup_key ON public.delivery_stats_hourly_rollup USING btree (hour, provider);


--
-- Name: inbound_messages_callback_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX inbound_messages_callback_idx ON ONLY public.inbound_messages USING btree (callback_id);


--
-- Name: inbound_messages_opt_out_day_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX inbound_messages_opt_out_day_idx ON ONLY public.inbound_messages USING btree ((date_trunc('day'::text, (received_at AT TIME ZONE 'UTC'::text)) AT TIME ZONE 'UTC'::text), provider) INCLUDE (sender, received_at) WHERE is_opt_out;


--
-- Name: inbound_messages_received_at_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX inbound_messages_received_at_idx ON ONLY public.inbound_messages USING btree (received_at);


--
-- Name: inbound_messages_related_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX inbound_messages_related_idx ON ONLY public.inbound_messages USING btree (provider, related_message_id);


--
-- Name: messages_client_ref_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX messages_client_ref_idx ON public.messages USING btree (client_ref) WHERE (client_ref IS NOT NULL);


--
-- Name: messages_delivered_day_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX messages_delivered_day_idx ON public.messages USING btree ((date_trunc('day'::text, (delivered_at AT TIME ZONE 'UTC'::text)) AT TIME ZONE 'UTC'::text), provider) INCLUDE (delivered_at, first_event_at) WHERE (delivered_at IS NOT NULL);


--
-- Name: messages_failed_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX messages_failed_idx ON public.messages USING btree (final_at) INCLUDE (provider, error_code, status) WHERE (status = ANY (ARRAY['undelivered'::text, 'expired'::text, 'rejected'::text]));


--
-- Name: messages_final_day_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX messages_final_day_idx ON public.messages USING btree ((date_trunc('day'::text, (final_at AT TIME ZONE 'UTC'::text)) AT TIME ZONE 'UTC'::text), provider, status) INCLUDE (final_at) WHERE (final_at IS NOT NULL);


--
-- Name: messages_last_received_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX messages_last_received_idx ON public.messages USING btree (last_received_at DESC, provider, message_key);


--
-- Name: messages_open_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX messages_open_idx ON public.messages USING btree (last_received_at) INCLUDE (provider) WHERE (status_rank < 3);


--
-- Name: messages_recipient_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX messages_recipient_idx ON public.messages USING btree (recipient);


--
-- Name: messages_status_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX messages_status_idx ON public.messages USING btree (status, last_received_at);


--
-- Name: opt_outs_daily_rollup_key; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX opt_outs_daily_rollup_key ON public.opt_outs_daily_rollup USING btree (day, provider);


--
-- Name: rollup_dirty_days_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX rollup_dirty_days_idx ON public.rollup_dirty_days USING btree (day);


--
-- Name: rollup_dirty_hours_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX rollup_dirty_hours_idx ON public.rollup_dirty_hours USING btree (hour);


--
-- Name: rollup_dirty_inbound_days_idx; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX rollup_dirty_inbound_days_idx ON public.rollup_dirty_inbound_days USING btree (day);


--
-- Name: inbound_messages inbound_messages_late_opt_out_delete; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER inbound_messages_late_opt_out_delete AFTER DELETE ON public.inbound_messages FOR EACH ROW WHEN (old.is_opt_out) EXECUTE FUNCTION public.receiver_log_late_opt_out();


--
-- Name: inbound_messages inbound_messages_late_opt_out_insert; Type: TRIGGER; Schema: public; Owner: -
--

CREATE TRIGGER inbound_messages_late_opt_out_insert AFTER INSERT ON public.inbound_messages FOR EACH ROW WHEN (new.is_opt_out) EXECUTE FUNCTION public.receiver_log_late_opt_out();


--
-- Name: alert_deliveries alert_deliveries_alert_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.alert_deliveries
    ADD CONSTRAINT alert_deliveries_alert_id_fkey FOREIGN KEY (alert_id) REFERENCES public.alerts(id);


--
-- PostgreSQL database dump complete
--
