"""Time partitions of callbacks, delivery_events and inbound_messages (migration 9).

The receiver creates them itself, ahead of need: the current month and `ahead` more, in
partitions of `months` months (RECEIVER_PARTITION_MONTHS), at migrate and from the rollup task.
There is no DEFAULT partition: a row no partition takes is refused rather than parked where it
would block creating its month later. Callback ids come from the receiver's clock, so only a
clock months off (or a spool replay older than the retention) can meet that; the ack path then
spools the callback (still acknowledged), its replay quarantines it with the reason, and
`receiver spool requeue` stores it once the partition exists.

One process creates partitions at a time (a transaction-level advisory lock), each with CREATE
TABLE and then ATTACH PARTITION, whose lock on the parent lets inserts carry on.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg

__all__ = [
    "PARTITIONED",
    "Partition",
    "boundary_locks",
    "ensure_partitions",
    "ensure_partitions_async",
    "first_id",
    "list_partitions",
    "missing_partitions",
    "parse_partitions",
    "received_month",
]

#: The partitioned tables, in the order their partitions are dropped (readers of callbacks last).
PARTITIONED = ("delivery_events", "inbound_messages", "callbacks")
_PARTITION_LOCK = 0x5EC_9A27
# Advisory keys of the month boundaries (`boundary_locks`): this plus months since year 0.
_BOUNDARY_LOCK_BASE = 0x5EC_B0_000000
#: Rows received this close to a month boundary take its lock in the projector.
BOUNDARY_WINDOW = timedelta(days=1)
#: How long after a boundary writers of the new month still wait for those of the old one: the
#: longest a projection transaction is expected to last.
BOUNDARY_GRACE = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class Partition:
    table: str
    name: str
    #: First day of its first month.
    lower: date
    #: First day after its last month.
    upper: date
    #: An interrupted DETACH ... CONCURRENTLY left it half detached.
    detach_pending: bool = False


def received_month(at: datetime) -> date:
    """The first day of the UTC month of `at`: delivery_events.received_month."""
    return at.astimezone(UTC).date().replace(day=1)


def _from_index(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def _add_months(month: date, count: int) -> date:
    return _from_index(_month_index(month) + count)


def _month_index(month: date) -> int:
    return month.year * 12 + month.month - 1


def first_id(month: date) -> uuid.UUID:
    """The smallest callback id of the UTC day `month` (SQL: receiver_first_id)."""
    millis = int(datetime(month.year, month.month, month.day, tzinfo=UTC).timestamp() * 1000)
    return uuid.UUID(int=millis << 80)


def _id_date(value: str) -> date:
    millis = int(value.replace("-", "")[:12], 16)
    return datetime.fromtimestamp(millis / 1000, UTC).date()


_BOUNDS = re.compile(r"FROM \((.+)\) TO \((.+)\)")


def _bound(text: str, is_id: bool) -> date:
    text = text.strip()
    if text == "MINVALUE":
        return date.min
    if text == "MAXVALUE":
        return date.max
    value = text.strip("'")
    return _id_date(value) if is_id else date.fromisoformat(value)


_LIST = """
SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), i.inhdetachpending
FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
WHERE i.inhparent = %s::regclass
ORDER BY c.relname
"""


def parse_partitions(table: str, rows: Iterable[tuple[str, str, bool]]) -> list[Partition]:
    found = []
    for name, bound, pending in rows:
        match = _BOUNDS.search(bound or "")
        if match is None:  # a DEFAULT partition someone added: covers no range of its own
            continue
        is_id = table == "callbacks"
        lower, upper = _bound(match.group(1), is_id), _bound(match.group(2), is_id)
        found.append(Partition(table, name, lower, upper, bool(pending)))
    return sorted(found, key=lambda p: p.lower)


def list_partitions(conn: psycopg.Connection[Any], table: str) -> list[Partition]:
    return parse_partitions(table, conn.execute(_LIST, (table,)).fetchall())


def missing_partitions(
    existing: Sequence[Partition], today: date, *, months: int, ahead: int, since: date | None
) -> list[tuple[date, date]]:
    """The [lower, upper) month ranges to create so that every month from `since` (default:
    this one) to `ahead` months after this one has a partition. New partitions are `months`
    long, aligned on multiples of `months` since year 0, and cut short where an existing
    partition already covers part of their span."""

    def covered(month: date) -> bool:
        return any(p.lower <= month < p.upper for p in existing)

    first = today.replace(day=1)
    if since is not None:
        first = min(first, since.replace(day=1))
    last = _add_months(today.replace(day=1), ahead)
    wanted: list[tuple[date, date]] = []
    month = first
    while month <= last:
        if covered(month) or (wanted and wanted[-1][0] <= month < wanted[-1][1]):
            month = _add_months(month, 1)
            continue
        block_end = _from_index((_month_index(month) // months + 1) * months)
        upper = _add_months(month, 1)
        while upper < block_end and not covered(upper):
            upper = _add_months(upper, 1)
        wanted.append((month, upper))
        month = upper
    return wanted


def ensure_partitions(
    conn: psycopg.Connection[Any], *, months: int = 1, ahead: int = 3, since: date | None = None
) -> list[str]:
    """Create the partitions `missing_partitions` names, on `conn` (autocommit); returns the new
    partitions' names."""
    created: list[str] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_PARTITION_LOCK,))
        row = conn.execute("SELECT (now() AT TIME ZONE 'UTC')::date").fetchone()
        assert row is not None
        for table in PARTITIONED:
            existing = list_partitions(conn, table)
            plan = missing_partitions(existing, row[0], months=months, ahead=ahead, since=since)
            for lower, upper in plan:
                made = conn.execute(
                    "SELECT receiver_add_partition(%s, %s, %s)", (table, lower, upper)
                ).fetchone()
                assert made is not None
                created.append(made[0])
    return created


async def ensure_partitions_async(
    conn: psycopg.AsyncConnection[Any], *, months: int = 1, ahead: int = 3
) -> list[str]:
    """`ensure_partitions` on an async connection, for the background task."""
    created: list[str] = []
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(%s)", (_PARTITION_LOCK,))
        cur = await conn.execute("SELECT (now() AT TIME ZONE 'UTC')::date")
        row = await cur.fetchone()
        assert row is not None
        for table in PARTITIONED:
            cur = await conn.execute(_LIST, (table,))
            existing = parse_partitions(table, await cur.fetchall())
            plan = missing_partitions(existing, row[0], months=months, ahead=ahead, since=None)
            for lower, upper in plan:
                cur = await conn.execute(
                    "SELECT receiver_add_partition(%s, %s, %s)", (table, lower, upper)
                )
                made = await cur.fetchone()
                assert made is not None
                created.append(made[0])
    return created


@dataclass(frozen=True, slots=True)
class BoundaryLock:
    key: int
    exclusive: bool
    #: The month boundary, for the lock statement's decision.
    boundary: datetime
    #: Whether rows of the month before the boundary are being written.
    before: bool
    after: bool


def boundary_locks(received: Iterable[datetime]) -> list[BoundaryLock]:
    """The month-boundary locks a projection writing rows received at `received` takes.

    A digest first seen just before a boundary and retried just after it lands in two months,
    which only the neighbour check in store.py relates, and that check cannot see a write not
    yet committed. So rows within BOUNDARY_WINDOW of a boundary lock it: shared while only one
    side of it can be written (before it, by writers of the old month; from BOUNDARY_GRACE after
    it, by writers of the new month), exclusive otherwise (a late row of the old month, a row of
    the new month in the grace period, or rows of both): two writers of opposite sides never run
    at once, and one sees the other's commit. Which applies is decided in the lock statement,
    by the database's clock. In key order, so two projections cannot wait on each other.
    """
    sides: dict[datetime, tuple[bool, bool]] = {}
    for at in received:
        at = at.astimezone(UTC)
        start = datetime(at.year, at.month, 1, tzinfo=UTC)
        nxt = datetime.combine(_add_months(start.date(), 1), datetime.min.time(), UTC)
        if at - start < BOUNDARY_WINDOW:
            before, after = sides.get(start, (False, False))
            sides[start] = (before, True)
        if nxt - at <= BOUNDARY_WINDOW:
            before, after = sides.get(nxt, (False, False))
            sides[nxt] = (True, after)
    return [
        BoundaryLock(
            _BOUNDARY_LOCK_BASE + _month_index(boundary.date()),
            before and after,
            boundary,
            before,
            after,
        )
        for boundary, (before, after) in sorted(sides.items())
    ]


#: Takes one BoundaryLock; %(grace)s is BOUNDARY_GRACE.
BOUNDARY_LOCK_SQL = """
SELECT CASE WHEN NOT %(exclusive)s
                 AND ((%(before)s AND now() < %(boundary)s)
                      OR (%(after)s AND now() >= %(boundary)s + %(grace)s))
            THEN pg_advisory_xact_lock_shared(%(key)s)
            ELSE pg_advisory_xact_lock(%(key)s) END
"""
