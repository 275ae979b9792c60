"""Retention: rows older than RECEIVER_RETENTION go, and the dashboards do not change.

* callbacks, delivery_events, inbound_messages: whole partitions whose months all ended before
  the cutoff are detached (CONCURRENTLY: inserts and reads carry on) and dropped. No row is
  deleted one by one.
* messages: those final, and quiet, since before the cutoff.
* the alert outbox: deliveries done (delivered or given up) before the cutoff, then alerts left
  with no delivery; cool-downs that have ended.
* RECEIVER_RAW_RETENTION, if set: callbacks.body is cleared (null) where older than it; the row
  stays, and `receiver reparse` skips it, as there is nothing left to read. A callback still
  queued for projection keeps its body until a run after it is projected.

The rollups keep the dashboards exact (opt_outs_daily included, whose rows are the dropped
inbound_messages, migration 12): before anything goes the rollups are brought up to date and
must cover the whole dropped range, and `rollup_watermarks.purged_until` is moved past it, so
those buckets are read from the rollup tables from then on, never recomputed from rows that are
gone (migration 10). One purge at a time, under an advisory lock.
"""

from __future__ import annotations

import asyncio
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TextIO

import psycopg

from receiver.projection.partitions import PARTITIONED, Partition, first_id, parse_partitions
from receiver.projection.rollups import roll_up

__all__ = ["Progress", "PurgeRefused", "PurgeReport", "no_progress", "print_progress", "purge"]

_RETENTION_LOCK = 0x5EC_DE1E
_BATCH = 10_000

#: Reports a step's progress: its name, units done, units in all.
Progress = Callable[[str, int, int], None]


def no_progress(step: str, done: int, total: int) -> None:
    pass


def print_progress(stream: TextIO = sys.stderr) -> Progress:
    """Progress as one line per step and update; the one place a progress bar would go."""

    def report(step: str, done: int, total: int) -> None:
        stream.write(f"purge: {step}: {done}/{total}\n")
        stream.flush()

    return report


class PurgeRefused(RuntimeError):
    """Nothing was purged, for the reason given (rollups behind, another purge running)."""


@dataclass(frozen=True, slots=True)
class PurgeReport:
    cutoff: datetime
    dry_run: bool
    #: Partitions dropped (or, in a dry run, that would be).
    partitions: tuple[str, ...] = ()
    #: Rows in them, as the planner's statistics estimate.
    partition_rows: int = 0
    messages: int = 0
    alert_deliveries: int = 0
    alerts: int = 0
    cooldowns: int = 0
    #: Request bodies cleared.
    bodies: int = 0


_LIST = """
SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), i.inhdetachpending,
       greatest(c.reltuples, 0)::bigint
FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
WHERE i.inhparent = %s::regclass
"""

# Final since before the day cut off, and nothing received since the cutoff: every dashboard day
# the message counts in (final_at, delivered_at) is before the purge horizon.
_OLD_MESSAGES = """
FROM messages
WHERE last_received_at < %(cutoff)s AND status_rank >= 3
  AND final_at < %(day)s AND coalesce(delivered_at, final_at) < %(day)s
"""
_DELETE_MESSAGES = f"""
DELETE FROM messages m USING (
    SELECT provider, message_key {_OLD_MESSAGES} LIMIT {_BATCH}
) old
WHERE m.provider = old.provider AND m.message_key = old.message_key
"""
_OLD_DELIVERIES = """
FROM alert_deliveries
WHERE state IN ('delivered', 'failed') AND coalesce(delivered_at, next_attempt_at) < %(cutoff)s
"""
_OLD_ALERTS = """
FROM alerts a
WHERE a.created_at < %(cutoff)s
  AND NOT EXISTS (SELECT FROM alert_deliveries d WHERE d.alert_id = a.id)
"""
_OLD_COOLDOWNS = "FROM alert_cooldowns WHERE until < now()"
_CLEAR_BODIES = """
UPDATE callbacks c SET body = NULL
WHERE c.id >= %(lo)s AND c.id < %(hi)s AND c.body IS NOT NULL
  AND NOT EXISTS (SELECT FROM projection_queue q WHERE q.callback_id = c.id)
"""


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, UTC)


async def _scalar(conn: psycopg.AsyncConnection[Any], sql: str, params: Any = None) -> Any:
    cur = await conn.execute(sql.encode(), params)
    row = await cur.fetchone()
    return None if row is None else row[0]


async def _old_partitions(
    conn: psycopg.AsyncConnection[Any], cutoff: datetime
) -> list[tuple[Partition, int]]:
    found = []
    for table in PARTITIONED:
        cur = await conn.execute(_LIST, (table,))
        rows = await cur.fetchall()
        sizes = {name: size for name, _, _, size in rows}
        for part in parse_partitions(table, [(n, b, p) for n, b, p, _ in rows]):
            if part.upper != date.max and _start(part.upper) <= cutoff:
                found.append((part, int(sizes[part.name])))
    return found


async def _rolled_up(conn: psycopg.AsyncConnection[Any], deadline: float) -> None:
    """Bring the rollups up to date, waiting for another process's run if need be."""
    loop = asyncio.get_running_loop()
    while await roll_up(conn) is None:
        if loop.time() > deadline:
            raise PurgeRefused("another process kept the rollup lock; try again")
        await asyncio.sleep(0.2)


async def _watermark(conn: psycopg.AsyncConnection[Any], rollup: str) -> datetime | None:
    value: datetime | None = await _scalar(
        conn, "SELECT rolled_until FROM rollup_watermarks WHERE rollup = %s", (rollup,)
    )
    return value


async def _count_and_delete(
    conn: psycopg.AsyncConnection[Any],
    step: str,
    source: str,
    delete: str,
    params: dict[str, Any],
    dry_run: bool,
    progress: Progress,
) -> int:
    total = int(await _scalar(conn, f"SELECT count(*) {source}", params) or 0)
    progress(step, 0, total)
    if dry_run or not total:
        return total
    done = 0
    while True:
        cur = await conn.execute(delete.encode(), params)
        if cur.rowcount <= 0:
            break
        done += cur.rowcount
        progress(step, min(done, total), total)
    return done


async def purge(
    conn: psycopg.AsyncConnection[Any],
    older_than: timedelta,
    *,
    raw_older_than: timedelta | None = None,
    dry_run: bool = False,
    progress: Progress = no_progress,
    rollup_wait: float = 30.0,
) -> PurgeReport:
    """Purge what is older than `older_than` on `conn` (autocommit): see the module docstring.

    A dry run changes nothing and reports what would go. Raises PurgeRefused, having changed
    nothing, when the rollups cannot be brought past the range to drop.
    """
    if not await _scalar(conn, "SELECT pg_try_advisory_lock(%s)", (_RETENTION_LOCK,)):
        raise PurgeRefused("another purge is running")
    try:
        return await _purge(conn, older_than, raw_older_than, dry_run, progress, rollup_wait)
    finally:
        await conn.execute("SELECT pg_advisory_unlock(%s)", (_RETENTION_LOCK,))


async def _purge(
    conn: psycopg.AsyncConnection[Any],
    older_than: timedelta,
    raw_older_than: timedelta | None,
    dry_run: bool,
    progress: Progress,
    rollup_wait: float,
) -> PurgeReport:
    now: datetime = await _scalar(conn, "SELECT now()")
    cutoff = now - older_than
    day = _start(cutoff.astimezone(UTC).date())
    old = await _old_partitions(conn, cutoff)
    events_until = max(
        (_start(p.upper) for p, _ in old if p.table == "delivery_events"), default=None
    )
    inbound_until = max(
        (_start(p.upper) for p, _ in old if p.table == "inbound_messages"), default=None
    )
    if not dry_run:
        await _rolled_up(conn, asyncio.get_running_loop().time() + rollup_wait)
        hours, days = await _watermark(conn, "event_hours"), await _watermark(conn, "message_days")
        if events_until is not None and (hours is None or hours < events_until):
            raise PurgeRefused(
                f"the hourly rollup reaches {hours}, not yet {events_until}: nothing purged"
            )
        opt_outs = await _watermark(conn, "inbound_days")
        if inbound_until is not None and (opt_outs is None or opt_outs < inbound_until):
            raise PurgeRefused(
                f"the opt-out rollup reaches {opt_outs}, not yet {inbound_until}: nothing purged"
            )
        if days is None or days < day:
            has_final = await _scalar(
                conn, "SELECT EXISTS (SELECT FROM messages WHERE final_at < %s)", (day,)
            )
            if has_final:
                raise PurgeRefused(
                    f"the daily rollup reaches {days}, not yet {day}: nothing purged"
                )
        # From here on the buckets before these times are read from the rollups only.
        for rollup, until in (
            ("event_hours", events_until),
            ("message_days", day),
            ("inbound_days", inbound_until),
        ):
            if until is not None:
                await conn.execute(
                    "UPDATE rollup_watermarks SET purged_until = greatest("
                    "coalesce(purged_until, '-infinity'), least(%s, rolled_until))"
                    " WHERE rollup = %s",
                    (until, rollup),
                )

    names = tuple(p.name for p, _ in old)
    progress("partitions", 0, len(old))
    for number, (part, _) in enumerate(old, 1):
        if not dry_run:
            if part.detach_pending:  # an earlier DETACH CONCURRENTLY was interrupted
                await conn.execute(
                    f'ALTER TABLE {part.table} DETACH PARTITION "{part.name}" FINALIZE'.encode()
                )
            else:
                await conn.execute(
                    f'ALTER TABLE {part.table} DETACH PARTITION "{part.name}" CONCURRENTLY'.encode()
                )
            await conn.execute(f'DROP TABLE "{part.name}"'.encode())
        progress("partitions", number, len(old))

    params = {"cutoff": cutoff, "day": day}
    messages = await _count_and_delete(
        conn, "messages", _OLD_MESSAGES, _DELETE_MESSAGES, params, dry_run, progress
    )
    deliveries = await _count_and_delete(
        conn,
        "alert deliveries",
        _OLD_DELIVERIES,
        f"DELETE FROM alert_deliveries WHERE id IN (SELECT id {_OLD_DELIVERIES} LIMIT {_BATCH})",
        params,
        dry_run,
        progress,
    )
    alerts = await _count_and_delete(
        conn,
        "alerts",
        _OLD_ALERTS,
        f"DELETE FROM alerts WHERE id IN (SELECT a.id {_OLD_ALERTS} LIMIT {_BATCH})",
        params,
        dry_run,
        progress,
    )
    cooldowns = await _count_and_delete(
        conn,
        "cool-downs",
        _OLD_COOLDOWNS,
        f"DELETE {_OLD_COOLDOWNS}",
        params,
        dry_run,
        progress,
    )
    bodies = 0
    if raw_older_than is not None:
        bodies = await _clear_bodies(conn, now - raw_older_than, dry_run, progress)
    return PurgeReport(
        cutoff=cutoff,
        dry_run=dry_run,
        partitions=names,
        partition_rows=sum(size for _, size in old),
        messages=messages,
        alert_deliveries=deliveries,
        alerts=alerts,
        cooldowns=cooldowns,
        bodies=bodies,
    )


async def _clear_bodies(
    conn: psycopg.AsyncConnection[Any], before: datetime, dry_run: bool, progress: Progress
) -> int:
    """Clear bodies received before the day of `before`, a day of ids per statement, from where
    the last run stopped (retention_marks) or else the oldest partition.

    A callback still queued for projection keeps its body (the projector must read it), and the
    mark stops at the start of its day, so the next run clears it once it has been projected."""
    mark: datetime | None = await _scalar(
        conn, "SELECT until FROM retention_marks WHERE mark = 'raw_bodies'"
    )
    cur = await conn.execute(_LIST, ("callbacks",))
    parts = parse_partitions("callbacks", [(n, b, p) for n, b, p, _ in await cur.fetchall()])
    if not parts:
        return 0
    start = max(mark.astimezone(UTC).date() if mark else date.min, parts[0].lower)
    end = before.astimezone(UTC).date()
    days = max((end - start).days, 0)
    progress("bodies", 0, days)
    if dry_run or not days:
        count = await _scalar(
            conn,
            "SELECT count(*) FROM callbacks c"
            " WHERE c.id >= %(lo)s AND c.id < %(hi)s AND c.body IS NOT NULL"
            " AND NOT EXISTS (SELECT FROM projection_queue q WHERE q.callback_id = c.id)",
            {"lo": first_id(start), "hi": first_id(max(start, end))},
        )
        return int(count or 0) if dry_run else 0
    cleared = 0
    for number in range(days):
        lo, hi = start + timedelta(days=number), start + timedelta(days=number + 1)
        cur = await conn.execute(_CLEAR_BODIES, {"lo": first_id(lo), "hi": first_id(hi)})
        cleared += max(cur.rowcount, 0)
        progress("bodies", number + 1, days)
    # Not past a callback that kept its body because it was queued: it is cleared next time.
    queued: uuid.UUID | None = await _scalar(
        conn,
        "SELECT callback_id FROM projection_queue WHERE callback_id >= %s AND callback_id < %s"
        " ORDER BY callback_id LIMIT 1",
        (first_id(start), first_id(end)),
    )
    until = end if queued is None else _id_day(queued)
    await conn.execute(
        "INSERT INTO retention_marks (mark, until) VALUES ('raw_bodies', %s)"
        " ON CONFLICT (mark) DO UPDATE SET until = EXCLUDED.until",
        (_start(until),),
    )
    return cleared


def _id_day(callback_id: uuid.UUID) -> date:
    """The UTC day a callback id was made (its first 48 bits are the millisecond)."""
    return datetime.fromtimestamp((callback_id.int >> 80) / 1000, UTC).date()
