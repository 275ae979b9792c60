"""What the projector did with the callbacks a run stored: caught up, exactly once, how late.

The ack path stores the raw request and a `projection_queue` row; the projector turns queued
callbacks into `delivery_events` and `messages` behind the 200. An empty queue means everything
stored has been projected. The bench's CDYNE receipts yield one event each and every request is
a new message, so "projected exactly once" is checkable from the tables alone: every callback
has exactly one `delivery_events` row, and every message one row in `messages` whose
`event_count` is 1.
"""

from __future__ import annotations

import statistics
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg

from bench.pg import BenchDatabase

__all__ = [
    "Backlog",
    "BacklogSampler",
    "Lag",
    "Projection",
    "check_projection",
    "commit_lag",
    "wait_projected",
]

_CHECK = """
WITH per AS (
    SELECT c.id, count(e.id) AS events
    FROM callbacks c LEFT JOIN delivery_events e ON e.callback_id = c.id
    WHERE c.received_at >= %(since)s
    GROUP BY c.id
)
SELECT count(*), count(*) FILTER (WHERE events = 0), count(*) FILTER (WHERE events > 1),
       coalesce(sum(events), 0)
FROM per
"""

# Every bench request is a new message with one event, so each message row of the run must
# have event_count 1: a callback applied twice to the fold would show here even if the event
# itself were deduplicated.
_MESSAGES = """
SELECT
    (SELECT count(DISTINCT (e.provider, e.message_key))
     FROM delivery_events e JOIN callbacks c ON c.id = e.callback_id
     WHERE c.received_at >= %(since)s),
    count(*), count(*) FILTER (WHERE event_count <> 1)
FROM messages WHERE last_received_at >= %(since)s
"""

# The projector's own backlog query (receiver/projector.py): callback ids are time-ordered, so
# the first queued id is the oldest unprojected callback; an index lookup, not a scan.
_BACKLOG = """
SELECT (SELECT count(*) FROM projection_queue),
       (SELECT extract(epoch FROM clock_timestamp() - c.received_at) FROM callbacks c
        WHERE c.id = (SELECT callback_id FROM projection_queue ORDER BY callback_id LIMIT 1))
"""

# Per-callback lag: when the transaction that wrote the callback's event committed, minus when
# the receiver accepted the request. Needs track_commit_timestamp = on (NULL before it was).
_COMMIT_LAG = """
SELECT count(lag), percentile_cont(ARRAY[0.5, 0.99]) WITHIN GROUP (ORDER BY lag), max(lag)
FROM (
    SELECT extract(epoch FROM pg_xact_commit_timestamp(e.xmin) - c.received_at)::float8 AS lag
    FROM delivery_events e JOIN callbacks c ON c.id = e.callback_id
    WHERE c.received_at >= %(since)s
) AS l
"""


@dataclass(frozen=True, slots=True)
class Projection:
    """The run's callbacks against what was projected from them."""

    callbacks: int
    missing: int  # callbacks with no event
    twice: int  # callbacks with more than one event
    events: int
    distinct_messages: int  # distinct messages among the events
    messages: int  # messages rows of the run
    refolded: int  # messages rows whose event_count is not 1
    queued: int  # projection_queue rows left

    @property
    def ok(self) -> bool:
        return (
            self.missing == 0
            and self.twice == 0
            and self.refolded == 0
            and self.messages == self.distinct_messages
            and self.queued == 0
        )

    def verdict(self) -> str:
        if self.ok:
            return "ok"
        parts = []
        if self.missing:
            parts.append(f"MISSING {self.missing}")
        if self.twice or self.refolded:
            parts.append(f"TWICE {self.twice}+{self.refolded}")
        if self.messages != self.distinct_messages:
            parts.append(f"messages {self.messages}/{self.distinct_messages}")
        if self.queued:
            parts.append(f"QUEUED {self.queued}")
        return ", ".join(parts)

    def __add__(self, other: Projection) -> Projection:
        return Projection(*[a + b for a, b in zip(_fields(self), _fields(other), strict=True)])


def _fields(p: Projection) -> tuple[int, ...]:
    return (
        p.callbacks,
        p.missing,
        p.twice,
        p.events,
        p.distinct_messages,
        p.messages,
        p.refolded,
        p.queued,
    )


def check_projection(db: BenchDatabase, since: datetime) -> Projection:
    with psycopg.connect(db.url, autocommit=True) as conn:
        row = conn.execute(_CHECK, {"since": since}).fetchone()
        messages = conn.execute(_MESSAGES, {"since": since}).fetchone()
        queued = conn.execute("SELECT count(*) FROM projection_queue").fetchone()
    assert row is not None and messages is not None and queued is not None
    return Projection(
        callbacks=int(row[0]),
        missing=int(row[1]),
        twice=int(row[2]),
        events=int(row[3]),
        distinct_messages=int(messages[0]),
        messages=int(messages[1]),
        refolded=int(messages[2]),
        queued=int(queued[0]),
    )


def _queued(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute("SELECT count(*) FROM projection_queue").fetchone()
    return 0 if row is None else int(row[0])


def wait_projected(
    db: BenchDatabase, started: float, *, timeout: float = 600.0, interval: float = 0.1
) -> float | None:
    """Seconds from `started` (time.monotonic) until `projection_queue` is empty; None if it
    is not within `timeout`."""
    deadline = started + timeout
    with psycopg.connect(db.url, autocommit=True) as conn:
        while True:
            now = time.monotonic()
            if _queued(conn) == 0:
                return max(0.0, now - started)
            if now > deadline:
                return None
            time.sleep(interval)


@dataclass(frozen=True, slots=True)
class Lag:
    """Per-callback projection lag, seconds, from commit timestamps."""

    callbacks: int
    p50: float
    p99: float
    worst: float


def commit_lag(db: BenchDatabase, since: datetime) -> Lag | None:
    """None when track_commit_timestamp was off (no commit times recorded)."""
    with psycopg.connect(db.url, autocommit=True) as conn:
        row = conn.execute(_COMMIT_LAG, {"since": since}).fetchone()
    if row is None or not row[0]:
        return None
    p50, p99 = row[1]
    return Lag(int(row[0]), float(p50), float(p99), float(row[2]))


@dataclass(frozen=True, slots=True)
class Backlog:
    """The queue as sampled while a run went on: its length, and the age of its oldest
    callback (which bounds the lag of every callback still queued)."""

    samples: int
    max_queued: int
    age_p50: float
    age_p99: float
    age_max: float


class BacklogSampler:
    """Samples `projection_queue` every `interval` s in a thread, on its own connection."""

    def __init__(self, db: BenchDatabase, interval: float = 0.1) -> None:
        self._url = db.url
        self._interval = interval
        self._stop = threading.Event()
        self._samples: list[tuple[int, float]] = []
        self._thread = threading.Thread(target=self._run, name="backlog-sampler", daemon=True)

    def _run(self) -> None:
        with psycopg.connect(self._url, autocommit=True) as conn:
            while not self._stop.is_set():
                row = conn.execute(_BACKLOG).fetchone()
                if row is not None:
                    # An empty queue has no oldest callback: nothing is waiting, lag 0.
                    self._samples.append((int(row[0]), float(row[1] or 0.0)))
                self._stop.wait(self._interval)

    def __enter__(self) -> BacklogSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def result(self) -> Backlog:
        if not self._samples:
            return Backlog(0, 0, 0.0, 0.0, 0.0)
        ages = sorted(age for _, age in self._samples)
        return Backlog(
            samples=len(ages),
            max_queued=max(count for count, _ in self._samples),
            age_p50=statistics.median(ages),
            age_p99=ages[min(len(ages) - 1, round(0.99 * (len(ages) - 1)))],
            age_max=ages[-1],
        )
