"""Rollups: the dashboard views' closed buckets, aggregated once instead of on every read.

Each rollup has a watermark: buckets before it are stored in `*_rollup` tables, later ones are
aggregated live by the views (schema.sql, migration 5). A run moves the watermark up to the
current bucket, but never past the start of a transaction still running: such a transaction
may yet commit rows into a bucket it saw as current, and it does not log them as late. Rows a
writer adds to a bucket that was already over when its statement began are logged in
`rollup_dirty_*` by that same statement (store.py); the views aggregate those buckets live
until a run recomputes them and empties the log.

One run at a time across processes and hosts, under an advisory lock. A run is a few
REPEATABLE READ transactions, so the log rows it deletes are exactly those whose rows it read.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import psycopg

__all__ = ["ROLLUPS", "Rollup", "RollupService", "horizon", "roll_up"]

log = logging.getLogger("receiver.rollups")

_ROLLUP_LOCK = 0x5EC_7011


@dataclass(frozen=True, slots=True)
class Rollup:
    #: Row of rollup_watermarks.
    name: str
    #: date_trunc field of the buckets.
    unit: str
    #: The log of buckets touched after they were over, and its column.
    dirty_table: str
    bucket: str
    #: Views whose `<view>_live` aggregation is stored in `<view>_rollup`.
    views: tuple[str, ...]
    #: Most buckets computed in one transaction, so a first run over a large table is chunked.
    step: timedelta
    #: Where the oldest bucket is found when nothing was rolled up yet.
    first_bucket_sql: str


ROLLUPS = (
    Rollup(
        name="event_hours",
        unit="hour",
        dirty_table="rollup_dirty_hours",
        bucket="hour",
        views=("delivery_stats_hourly",),
        step=timedelta(days=7),
        first_bucket_sql="SELECT min(date_trunc('hour', received_at, 'UTC')) FROM delivery_events",
    ),
    Rollup(
        name="message_days",
        unit="day",
        dirty_table="rollup_dirty_days",
        bucket="day",
        views=("delivery_rate_daily", "delivery_latency_daily"),
        step=timedelta(days=31),
        first_bucket_sql=(
            "SELECT least("
            "(SELECT min(date_trunc('day', final_at, 'UTC')) FROM messages"
            " WHERE final_at IS NOT NULL),"
            "(SELECT min(date_trunc('day', delivered_at, 'UTC')) FROM messages"
            " WHERE delivered_at IS NOT NULL))"
        ),
    ),
)

# The oldest start of any other transaction in this database: rows it writes may belong to the
# bucket that was current when it began.
_HORIZON = """
SELECT least(now(), min(xact_start)) FROM pg_stat_activity
WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL
  AND backend_type = 'client backend'
"""


async def roll_up(conn: psycopg.AsyncConnection[Any]) -> dict[str, datetime] | None:
    """Bring every rollup up to date on `conn` (autocommit); returns the new watermarks.

    Returns None, doing nothing, when another process is running the rollups right now.
    """
    cur = await conn.execute("SELECT pg_try_advisory_lock(%s)", (_ROLLUP_LOCK,))
    row = await cur.fetchone()
    if row is None or not row[0]:
        return None
    try:
        return {rollup.name: await _catch_up(conn, rollup) for rollup in ROLLUPS}
    finally:
        await conn.execute("SELECT pg_advisory_unlock(%s)", (_ROLLUP_LOCK,))


async def horizon(conn: psycopg.AsyncConnection[Any]) -> datetime:
    """now(), or the start of the oldest other transaction in the database if earlier."""
    cur = await conn.execute(_HORIZON)
    row = await cur.fetchone()
    assert row is not None
    value: datetime = row[0]
    return value


async def _catch_up(conn: psycopg.AsyncConnection[Any], rollup: Rollup) -> datetime:
    # Read before the transaction's snapshot: whatever finished by then is in the snapshot.
    cur = await conn.execute(
        f"SELECT date_trunc('{rollup.unit}', %s::timestamptz, 'UTC')".encode(),
        (await horizon(conn),),
    )
    row = await cur.fetchone()
    assert row is not None
    target: datetime = row[0]
    while True:
        async with conn.transaction():
            await conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            until = await _step(conn, rollup, target)
        if until >= target:
            return until


async def _step(conn: psycopg.AsyncConnection[Any], rollup: Rollup, target: datetime) -> datetime:
    """Recompute the logged buckets and at most `rollup.step` more; returns the new watermark."""
    cur = await conn.execute(
        "SELECT rolled_until FROM rollup_watermarks WHERE rollup = %s", (rollup.name,)
    )
    row = await cur.fetchone()
    start: datetime | None = row[0] if row else None
    if start is None:
        cur = await conn.execute(rollup.first_bucket_sql.encode())
        first = await cur.fetchone()
        start = first[0] if first and first[0] is not None else target
    assert start is not None
    until = min(target, start + rollup.step)
    cur = await conn.execute(f"DELETE FROM {rollup.dirty_table} RETURNING {rollup.bucket}".encode())
    dirty = sorted({r[0] for r in await cur.fetchall() if r[0] < start})
    bucket = rollup.bucket
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


class RollupService:
    """Runs `roll_up` every `interval` seconds in the background of one worker process.

    Each run has a connection of its own: closing it releases the advisory lock whatever
    happened to the run.
    """

    def __init__(self, database_url: str, interval: float) -> None:
        self.database_url = database_url
        self.interval = interval
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    async def start(self) -> None:
        if self.interval > 0:
            self._task = asyncio.create_task(self._loop())

    async def stop(self) -> None:
        self._stopping.set()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _loop(self) -> None:
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.interval)
                return
            try:
                async with await psycopg.AsyncConnection.connect(
                    self.database_url, autocommit=True, application_name="receiver-rollup"
                ) as conn:
                    await roll_up(conn)
            except (psycopg.Error, OSError, TimeoutError) as exc:
                log.debug("rollup skipped: %s", exc)  # Postgres down: try again later
            except Exception:
                log.exception("rollup failed")
