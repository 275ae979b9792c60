-- migration 2: alerts

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
