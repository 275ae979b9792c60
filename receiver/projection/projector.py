"""The projector: where stored callbacks become events, messages and replies, behind the ack.

The ack path stores only the raw request and queues it (`projection_queue`). A projector task
claims the oldest queued callbacks in large batches (`FOR UPDATE SKIP LOCKED`, so any number of
tasks, processes and hosts share the queue without conflicts and without projecting a callback
twice), normalizes them with the adapters, and in the same transaction:

* removes events and replies the callbacks stored before but no longer yield (a re-queued
  callback, after an adapter learned a mapping), and rebuilds the messages that lost one; a
  callback the ack path queued as it stored it (`fresh`) stored nothing before, so this step
  is skipped for it;
* writes the new events, the messages projection, replies, rollup logs and alerts (store.py);
* records each callback's parse error, or clears it;
* deletes their queue rows.

A crash or a lost connection rolls the batch back, so it is projected again, whole, by whoever
claims it next. A callback that cannot be projected even alone is kept with the reason as its
parse error, and its queue row goes with the rest: it never blocks the queue.

The order in which two projectors apply events of one message does not matter: the projection
is a fold whose result is the same in any order (rank, then event time; see store.py).

A projector that shares its process with the ack path yields to it during a burst: while
requests pile up behind the commits (`ack_pressure`), it waits rather than claims, for at most
`max_defer` seconds behind, after which it projects until the queue is drained, busy or not.
So a burst is acknowledged at the speed of the ack path alone, and projected when it is over.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool

from receiver.callback import Accepted, RawCallback, normalize
from receiver.config import AlertSettings
from receiver.logs import RateLimited
from receiver.metrics import Metrics
from receiver.projection.partitions import received_month
from receiver.projection.store import Rows, project, rows_of
from receiver.providers import Adapters
from receiver.records import Normalized, is_keyless
from receiver.status import Status
from receiver.tasks import cancel_and_wait

__all__ = ["Backlog", "Counts", "Projector", "backlog", "project_callbacks"]

log = logging.getLogger("receiver.projection.projector")

_CLAIM = """
WITH claimed AS (
    DELETE FROM projection_queue
    WHERE callback_id IN (
        SELECT callback_id FROM projection_queue
        ORDER BY callback_id LIMIT %(limit)s
        FOR UPDATE SKIP LOCKED
    )
    RETURNING callback_id, fresh
)
SELECT c.id, c.received_at, c.provider, c.method, c.query, c.headers, c.content_type, c.body,
       c.parse_error, claimed.fresh
FROM callbacks c JOIN claimed ON c.id = claimed.callback_id
ORDER BY c.id
"""

_SET_PARSE_ERRORS = """
UPDATE callbacks c SET parse_error = v.parse_error
FROM unnest(%(ids)s::uuid[], %(errors)s::text[]) AS v (id, parse_error)
WHERE c.id = v.id
"""

# The events these callbacks stored that they no longer yield (none, for a callback projected
# for the first time). Each removal from a closed hour is logged for the hourly rollup.
_REMOVE_EVENTS = """
WITH kept AS (
    SELECT * FROM unnest(%(callback_ids)s::uuid[], %(keys)s::bytea[]) AS k (callback_id, key)
), removed AS (
    DELETE FROM delivery_events e
    WHERE e.callback_id = ANY(%(ids)s::uuid[]) AND e.received_month = ANY(%(months)s::date[])
      AND NOT EXISTS (
          SELECT FROM kept WHERE kept.callback_id = e.callback_id AND kept.key = e.dedup_key
      )
    RETURNING e.provider, e.message_key, e.received_at
), late_hours AS (
    INSERT INTO rollup_dirty_hours (hour)
    SELECT DISTINCT (date_trunc('hour', received_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
    FROM removed
    WHERE received_at < (date_trunc('hour', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
)
SELECT provider, message_key, count(*) FROM removed GROUP BY provider, message_key
"""

_REMOVE_INBOUND = """
DELETE FROM inbound_messages i
WHERE i.callback_id = ANY(%(ids)s::uuid[]) AND i.received_month = ANY(%(months)s::date[])
  AND NOT EXISTS (
      SELECT FROM unnest(%(callback_ids)s::uuid[], %(keys)s::bytea[]) AS k (callback_id, key)
      WHERE k.callback_id = i.callback_id AND k.key = i.dedup_key
  )
"""

# Days a message's row counts in (rollups.py): those of its final and delivery times, and every
# day from its final time to its last event, cut to the last 31 days as in store.py.
_TOUCHED_DAYS = """
SELECT (date_trunc('day', m.final_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
UNION ALL SELECT (date_trunc('day', m.delivered_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
UNION ALL SELECT generate_series(
    greatest((date_trunc('day', m.final_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'),
             (date_trunc('day', m.last_event_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
                 - interval '31 days'),
    (date_trunc('day', m.last_event_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'),
    interval '24 hours')
"""

# Rebuild each message from all its remaining events: the fold the live upsert applies one
# event at a time (the highest rank wins, then the later event time, then the later arrival),
# and identity fields from the first event that carried them. A message left with no events
# is removed. Both the old and the new row's days are logged for the daily rollups.
_RECOMPUTE = f"""
WITH affected AS (
    SELECT * FROM unnest(%(providers)s::text[], %(keys)s::text[]) AS a (provider, message_key)
), old AS (
    DELETE FROM messages m USING affected a
    WHERE m.provider = a.provider AND m.message_key = a.message_key
    RETURNING m.*
), events AS (
    SELECT e.*, coalesce(e.occurred_at, e.received_at) AS status_at,
           CASE e.status WHEN 'queued' THEN 1 WHEN 'sent' THEN 2 WHEN 'unknown' THEN 3
                ELSE 4 END AS status_rank
    FROM delivery_events e JOIN affected a USING (provider, message_key)
), totals AS (
    SELECT provider, message_key,
           (array_agg(message_id ORDER BY id) FILTER (WHERE message_id IS NOT NULL))[1]
               AS message_id,
           (array_agg(client_ref ORDER BY id) FILTER (WHERE client_ref IS NOT NULL))[1]
               AS client_ref,
           (array_agg(recipient ORDER BY id) FILTER (WHERE recipient IS NOT NULL))[1]
               AS recipient,
           min(status_at) AS first_event_at, max(status_at) AS last_event_at,
           max(received_at) AS last_received_at,
           min(status_at) FILTER (WHERE status = 'delivered') AS delivered_at,
           min(status_at) FILTER (WHERE status_rank >= 3) AS final_at,
           count(*) AS event_count
    FROM events GROUP BY provider, message_key
), current AS (
    SELECT DISTINCT ON (provider, message_key)
           provider, message_key, status, status_rank, status_at, provider_status,
           error_code, error_detail
    FROM events
    ORDER BY provider, message_key, status_rank DESC, status_at DESC, id DESC
), rebuilt AS (
    INSERT INTO messages (provider, message_key, message_id, client_ref, recipient, status,
                          status_rank, status_at, provider_status, error_code, error_detail,
                          first_event_at, last_event_at, last_received_at, delivered_at,
                          final_at, event_count)
    SELECT c.provider, c.message_key, t.message_id, t.client_ref, t.recipient, c.status,
           c.status_rank, c.status_at, c.provider_status, c.error_code, c.error_detail,
           t.first_event_at, t.last_event_at, t.last_received_at, t.delivered_at,
           t.final_at, t.event_count
    FROM current c JOIN totals t USING (provider, message_key)
    ORDER BY c.provider, c.message_key
    RETURNING *
), late_days AS (
    INSERT INTO rollup_dirty_days (day)
    SELECT DISTINCT touched.day
    FROM (SELECT final_at, delivered_at, last_event_at FROM old
          UNION ALL SELECT final_at, delivered_at, last_event_at FROM rebuilt) AS m
    CROSS JOIN LATERAL ({_TOUCHED_DAYS}) AS touched (day)
    WHERE m.final_at < (date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
      AND touched.day < (date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
)
SELECT count(*) FROM old
"""

# A projector that yields to a burst looks again this often, and goes on once this many looks
# in a row found the burst over.
_LOOK_SECONDS = 0.05
_CALM_LOOKS = 2

# SQLSTATE classes that say "Postgres is not answering" (as in writer.py): the batch is rolled
# back and claimed again later, rather than blamed on a callback.
_UNAVAILABLE_STATES = ("08", "53", "57", "58")


@dataclass(frozen=True, slots=True)
class Counts:
    """What one projection did."""

    callbacks: int = 0
    parse_errors: int = 0
    #: Events removed because their callback no longer yields them.
    removed: int = 0
    #: Messages rebuilt because they lost an event.
    recomputed: int = 0


@dataclass(frozen=True, slots=True)
class Backlog:
    callbacks: int
    #: Seconds since the oldest queued callback was received (0 when none is queued).
    lag_seconds: float


async def project_callbacks(
    conn: psycopg.AsyncConnection[Any],
    items: Sequence[Accepted],
    alerts: AlertSettings | None = None,
    *,
    fresh: frozenset[uuid.UUID] = frozenset(),
) -> Counts:
    """Make what `items` (stored callbacks, normalized) stored match what they now read, inside
    the caller's transaction: see the module docstring. Callbacks in `fresh` were never
    projected (queued by the ack path as they were stored), so nothing of theirs is removed."""
    rows = rows_of(items)
    removed = 0
    affected: list[tuple[Any, ...]] = []
    stale = [item for item in items if item.raw.id not in fresh]
    if stale:
        removed, affected = await _remove_stale(conn, stale, rows)
    await project(conn, items, alerts, rows)
    recomputed = 0
    if affected:
        cur = await conn.execute(
            _RECOMPUTE,
            {"providers": [row[0] for row in affected], "keys": [row[1] for row in affected]},
        )
        row = await cur.fetchone()
        recomputed = int(row[0]) if row else 0
    errors = sum(1 for item in items if item.parse_error)
    return Counts(len(items), errors, removed, recomputed)


async def _remove_stale(
    conn: psycopg.AsyncConnection[Any], stale: Sequence[Accepted], rows: Rows
) -> tuple[int, list[tuple[Any, ...]]]:
    """Remove the events and replies `stale` stored before but no longer yield (`rows` is what
    the whole batch yields now); returns the events removed and the messages that lost one."""
    ids = [item.raw.id for item in stale]
    owners = set(ids)
    # A callback's rows are in the month it was received: the deletes probe those partitions only.
    months = sorted({received_month(item.raw.received_at) for item in stale})
    events = [row for row in rows.events if row["callback_id"] in owners]
    inbound = [row for row in rows.inbound if row["callback_id"] in owners]
    cur = await conn.execute(
        _REMOVE_EVENTS,
        {
            "ids": ids,
            "months": months,
            "callback_ids": [row["callback_id"] for row in events],
            "keys": [row["dedup_key"] for row in events],
        },
    )
    counted = await cur.fetchall()
    await conn.execute(
        _REMOVE_INBOUND,
        {
            "ids": ids,
            "months": months,
            "callback_ids": [row["callback_id"] for row in inbound],
            "keys": [row["dedup_key"] for row in inbound],
        },
    )
    # A keyless event has no message to rebuild (records.py).
    return sum(row[2] for row in counted), [row for row in counted if not is_keyless(row[1])]


class Projector:
    """Projection tasks for one process; they share the queue with every other process."""

    def __init__(
        self,
        pool: AsyncConnectionPool,
        adapters: Adapters,
        *,
        alerts: AlertSettings | None = None,
        metrics: Metrics | None = None,
        batch: int = 1000,
        tasks: int = 1,
        poll_interval: float = 0.2,
        linger: float = 0.0,
        ack_pressure: Callable[[], bool] | None = None,
        max_defer: float = 30.0,
    ) -> None:
        self.pool = pool
        self.adapters = adapters
        self.alerts = alerts
        self.metrics = metrics
        self.batch = batch
        self.tasks = tasks
        self.poll_interval = poll_interval
        self.linger = linger
        self.ack_pressure = ack_pressure
        self.max_defer = max_defer
        # When this process first held back from a queue it had not drained (None: drained).
        self._behind_since: float | None = None
        # A provider sending a format its adapter cannot read sends many, and a failing batch
        # is retried every poll: one line per 10 s for each.
        self._parse_errors = RateLimited(log)
        self._failures = RateLimited(log)
        self._wake = asyncio.Event()
        self._running: list[asyncio.Task[None]] = []
        self._stopping = False
        self._halt = asyncio.Event()  # cuts a linger short when stopping

    def notify(self) -> None:
        """Callbacks were just stored: project them now rather than at the next poll."""
        self._wake.set()

    async def start(self) -> None:
        self._running = [asyncio.create_task(self._loop()) for _ in range(self.tasks)]

    async def stop(self, timeout: float = 5.0) -> None:
        """Project what is queued, for up to `timeout` seconds (no linger, no yielding: the
        acks are over), then stop."""
        self._stopping = True
        self._halt.set()
        self._wake.set()
        if self._running:
            await asyncio.wait(self._running, timeout=timeout)
        await cancel_and_wait(self._running)

    async def catch_up(
        self, timeout: float = 30.0, on_batch: Callable[[Counts], None] | None = None
    ) -> Counts:
        """Project until the queue is empty, batches other projectors hold included (or until
        Postgres is unreachable, or `timeout`); for commands and tests. `on_batch` is told of
        each batch projected (for progress)."""
        total = Counts()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                done = await self.run_once()
                if not done.callbacks and not await self._queued():
                    return total
            except (psycopg.OperationalError, OSError, TimeoutError) as exc:
                log.debug("projection paused: %s", exc)
                return total
            if not done.callbacks:
                await asyncio.sleep(0.01)  # another projector holds the rest: let it commit
            elif on_batch is not None:
                on_batch(done)
            total = Counts(*(a + b for a, b in zip(_fields(total), _fields(done), strict=True)))
        return total

    async def _queued(self) -> bool:
        async with self.pool.connection() as conn:
            cur = await conn.execute("SELECT EXISTS (SELECT FROM projection_queue)")
            row = await cur.fetchone()
            return bool(row and row[0])

    async def _yield_to_acks(self) -> None:
        """Wait while the acks are in a burst (`ack_pressure`), unless the queue has waited
        `max_defer` already; a burst is over once two looks in a row find it so, since a
        batch begun in a lull of a burst holds the acks up for its whole length (0.1 to 0.2 s
        for 1,000 callbacks)."""
        if self.ack_pressure is None or not self.ack_pressure():
            return
        calm = 0
        while not self._stopping and calm < _CALM_LOOKS:
            now = time.monotonic()
            if self._behind_since is None:
                self._behind_since = now
            if now - self._behind_since >= self.max_defer:
                return
            await asyncio.sleep(_LOOK_SECONDS)
            calm = 0 if self.ack_pressure() else calm + 1

    async def _loop(self) -> None:
        while True:
            await self._yield_to_acks()
            try:
                done = await self.run_once()
            except (psycopg.OperationalError, OSError, TimeoutError) as exc:
                log.debug("projection paused: %s", exc)  # Postgres down: try again later
                done = Counts()
            except Exception:
                self._failures.error("projection", "projection failed; will retry", exc_info=True)
                done = Counts()
            if done.callbacks < self.batch:  # the queue is drained: wait for more
                self._behind_since = None
                if self._stopping:
                    return
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self.poll_interval):
                        await self._wake.wait()
                # At a steady trickle, a batch per commit of the writer would cost a projection
                # statement per handful of callbacks: let a few commits' worth gather first.
                if self.linger and not self._stopping:
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(self.linger):
                            await self._halt.wait()
                self._wake.clear()

    async def run_once(self) -> Counts:
        """Claim and project one batch; returns what it did (nothing when the queue is empty)."""
        started = time.perf_counter()
        async with self.pool.connection() as conn, conn.transaction():
            cur = await conn.execute(_CLAIM, {"limit": self.batch})
            rows = await cur.fetchall()
            if not rows:
                return Counts()
            # A body cleared by RECEIVER_RAW_RETENTION cannot be read again: what it stored stays.
            rows = [row for row in rows if row[7] is not None]
            if not rows:
                return Counts()
            # CPU-bound: in a thread, so acks on this event loop wait at most a GIL switch.
            items = await asyncio.to_thread(_normalize_all, rows, self.adapters)
            fresh = frozenset(row[0] for row in rows if row[9])
            items, counts = await self._project_isolated(conn, items, fresh)
            changed = [
                (item.raw.id, item.parse_error)
                for item, row in zip(items, rows, strict=True)
                if item.parse_error != row[8]
            ]
            if changed:
                await conn.execute(
                    _SET_PARSE_ERRORS,
                    {"ids": [c[0] for c in changed], "errors": [c[1] for c in changed]},
                )
        self._count(items, time.perf_counter() - started)
        return counts

    async def _project_isolated(
        self,
        conn: psycopg.AsyncConnection[Any],
        items: list[Accepted],
        fresh: frozenset[uuid.UUID],
    ) -> tuple[list[Accepted], Counts]:
        """Project `items` together; if that fails for any reason but an unreachable Postgres,
        one at a time, keeping any that fails alone raw, with the reason as its parse error."""
        try:
            async with conn.transaction():  # a savepoint
                return items, await project_callbacks(conn, items, self.alerts, fresh=fresh)
        except Exception as exc:
            if _unavailable(exc):
                raise
        kept: list[Accepted] = []
        total = Counts()
        for item in items:
            try:
                async with conn.transaction():
                    done = await project_callbacks(conn, [item], self.alerts, fresh=fresh)
            except Exception as exc:
                if _unavailable(exc):
                    raise
                log.exception("callback %s could not be projected; kept raw", item.raw.id)
                reason = f"could not store events: {type(exc).__name__}: {exc}"
                item = Accepted(item.raw, Normalized(), reason)
                done = Counts(1, 1)
            kept.append(item)
            total = Counts(*(a + b for a, b in zip(_fields(total), _fields(done), strict=True)))
        return kept, total

    def _count(self, items: list[Accepted], seconds: float) -> None:
        for item in items:
            if item.parse_error:
                self._parse_errors.warning(
                    f"parse:{item.raw.provider}",
                    "%s callback %s kept raw with a parse error: %s",
                    item.raw.provider,
                    item.raw.id,
                    item.parse_error,
                    provider=item.raw.provider,
                )
        if self.metrics is None:
            return
        self.metrics.projection_seconds.observe(seconds)
        for item in items:
            provider = item.raw.provider
            outcome = "parse_error" if item.parse_error else "projected"
            self.metrics.projected.labels(provider, outcome).inc()
            unknown = sum(1 for e in item.normalized.events if e.status is Status.UNKNOWN)
            if unknown:
                self.metrics.unknown_status.labels(provider).inc(unknown)


async def backlog(conn: psycopg.AsyncConnection[Any]) -> Backlog:
    """How far projection trails the acks, for /readyz and /metrics."""
    cur = await conn.execute(
        "SELECT (SELECT count(*) FROM projection_queue),"
        " (SELECT c.received_at FROM callbacks c WHERE c.id ="
        "  (SELECT callback_id FROM projection_queue ORDER BY callback_id LIMIT 1))"
    )
    row = await cur.fetchone()
    count, oldest = (row[0], row[1]) if row else (0, None)
    lag = (datetime.now(UTC) - oldest).total_seconds() if oldest else 0.0
    return Backlog(int(count), max(lag, 0.0))


def _normalize_all(rows: Sequence[Any], adapters: Adapters) -> list[Accepted]:
    return [
        normalize(RawCallback(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bytes(r[7])), adapters)
        for r in rows
    ]


def _fields(counts: Counts) -> tuple[int, int, int, int]:
    return counts.callbacks, counts.parse_errors, counts.removed, counts.recomputed


def _unavailable(exc: BaseException) -> bool:
    if isinstance(exc, OSError | TimeoutError):
        return True
    if isinstance(exc, psycopg.Error):
        return exc.sqlstate is None or exc.sqlstate[:2] in _UNAVAILABLE_STATES
    return False
