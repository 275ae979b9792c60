"""Time partitions: which are created, deduplication across a month boundary, rows no
partition takes, and the conversion of a database filled before partitioning."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from starlette.testclient import TestClient

from receiver.app import create_app
from receiver.callback import Accepted, RawCallback, new_callback_id
from receiver.db import apply_migrations, migrations
from receiver.ingest.raw_store import store_raw
from receiver.projection.partitions import (
    PARTITIONED,
    Partition,
    boundary_locks,
    ensure_partitions,
    first_id,
    list_partitions,
    missing_partitions,
)
from receiver.projection.store import write_batch
from receiver.records import DeliveryEvent, InboundMessage, Normalized, keyless_key
from receiver.status import Status
from tests.conftest import TOKEN, make_settings, rows, sibling_url

BOUNDARY = datetime(2026, 2, 1, tzinfo=UTC)
FIXTURE = Path(__file__).parent / "data" / "v7_filled.sql"


def part(lower: date, upper: date) -> Partition:
    return Partition("delivery_events", "p", lower, upper)


def test_missing_partitions_this_month_and_ahead() -> None:
    plan = missing_partitions([], date(2026, 11, 17), months=1, ahead=2, since=None)
    assert plan == [
        (date(2026, 11, 1), date(2026, 12, 1)),
        (date(2026, 12, 1), date(2027, 1, 1)),
        (date(2027, 1, 1), date(2027, 2, 1)),
    ]


def test_missing_partitions_skip_covered_months_and_align_longer_ones() -> None:
    existing = [part(date(2026, 11, 1), date(2026, 12, 1))]
    plan = missing_partitions(existing, date(2026, 11, 17), months=3, ahead=4, since=None)
    # Quarters from January; December fills the rest of the quarter November began.
    assert plan == [(date(2026, 12, 1), date(2027, 1, 1)), (date(2027, 1, 1), date(2027, 4, 1))]
    assert (
        missing_partitions(
            [*existing, *(part(lo, hi) for lo, hi in plan)],
            date(2026, 11, 17),
            months=3,
            ahead=4,
            since=None,
        )
        == []
    )


def test_first_id_is_below_every_id_of_its_day() -> None:
    day = date(2026, 3, 1)
    start = datetime(2026, 3, 1, tzinfo=UTC).timestamp()
    assert new_callback_id(start - 0.001) < first_id(day) <= new_callback_id(start)
    assert first_id(day).int & ((1 << 80) - 1) == 0  # only the time bits are set


def test_sql_and_python_agree_on_month_bounds(db: psycopg.Connection[Any]) -> None:
    for day in (date(2026, 3, 1), date(1999, 12, 1), date(2200, 7, 1)):
        assert db.execute("SELECT receiver_month_id(%s)", (day,)).fetchone() == (first_id(day),)


def test_a_database_has_partitions_for_this_month_and_ahead(
    db: psycopg.Connection[Any],
) -> None:
    for table in PARTITIONED:
        parts = list_partitions(db, table)
        month = datetime.now(UTC).date().replace(day=1)
        for _ in range(4):  # this month and the three after it
            assert any(p.lower <= month < p.upper for p in parts), (table, month, parts)
            month = (month + timedelta(days=32)).replace(day=1)
    assert ensure_partitions(db) == []  # already there: nothing new


def callback(
    at: datetime, *events: DeliveryEvent, inbound: tuple[InboundMessage, ...] = ()
) -> Accepted:
    raw = RawCallback(
        id=new_callback_id(at.timestamp()),
        received_at=at,
        provider="smpp",
        method="POST",
        query="",
        headers={},
        content_type=None,
        body=b"{}",
    )
    return Accepted(raw, Normalized(events=events, inbound=inbound), None)


DELIVERED = DeliveryEvent(
    Status.DELIVERED,
    "DELIVRD",
    message_id="m-boundary",
    occurred_at=BOUNDARY - timedelta(seconds=40),
    occurred_at_raw="2026-01-31T23:59:20Z",
)
STOP = InboundMessage(
    sender="447700900001", recipient="12345", text="STOP", message_id="in-1", is_opt_out=True
)


async def write(database_url: str, item: Accepted) -> frozenset[uuid.UUID]:
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        result = await write_batch(conn, [item])
    return result.duplicates


@pytest.mark.parametrize("retry_first", [False, True])
async def test_a_retry_across_a_month_boundary_is_stored_once(
    db: psycopg.Connection[Any], database_url: str, retry_first: bool
) -> None:
    original = callback(BOUNDARY - timedelta(seconds=30), DELIVERED, inbound=(STOP,))
    retry = callback(BOUNDARY + timedelta(seconds=30), DELIVERED, inbound=(STOP,))
    first, second = (retry, original) if retry_first else (original, retry)
    assert await write(database_url, first) == frozenset()
    assert await write(database_url, second) == {second.raw.id}
    events = rows(db, "SELECT callback_id, received_month FROM delivery_events")
    assert events == [
        {"callback_id": first.raw.id, "received_month": first.raw.received_at.date().replace(day=1)}
    ]
    [message] = rows(db, "SELECT status, event_count FROM messages")
    assert message == {"status": "delivered", "event_count": 1}
    assert len(rows(db, "SELECT * FROM inbound_messages")) == 1
    assert len(rows(db, "SELECT * FROM callbacks")) == 2  # both requests are kept raw


async def test_a_retry_two_months_later_is_a_new_event(
    db: psycopg.Connection[Any], database_url: str
) -> None:
    """The documented limit: only the neighbouring months are searched."""
    await write(database_url, callback(BOUNDARY - timedelta(days=1), DELIVERED))
    await write(database_url, callback(BOUNDARY + timedelta(days=40), DELIVERED))
    assert len(rows(db, "SELECT * FROM delivery_events")) == 2


def test_boundary_locks_near_a_boundary_only() -> None:
    assert boundary_locks([datetime(2026, 1, 15, tzinfo=UTC)]) == []
    [late] = boundary_locks([BOUNDARY - timedelta(minutes=5)])
    [early] = boundary_locks([BOUNDARY + timedelta(minutes=5)])
    assert late.key == early.key and late.boundary == early.boundary == BOUNDARY
    assert (late.before, late.after, late.exclusive) == (True, False, False)
    assert (early.before, early.after, early.exclusive) == (False, True, False)
    [both] = boundary_locks([BOUNDARY - timedelta(minutes=5), BOUNDARY + timedelta(minutes=5)])
    assert both.exclusive


async def test_concurrent_sightings_on_both_sides_of_a_boundary_wait_for_each_other(
    db: psycopg.Connection[Any], database_url: str
) -> None:
    original = callback(BOUNDARY - timedelta(seconds=30), DELIVERED)
    retry = callback(BOUNDARY + timedelta(seconds=30), DELIVERED)
    async with await psycopg.AsyncConnection.connect(database_url) as first:
        await first.execute("SELECT 1")  # an open transaction: write_batch's is a savepoint
        await write_batch(first, [original])
        second = asyncio.create_task(write(database_url, retry))
        await asyncio.sleep(0.5)
        assert not second.done()  # waits on the boundary lock, not on a row
        await first.commit()
    assert await asyncio.wait_for(second, 10) == {retry.raw.id}
    assert len(rows(db, "SELECT * FROM delivery_events")) == 1


def test_provider_times_never_choose_a_partition(
    db: psycopg.Connection[Any], database_url: str
) -> None:
    """A provider clock in 1970 or 2099 is just data: rows go by receipt time."""
    now = datetime.now(UTC)
    events = [
        DeliveryEvent(
            Status.SENT, "S", message_id="m-1970", occurred_at=datetime(1970, 1, 1, tzinfo=UTC)
        ),
        DeliveryEvent(
            Status.SENT, "S", message_id="m-2099", occurred_at=datetime(2099, 1, 1, tzinfo=UTC)
        ),
    ]
    asyncio.run(write(database_url, callback(now, *events)))
    assert {
        r["received_month"] for r in rows(db, "SELECT received_month FROM delivery_events")
    } == {now.date().replace(day=1)}


def test_a_callback_no_partition_takes_is_acknowledged_and_kept(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A receiver clock years off: no partition, so the raw insert fails, and the ack path's
    spool keeps the callback until a partition exists."""
    future = datetime(2099, 1, 15, tzinfo=UTC)
    stray = RawCallback(
        new_callback_id(future.timestamp()), future, "smpp", "POST", "", {}, None, b""
    )

    async def direct() -> None:
        async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
            await store_raw(conn, [stray])

    with pytest.raises(psycopg.errors.CheckViolation):
        asyncio.run(direct())

    import receiver.ingest.endpoint as endpoint

    monkeypatch.setattr(endpoint, "new_callback_id", lambda: stray.id)
    app = create_app(make_settings(database_url, tmp_path / "spool"))
    with TestClient(app) as client:
        response = client.post(
            f"/callbacks/smpp/{TOKEN}", content=b"{}", headers={"content-type": "application/json"}
        )
        assert response.status_code == 200
        writer = client.app.state.writer  # type: ignore[attr-defined]
        deadline = time.monotonic() + 10
        while writer.spool.stats().quarantined == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert writer.spool.stats().quarantined == 1  # on disk, set aside
        db.execute("SELECT receiver_add_partition('callbacks', '2099-01-01', '2099-02-01')")
        try:
            assert writer.spool.requeue() == 1
            deadline = time.monotonic() + 10
            while not rows(db, "SELECT id FROM callbacks") and time.monotonic() < deadline:
                time.sleep(0.1)
            assert [r["id"] for r in rows(db, "SELECT id FROM callbacks")] == [stray.id]
        finally:
            db.execute("TRUNCATE callbacks, projection_queue")
            db.execute("DROP TABLE callbacks_y2099m01")


VIEWS = (
    "delivery_stats_hourly",
    "delivery_rate_daily",
    "delivery_latency_daily",
    "opt_outs_daily",
    "delivery_stats_hourly_live",
)


def snapshot(conn: psycopg.Connection[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "callbacks": rows(conn, "SELECT * FROM callbacks ORDER BY id"),
        "events": rows(
            conn,
            "SELECT id, callback_id, provider, message_key, message_id, client_ref, recipient,"
            " status, provider_status, error_code, error_detail, occurred_at, occurred_at_raw,"
            " received_at, dedup_key FROM delivery_events ORDER BY id",
        ),
        "inbound": rows(
            conn,
            "SELECT id, callback_id, provider, message_id, sender, recipient, text,"
            " occurred_at, received_at, is_opt_out, keyword, dedup_key"
            " FROM inbound_messages ORDER BY id",
        ),
        "messages": rows(conn, "SELECT * FROM messages ORDER BY provider, message_key"),
    }
    for view in VIEWS:
        out[view] = rows(conn, f"SELECT * FROM {view} ORDER BY 1, 2".encode())
    return out


def _server_version(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute("SHOW server_version_num").fetchone()
    assert row is not None
    return int(row[0])


def test_the_conversion_keeps_every_row_the_views_and_dedup(pg_server_url: str) -> None:
    """A database filled by the receiver before partitioning (tests/data/fill_v7.py), migrated."""
    with psycopg.connect(pg_server_url, autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS receiver_convert")
        admin.execute("CREATE DATABASE receiver_convert")
    url = sibling_url(pg_server_url, "receiver_convert")
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(
                "CREATE TABLE receiver_migrations"
                " (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            for migration in migrations():
                if migration.version <= 7:
                    with conn.transaction():
                        conn.execute(migration.sql.encode())
                        conn.execute(
                            "INSERT INTO receiver_migrations (version) VALUES (%s)",
                            (migration.version,),
                        )
        with psycopg.connect(url, autocommit=True) as conn:
            fixture = FIXTURE.read_text()
            if _server_version(conn) < 170000:
                # A setting pg_dump 18 turns off first; older servers have no such timeout.
                fixture = fixture.replace("SET transaction_timeout = 0;\n", "")
            conn.execute(fixture.encode())
        with psycopg.connect(url, autocommit=True) as conn:
            before = snapshot(conn)
            assert (
                len(before["events"]) > 100
                and before["inbound"]
                and before["delivery_stats_hourly"]
            )
            assert len({e["received_at"].month for e in before["events"]}) == 3  # Jan, Feb, Mar
            assert apply_migrations(url) == [v.version for v in migrations() if v.version > 7]
            after = snapshot(conn)
            # Events that named no message had a null key; migration 11 gives them their own.
            assert any(e["message_key"] is None for e in before["events"])
            keyed = [
                {**e, "message_key": e["message_key"] or keyless_key(bytes(e["dedup_key"]))}
                for e in before["events"]
            ]
            assert after == {**before, "events": keyed}
            months = {p.lower for p in list_partitions(conn, "delivery_events")}
            assert {date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)} <= months
            # Each stored event, retried now through the current code, is stored no second time.
            [event] = rows(
                conn,
                "SELECT * FROM delivery_events WHERE message_key = 'id:m0' AND status = 'sent'",
            )
        retry = callback(
            event["received_at"] + timedelta(days=2),  # 1 February: the next month
            DeliveryEvent(
                Status.SENT,
                "ENROUTE",
                message_id="m0",
                occurred_at=event["occurred_at"],
                occurred_at_raw=event["occurred_at_raw"],
            ),
        )
        assert asyncio.run(write(url, retry)) == {retry.raw.id}
        # So is an event that named no message: the same body, retried the same day.
        with psycopg.connect(url, autocommit=True) as conn:
            [stored] = rows(
                conn,
                "SELECT c.received_at, c.body FROM delivery_events e"
                " JOIN callbacks c ON c.id = e.callback_id"
                " WHERE starts_with(e.message_key, 'keyless:') ORDER BY e.id LIMIT 1",
            )
        at = stored["received_at"] + timedelta(hours=1)
        raw = RawCallback(
            new_callback_id(at.timestamp()),
            at,
            "smpp",
            "POST",
            "",
            {"content-type": "application/json"},
            "application/json",
            bytes(stored["body"]),
        )
        keyless_retry = Accepted(
            raw, Normalized(events=(DeliveryEvent(Status.UNKNOWN, "??"),)), None
        )
        assert asyncio.run(write(url, keyless_retry)) == {raw.id}
        with psycopg.connect(url, autocommit=True) as conn:
            assert len(rows(conn, "SELECT * FROM delivery_events")) == len(before["events"])
            keyless = "SELECT * FROM messages WHERE starts_with(message_key, 'keyless:')"
            assert rows(conn, keyless) == []
            # New ids carry on after the copied ones.
            fresh = callback(datetime.now(UTC), DeliveryEvent(Status.SENT, "S", message_id="new"))
            asyncio.run(write(url, fresh))
            [new] = rows(conn, "SELECT id FROM delivery_events WHERE message_key = 'id:new'")
            assert new["id"] > max(e["id"] for e in before["events"])
    finally:
        with psycopg.connect(pg_server_url, autocommit=True) as admin:
            admin.execute("DROP DATABASE receiver_convert")


def test_migration_8_converts_buckets_written_the_postgres_16_way(
    db: psycopg.Connection[Any],
) -> None:
    """An installation made before migration 3 changed has 3-argument date_trunc buckets, which
    Postgres 15 cannot index; migration 8 rewrites its indexes and views."""
    three_argument = "date_trunc('day', final_at, 'UTC')"
    definitions = (
        "SELECT string_agg(pg_get_indexdef(indexrelid), ';') FROM pg_index"
        " WHERE indexrelid = 'messages_final_day_idx'::regclass"
        " UNION ALL SELECT pg_get_viewdef('delivery_rate_daily_live'::regclass)"
    )
    if _server_version(db) < 160000:
        pytest.skip("Postgres before 16 cannot index the 3-argument date_trunc: no such install")
    [sql] = [m.sql for m in migrations() if m.version == 8]
    with db.transaction():
        db.execute("DROP INDEX messages_final_day_idx")
        db.execute(
            "CREATE INDEX messages_final_day_idx ON messages"
            f" (({three_argument}), provider, status) INCLUDE (final_at)"
            " WHERE final_at IS NOT NULL".encode()
        )
        db.execute(
            "CREATE OR REPLACE VIEW delivery_rate_daily_live AS"
            f" SELECT provider, {three_argument} AS day,"
            " count(*) AS final, 0::bigint AS delivered, 0::bigint AS failed,"
            " 0::bigint AS undelivered, 0::bigint AS expired, 0::bigint AS rejected,"
            " 0::bigint AS unknown, 0::numeric AS delivery_rate, 0::numeric AS failure_rate"
            f" FROM messages WHERE final_at IS NOT NULL GROUP BY 1, 2".encode()
        )
        old = [r[0] for r in db.execute(definitions)]
        assert all("'UTC'::text)" in d and "AT TIME ZONE" not in d for d in old), old
        db.execute(sql.encode())
        new = [r[0] for r in db.execute(definitions)]
        raise psycopg.Rollback
    assert all("AT TIME ZONE 'UTC'::text)) AT TIME ZONE 'UTC'::text" in d for d in new), new
    assert all(", 'UTC'::text)" not in d for d in new), new
