"""Prometheus metrics for one process (each worker exposes its own; sum them in queries)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

__all__ = ["Metrics"]


class Metrics:
    """A registry of this app's own, so several apps (tests, workers) never share counters."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.callbacks = Counter(
            "receiver_callbacks",
            "Callback requests by provider and outcome (stored, duplicate, spooled, "
            "parse_error, auth_failed, bad_signature, too_large, timed_out, overloaded, "
            "unavailable).",
            ["provider", "outcome"],
            registry=self.registry,
        )
        self.ack_seconds = Histogram(
            "receiver_ack_seconds",
            "Time from reading a callback to answering it, for answered callbacks.",
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )
        self.batch_size = Histogram(
            "receiver_batch_size",
            "Callbacks committed per transaction (group commit).",
            buckets=(1, 2, 4, 8, 16, 32, 64, 128, 256, 512),
            registry=self.registry,
        )
        self.unknown_status = Counter(
            "receiver_unknown_status",
            "Events normalized to unknown, by provider: raw statuses not in a mapping table.",
            ["provider"],
            registry=self.registry,
        )
        self.projected = Counter(
            "receiver_projected",
            "Stored callbacks projected into events and messages, by provider and outcome "
            "(projected, parse_error).",
            ["provider", "outcome"],
            registry=self.registry,
        )
        self.projection_seconds = Histogram(
            "receiver_projection_batch_seconds",
            "Time to project one batch of callbacks.",
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )
        self.projection_backlog = Gauge(
            "receiver_projection_backlog",
            "Callbacks stored but not yet projected (all processes).",
            registry=self.registry,
        )
        self.projection_lag = Gauge(
            "receiver_projection_lag_seconds",
            "Age of the oldest callback not yet projected (0 when none is waiting).",
            registry=self.registry,
        )
        self.spool_entries = Gauge(
            "receiver_spool_entries",
            "Callbacks in this host's spool waiting to be replayed into Postgres.",
            registry=self.registry,
        )
        self.spool_quarantined = Gauge(
            "receiver_spool_quarantined",
            "Spool entries set aside because they could not be read or stored even raw "
            "(`receiver spool show`).",
            registry=self.registry,
        )
        self.spool_oldest_age = Gauge(
            "receiver_spool_oldest_age_seconds",
            "Age of the oldest callback waiting in the spool (0 when it is empty).",
            registry=self.registry,
        )
        self.outbox_pending = Gauge(
            "receiver_alert_outbox_pending",
            "Alert deliveries not yet delivered or given up (all processes).",
            registry=self.registry,
        )
        self.database_up = Gauge(
            "receiver_database_up",
            "1 while this process writes to Postgres, 0 while it spools.",
            registry=self.registry,
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)
