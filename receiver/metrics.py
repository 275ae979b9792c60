"""Prometheus metrics: one scrape sees the whole host, however many workers serve it.

With one process, an app's metrics live in a registry of its own, so several apps in one
process (tests) never share counters. `receiver serve --workers N` sets
`PROMETHEUS_MULTIPROC_DIR` before the workers start; prometheus-client then keeps every
worker's values in files there, and whichever worker answers a scrape reads them all: counters
and histograms summed, each gauge folded by the rule its meaning calls for.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead

__all__ = ["MULTIPROC_ENV", "Metrics", "prepare_multiprocess_dir"]

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

# Gauges that every worker computes alike from shared state (Postgres, the host's spool): the
# latest computation is the host's value.
_SHARED: Final = "mostrecent"


def prepare_multiprocess_dir(path: Path) -> None:
    """Empty `path` for a new run of workers (values of a previous run must not be summed in)
    and point prometheus-client at it; call before the workers start."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    for stale in path.glob("*.db"):
        stale.unlink()
    os.environ[MULTIPROC_ENV] = str(path)


class Metrics:
    """The app's metrics; `render` is the scrape, of this process or of the whole host."""

    def __init__(self) -> None:
        self.multiprocess = bool(os.environ.get(MULTIPROC_ENV))
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
            multiprocess_mode=_SHARED,
        )
        self.projection_lag = Gauge(
            "receiver_projection_lag_seconds",
            "Age of the oldest callback not yet projected (0 when none is waiting).",
            registry=self.registry,
            multiprocess_mode=_SHARED,
        )
        self.spool_entries = Gauge(
            "receiver_spool_entries",
            "Callbacks in this host's spool waiting to be replayed into Postgres.",
            registry=self.registry,
            multiprocess_mode=_SHARED,
        )
        self.spool_quarantined = Gauge(
            "receiver_spool_quarantined",
            "Spool entries set aside because they could not be read or stored even raw "
            "(`receiver spool show`).",
            registry=self.registry,
            multiprocess_mode=_SHARED,
        )
        self.spool_oldest_age = Gauge(
            "receiver_spool_oldest_age_seconds",
            "Age of the oldest callback waiting in the spool (0 when it is empty).",
            registry=self.registry,
            multiprocess_mode=_SHARED,
        )
        self.outbox_pending = Gauge(
            "receiver_alert_outbox_pending",
            "Alert deliveries not yet delivered or given up (all processes).",
            registry=self.registry,
            multiprocess_mode=_SHARED,
        )
        self.database_up = Gauge(
            "receiver_database_up",
            "1 while this process writes to Postgres, 0 while it spools (with several workers: "
            "0 if any live worker spools).",
            registry=self.registry,
            multiprocess_mode="livemin",
        )

    def render(self) -> bytes:
        if not self.multiprocess:
            return generate_latest(self.registry)
        host = CollectorRegistry()
        MultiProcessCollector(host)  # type: ignore[no-untyped-call]
        return generate_latest(host)

    def close(self) -> None:
        """On a worker's exit: its live-only gauges stop counting (its counters stay summed)."""
        if self.multiprocess:
            mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]
