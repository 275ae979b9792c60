"""Sustained load: a constant rate for a minute, and how far projection trails the acks.

wrk runs with post.lua's RATE, so requests go out on a fixed schedule whatever the server's
speed. While it runs, `projection_queue` is sampled every 0.1 s (length, age of the oldest
queued callback); afterwards each callback's own lag is read from Postgres commit timestamps
(when the transaction that wrote its event committed, minus when the receiver accepted it),
which needs `track_commit_timestamp = on` for the run.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import psycopg

from bench.cpu import CpuUse, between, sample
from bench.load import WrkResult, finish_wrk, start_wrk
from bench.pg import BenchDatabase
from bench.projection import (
    Backlog,
    BacklogSampler,
    Lag,
    Projection,
    check_projection,
    commit_lag,
    wait_projected,
)
from bench.servers import Server, Target

__all__ = ["SUSTAINED_CONNECTIONS", "SustainedRun", "run_sustained", "storage", "wal_position"]

#: Enough connections that the schedule, not the answers, sets the pace.
SUSTAINED_CONNECTIONS = 32
SUSTAINED_WARMUP = 3.0
_TABLES = ("callbacks", "projection_queue", "delivery_events", "messages")


@dataclass(frozen=True, slots=True)
class SustainedRun:
    target: str
    rate: float  # requests per second asked of wrk
    seconds: float
    wrk: WrkResult
    stored: int | None
    #: From the start of the load until everything was projected (until the load ended, for
    #: a target without a database).
    cpu: CpuUse
    catch_up_s: float | None
    projection: Projection | None
    lag: Lag | None
    backlog: Backlog | None
    wal_bytes: int | None
    storage_bytes: int | None

    @property
    def callbacks(self) -> int:
        return self.stored if self.stored is not None else self.wrk.requests

    def cpu_us(self) -> tuple[float, float]:
        """CPU microseconds per callback (per request, without a database): server, Postgres."""
        server, postgres, _ = self.cpu.per_request_us(self.callbacks)
        return server, postgres


def wal_position(db: BenchDatabase) -> str:
    return str(db.scalar("SELECT pg_current_wal_lsn()::text"))


def _wal_bytes(db: BenchDatabase, start: str) -> int:
    with psycopg.connect(db.url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s::pg_lsn)", (start,)
        ).fetchone()
    return 0 if row is None else int(row[0])


def storage(db: BenchDatabase) -> int:
    """Bytes on disk of the tables a callback writes, with their indexes and TOAST."""
    parts = " + ".join(f"pg_total_relation_size('{t}')" for t in _TABLES)
    return int(db.scalar(f"SELECT {parts}"))


def run_sustained(
    db: BenchDatabase,
    make_server: Callable[[Target, str], Server],
    target: Target,
    rate: float,
    seconds: float,
) -> SustainedRun:
    """One fresh server, a short uncounted warm-up at the same rate, then the measured run."""
    if target.uses_database:
        db.truncate()
    with make_server(target, f"{target.name}-sustained") as server:
        url = server.url
        finish_wrk(start_wrk(url, SUSTAINED_CONNECTIONS, SUSTAINED_WARMUP, rate=rate), 10)
        if target.uses_database:
            db.settled_callbacks_since(datetime.now(UTC), quiet=1.0)
            wait_projected(db, time.monotonic())
            db.truncate()  # empty tables, so the storage figure is this run's alone
        since = datetime.now(UTC)
        wal_start = wal_position(db) if target.uses_database else None
        before = sample(server.pid, db.postmaster_pid)
        sampler = BacklogSampler(db)
        with contextlib.ExitStack() as stack:
            if target.uses_database:
                stack.enter_context(sampler)  # until everything is projected
            result = finish_wrk(start_wrk(url, SUSTAINED_CONNECTIONS, seconds, rate=rate), seconds)
            catch_up = wait_projected(db, time.monotonic()) if target.uses_database else None
        cpu = between(before, sample(server.pid, db.postmaster_pid))
        server.check_alive()
        if not target.uses_database:
            return SustainedRun(
                target.name, rate, seconds, result, None, cpu, None, None, None, None, None, None
            )
        assert wal_start is not None
        stored = db.settled_callbacks_since(since)
        projection = check_projection(db, since)
        if projection.queued:  # a late in-flight request was queued after the queue emptied
            wait_projected(db, time.monotonic())
            projection = check_projection(db, since)
        return SustainedRun(
            target.name,
            rate,
            seconds,
            result,
            stored,
            cpu,
            catch_up,
            projection,
            commit_lag(db, since),
            sampler.result(),
            _wal_bytes(db, wal_start),
            storage(db),
        )
