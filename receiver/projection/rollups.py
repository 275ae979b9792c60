"""Rollups: the dashboard views' closed buckets, aggregated once instead of on every read.

Each rollup has a watermark: buckets before it are stored in `*_rollup` tables, later ones are
aggregated live by the views (migrations/0005_rollups.sql). A run moves the watermark up to the
current bucket, but never past the start of a transaction still running: such a transaction
may yet commit rows into a bucket it saw as current, and it does not log them as late. Rows a
writer adds to a bucket that was already over when its statement began are logged in
`rollup_dirty_*` by that same statement (store.py; for opt-outs, by a trigger on
inbound_messages, migration 12); the views aggregate those buckets live until a run recomputes
them and empties the log.

One run at a time across processes and hosts, under an advisory lock. A run is a few
REPEATABLE READ transactions, so the log rows it deletes are exactly those whose rows it read.
Runs happen on the primary only: a hot standby replays the rollup tables the primary writes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg

from receiver.config import RetentionSettings
from receiver.tasks import cancel_and_wait

__all__ = [
    "ROLLUPS",
    "Rollup",
    "RollupService",
    "horizon",
    "is_standby",
    "rebuild",
    "roll_up",
    "utc_trunc",
]

log = logging.getLogger("receiver.projection.rollups")

_ROLLUP_LOCK = 0x5EC_7011


def utc_trunc(unit: str, expr: str) -> str:
    """SQL for the start of the UTC `unit` (hour, day) of the timestamptz `expr`. Written this
    way, not as date_trunc(unit, expr, 'UTC'), it is immutable on Postgres 15 too, and matches
    the expression indexes and views of migrations 3 and 8."""
    return f"(date_trunc('{unit}', {expr} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')"


# Before any bucket: where the search for the first one starts.
_EPOCH = datetime(1, 1, 1, tzinfo=UTC)
#: Seconds between a transaction's start and its appearance in pg_stat_activity, at most.
STARTING_MARGIN = 5.0


@dataclass(frozen=True, slots=True)
class Rollup:
    #: Row of rollup_watermarks.
    name: str
    #: date_trunc field of the buckets, and the name of the bucket column in the views, the
    #: rollup tables and the dirty log.
    unit: str
    #: The log of buckets touched after they were over.
    dirty_table: str
    #: Views whose `<view>_live` aggregation is stored in `<view>_rollup`.
    views: tuple[str, ...]
    #: Most buckets computed in one transaction, so a first run over a large table is chunked.
    step: timedelta
    #: The first bucket at or after %(after)s that has rows, so that a step skips empty spans.
    next_bucket_sql: str


ROLLUPS = (
    Rollup(
        name="event_hours",
        unit="hour",
        dirty_table="rollup_dirty_hours",
        views=("delivery_stats_hourly",),
        step=timedelta(days=7),
        next_bucket_sql=(
            f"SELECT min({utc_trunc('hour', 'received_at')}) FROM delivery_events"
            f" WHERE {utc_trunc('hour', 'received_at')} >= %(after)s"
        ),
    ),
    Rollup(
        name="message_days",
        unit="day",
        dirty_table="rollup_dirty_days",
        views=("delivery_rate_daily", "delivery_latency_daily"),
        step=timedelta(days=31),
        next_bucket_sql=(
            "SELECT least("
            f"(SELECT min({utc_trunc('day', 'final_at')}) FROM messages"
            f" WHERE final_at IS NOT NULL AND {utc_trunc('day', 'final_at')} >= %(after)s),"
            f"(SELECT min({utc_trunc('day', 'delivered_at')}) FROM messages"
            " WHERE delivered_at IS NOT NULL"
            f" AND {utc_trunc('day', 'delivered_at')} >= %(after)s))"
        ),
    ),
    Rollup(
        name="inbound_days",
        unit="day",
        # Logged by a trigger on inbound_messages (migration 12), for opt-out rows only.
        dirty_table="rollup_dirty_inbound_days",
        views=("opt_outs_daily",),
        step=timedelta(days=31),
        next_bucket_sql=(
            f"SELECT min({utc_trunc('day', 'received_at')}) FROM inbound_messages"
            f" WHERE is_opt_out AND {utc_trunc('day', 'received_at')} >= %(after)s"
        ),
    ),
)

# The oldest start of any other transaction in this database: rows it writes may belong to the
# bucket that was current when it began. A session whose activity this role cannot see (another
# role's, without pg_read_all_stats; or track_activities off) might be such a transaction, so
# then nothing counts as over. The few seconds' margin covers a transaction that has begun but
# does not show in pg_stat_activity yet.
_HORIZON = """
SELECT CASE WHEN NOT bool_or(state IS NULL OR (state <> 'idle' AND xact_start IS NULL))
                 OR count(*) = 0
            THEN least(now() - make_interval(secs => %s), min(xact_start)) END
FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid()
  AND (backend_type = 'client backend' OR backend_type IS NULL)  -- NULL: hidden from this role
"""


async def is_standby(conn: psycopg.AsyncConnection[Any]) -> bool:
    """Whether `conn` is to a hot standby (read-only, replaying the primary's WAL)."""
    cur = await conn.execute("SELECT pg_is_in_recovery()")
    row = await cur.fetchone()
    return bool(row and row[0])


async def _primary_only(conn: psycopg.AsyncConnection[Any]) -> None:
    if await is_standby(conn):
        raise psycopg.errors.ReadOnlySqlTransaction(
            "rollups run on the primary; this server is a hot standby"
        )


async def roll_up(conn: psycopg.AsyncConnection[Any]) -> dict[str, datetime | None] | None:
    """Bring every rollup up to date on `conn` (autocommit); returns the new watermarks.

    Returns None, doing nothing, when another process is running the rollups right now.
    Raises ReadOnlySqlTransaction, doing nothing, on a hot standby.
    """
    await _primary_only(conn)
    cur = await conn.execute("SELECT pg_try_advisory_lock(%s)", (_ROLLUP_LOCK,))
    row = await cur.fetchone()
    if row is None or not row[0]:
        return None
    try:
        return {rollup.name: await _catch_up(conn, rollup) for rollup in ROLLUPS}
    finally:
        await conn.execute("SELECT pg_advisory_unlock(%s)", (_ROLLUP_LOCK,))


async def horizon(conn: psycopg.AsyncConnection[Any]) -> datetime | None:
    """Before this, every transaction in the database has finished (the start of the oldest
    one still open, or now() less a margin); None when some session's activity is hidden."""
    cur = await conn.execute(_HORIZON, (STARTING_MARGIN,))
    row = await cur.fetchone()
    return None if row is None else row[0]


async def _catch_up(conn: psycopg.AsyncConnection[Any], rollup: Rollup) -> datetime | None:
    # Read before the transaction's snapshot: whatever finished by then is in the snapshot.
    limit = await horizon(conn)
    target: datetime | None = None
    if limit is None:
        log.warning(
            "rollups are not moving on: pg_stat_activity hides some sessions from this role"
            " (grant it pg_read_all_stats, or turn track_activities on)"
        )
    else:
        cur = await conn.execute(
            f"SELECT {utc_trunc(rollup.unit, '%s::timestamptz')}".encode(),
            (limit,),
        )
        row = await cur.fetchone()
        assert row is not None
        target = row[0]
    while True:
        async with conn.transaction():
            await conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            until = await _step(conn, rollup, target)
        if until is None or target is None or until >= target:
            return until


async def _step(
    conn: psycopg.AsyncConnection[Any], rollup: Rollup, target: datetime | None
) -> datetime | None:
    """Recompute the logged buckets and at most `rollup.step` more toward `target` (None: stay
    where it is); returns the new watermark, None while nothing was ever rolled up."""
    cur = await conn.execute(
        "SELECT rolled_until, purged_until FROM rollup_watermarks WHERE rollup = %s",
        (rollup.name,),
    )
    row = await cur.fetchone()
    start: datetime | None = row[0] if row else None
    # Buckets before purged_until lost rows to retention: kept as rolled up, never recomputed.
    purged: datetime | None = row[1] if row else None
    if start is None and target is None:
        return None
    until = start
    if target is not None:
        cur = await conn.execute(rollup.next_bucket_sql.encode(), {"after": start or _EPOCH})
        found = await cur.fetchone()
        first = found[0] if found and found[0] is not None else target
        start = start or first
        until = min(target, max(first, start).astimezone(UTC) + rollup.step)
    assert start is not None and until is not None
    cur = await conn.execute(f"DELETE FROM {rollup.dirty_table} RETURNING {rollup.unit}".encode())
    dirty = sorted(
        {r[0] for r in await cur.fetchall() if r[0] < start and (purged is None or r[0] >= purged)}
    )
    bucket = rollup.unit
    for view in rollup.views:
        await conn.execute(
            f"DELETE FROM {view}_rollup WHERE ({bucket} >= %(start)s AND {bucket} < %(until)s)"
            f" OR {bucket} = ANY(%(dirty)s)".encode(),
            {"start": start, "until": until, "dirty": dirty},
        )
        await conn.execute(
            f"INSERT INTO {view}_rollup SELECT * FROM {view}_live"
            f" WHERE {bucket} >= %(start)s AND {bucket} < %(until)s".encode(),
            {"start": start, "until": until},
        )
        if dirty:
            await conn.execute(
                f"INSERT INTO {view}_rollup SELECT * FROM {view}_live"
                f" WHERE {bucket} = ANY(%(dirty)s)".encode(),
                {"dirty": dirty},
            )
    await conn.execute(
        "INSERT INTO rollup_watermarks (rollup, rolled_until) VALUES (%s, %s)"
        " ON CONFLICT (rollup) DO UPDATE SET rolled_until = EXCLUDED.rolled_until",
        (rollup.name, until),
    )
    return until


async def rebuild(
    conn: psycopg.AsyncConnection[Any], on_rollup: Callable[[str], None] | None = None
) -> dict[str, datetime | None] | None:
    """Forget every rollup and compute them again from the stored rows, except the buckets a
    retention purge has frozen (before `purged_until`), whose rows are gone.

    For after rows were changed other than by the receiver (a manual fix), which the dirty logs
    do not see. None when another process is running the rollups. `on_rollup` is told the
    name of each rollup once rebuilt (for progress; see ROLLUPS).
    """
    await _primary_only(conn)
    cur = await conn.execute("SELECT pg_try_advisory_lock(%s)", (_ROLLUP_LOCK,))
    row = await cur.fetchone()
    if row is None or not row[0]:
        return None
    try:
        async with conn.transaction():
            # What retention purged (buckets before purged_until) exists only in the rollups.
            await conn.execute("DELETE FROM rollup_watermarks WHERE purged_until IS NULL")
            await conn.execute("UPDATE rollup_watermarks SET rolled_until = purged_until")
            for rollup in ROLLUPS:
                for view in rollup.views:
                    await conn.execute(
                        f"DELETE FROM {view}_rollup WHERE {rollup.unit} >= coalesce("
                        "(SELECT purged_until FROM rollup_watermarks WHERE rollup = %s),"
                        " '-infinity')".encode(),
                        (rollup.name,),
                    )
        marks: dict[str, datetime | None] = {}
        for rollup in ROLLUPS:
            marks[rollup.name] = await _catch_up(conn, rollup)
            if on_rollup is not None:
                on_rollup(rollup.name)
        return marks
    finally:
        await conn.execute("SELECT pg_advisory_unlock(%s)", (_ROLLUP_LOCK,))


class RollupService:
    """Runs `roll_up` every `interval` seconds in the background of one worker process, and
    with it the upkeep of the time partitions (partitions.py) and, every RETENTION_INTERVAL
    seconds, the retention purge if `retention` sets one (retention.py).

    Each run has a connection of its own: closing it releases the advisory lock whatever
    happened to the run.
    """

    #: Seconds between retention purges.
    RETENTION_INTERVAL = 3600.0

    def __init__(
        self, database_url: str, interval: float, retention: RetentionSettings | None = None
    ) -> None:
        self.database_url = database_url
        self.interval = interval
        self.retention = retention or RetentionSettings()
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._next_purge = 0.0

    async def start(self) -> None:
        if self.interval > 0:
            self._task = asyncio.create_task(self._loop())
        else:
            # Fine while another process runs them; with none, the dirty logs only grow.
            log.info("rollups off in this process (RECEIVER_ROLLUP_INTERVAL=0)")

    async def stop(self) -> None:
        self._stopping.set()
        if self._task is not None:
            await cancel_and_wait([self._task])

    async def _loop(self) -> None:
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.interval)
                return
            try:
                async with await psycopg.AsyncConnection.connect(
                    self.database_url, autocommit=True, application_name="receiver-rollup"
                ) as conn:
                    if await is_standby(conn):
                        log.debug("rollup skipped: a hot standby (they run on the primary)")
                        continue
                    await self.run_once(conn)
            except (psycopg.OperationalError, OSError, TimeoutError) as exc:
                log.debug("rollup skipped: %s", exc)  # Postgres down: try again later
            except Exception:
                # The views stay exact, but grow slower with every run that fails.
                log.exception("rollup failed")

    async def run_once(self, conn: psycopg.AsyncConnection[Any]) -> None:
        """Partitions ahead, rollups, and the retention purge when it is due."""
        from receiver.projection.partitions import ensure_partitions_async
        from receiver.retention import PurgeRefused, purge

        settings = self.retention
        await ensure_partitions_async(
            conn, months=settings.partition_months, ahead=settings.partitions_ahead
        )
        await roll_up(conn)
        now = asyncio.get_running_loop().time()
        if settings.retention is not None and now >= self._next_purge:
            self._next_purge = now + self.RETENTION_INTERVAL
            try:
                report = await purge(
                    conn, settings.retention, raw_older_than=settings.raw_retention
                )
            except PurgeRefused as exc:
                log.warning("retention purge skipped: %s", exc)
            else:
                log.info("retention purge: %s", report)
