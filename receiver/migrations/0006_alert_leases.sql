-- migration 6: alert leases

-- Alert delivery leases. A dispatcher claims due rows in one short statement (pushing
-- next_attempt_at to the end of a lease and writing a fresh claim_token), commits, POSTs with no
-- transaction open, and records each outcome only where claim_token still matches: a row whose
-- lease ran out and was claimed again elsewhere is recorded by its new claimant alone.
ALTER TABLE alert_deliveries ADD COLUMN IF NOT EXISTS claim_token uuid;
COMMENT ON COLUMN alert_deliveries.claim_token IS 'Token of the dispatcher claim now attempting the delivery; null when no attempt is in flight. While set, next_attempt_at is when the claim lapses and another dispatcher may try.';
COMMENT ON COLUMN alert_deliveries.next_attempt_at IS 'Earliest time of the next attempt; while an attempt is in flight (claim_token set), the end of its lease.';
