"""Retention: partitions dropped whole, old messages and outbox rows deleted, bodies cleared,
and the dashboard views the same before and after."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest

from receiver import retention
from receiver.callback import Accepted, RawCallback, new_callback_id
from receiver.config import ConfigError, RetentionSettings, Settings
from receiver.db import open_pool
from receiver.ingest.raw_store import store_raw
from receiver.projection.partitions import ensure_partitions, list_partitions
from receiver.projection.projector import Projector
from receiver.projection.reparse import reparse
from receiver.projection.rollups import RollupService, rebuild, roll_up
from receiver.projection.store import write_batch
from receiver.records import DeliveryEvent, InboundMessage, Normalized
from receiver.retention import PurgeRefused, PurgeReport, purge
from receiver.status import Status
from tests.conftest import ADAPTERS, EARLIEST, rows
from tests.processes import receiver_env, run_cli

#: Receipt times: two whole months that retention drops, and the current month, which it keeps.
OLD = [datetime(2026, 1, 10, 9, tzinfo=UTC), datetime(2026, 2, 20, 15, tzinfo=UTC)]
CUTOFF = datetime(2026, 3, 15, tzinfo=UTC)
ROLLED_VIEWS = (
    "delivery_stats_hourly",
    "delivery_rate_daily",
    "delivery_latency_daily",
    "opt_outs_daily",
)


@pytest.fixture
def partitions(db: psycopg.Connection[Any]) -> Iterator[None]:
    """Purges drop the session database's early partitions: put them back afterwards."""
    yield
    ensure_partitions(db, since=EARLIEST)


def callback(
    at: datetime, *events: DeliveryEvent, inbound: tuple[InboundMessage, ...] = ()
) -> Accepted:
    raw = RawCallback(new_callback_id(at.timestamp()), at, "smpp", "POST", "", {}, None, b"{}")
    return Accepted(raw, Normalized(events=events, inbound=inbound), None)


def lifecycle(at: datetime, key: str, final: Status) -> list[Accepted]:
    sent = DeliveryEvent(Status.SENT, "S", message_id=key, occurred_at=at, occurred_at_raw=str(at))
    later = at + timedelta(minutes=4)
    done = DeliveryEvent(final, "F", message_id=key, occurred_at=later, occurred_at_raw=str(later))
    return [callback(at, sent), callback(later, done)]


async def fill(database_url: str, now: datetime) -> None:
    items: list[Accepted] = []
    for n, at in enumerate([*OLD, now - timedelta(hours=2)]):
        for m in range(3):
            items += lifecycle(
                at + timedelta(minutes=m),
                f"m{n}-{m}",
                [Status.DELIVERED, Status.UNDELIVERED][m % 2],
            )
        stop = InboundMessage(
            sender=f"44770090{n}", recipient="1", text="STOP", message_id=f"in{n}", is_opt_out=True
        )
        items.append(callback(at + timedelta(minutes=30), inbound=(stop,)))
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        for item in items:
            await write_batch(conn, [item])
        await roll_up(conn)


def views(db: psycopg.Connection[Any]) -> dict[str, list[dict[str, Any]]]:
    return {view: rows(db, f"SELECT * FROM {view} ORDER BY 1, 2".encode()) for view in ROLLED_VIEWS}


async def run_purge(database_url: str, older_than: timedelta, **kwargs: Any) -> PurgeReport:
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        return await purge(conn, older_than, **kwargs)


def since_cutoff(now: datetime) -> timedelta:
    return now - CUTOFF


async def test_a_purge_drops_whole_months_and_the_views_stay_the_same(
    db: psycopg.Connection[Any], database_url: str, partitions: None
) -> None:
    now = datetime.now(UTC)
    await fill(database_url, now)
    before = views(db)
    assert all(before[view] for view in ROLLED_VIEWS)
    events_before = len(rows(db, "SELECT * FROM delivery_events"))

    seen: list[tuple[str, int, int]] = []
    report = await run_purge(database_url, since_cutoff(now), progress=lambda *a: seen.append(a))
    names = {
        f"{t}_y2026m0{m}"
        for t in ("callbacks", "delivery_events", "inbound_messages")
        for m in (1, 2)
    }
    assert set(report.partitions) == names
    assert not report.dry_run
    assert ("partitions", len(names), len(names)) in seen
    remaining = {p.name for t in ("callbacks", "delivery_events") for p in list_partitions(db, t)}
    assert not remaining & names
    left = rows(db, "SELECT received_at FROM delivery_events")
    assert len(left) == events_before // 3 and all(r["received_at"] > CUTOFF for r in left)
    # Messages final and quiet since before the cutoff are gone; the current ones stay.
    assert {r["message_key"] for r in rows(db, "SELECT message_key FROM messages")} == {
        f"id:m2-{m}" for m in range(3)
    }
    assert report.messages == 6
    assert views(db) == before
    # opt_outs_daily too, from its rollup: the replies of January and February are gone.
    assert {r["day"].month for r in before["opt_outs_daily"]} >= {1, 2}
    replies = rows(db, "SELECT received_at FROM inbound_messages")
    assert len(replies) == 1 and replies[0]["received_at"] > CUTOFF

    # A late report into a purged day (a provider clock, a replay): that day stays as rolled up.
    late = datetime(2026, 1, 10, 9, 30, tzinfo=UTC)
    stray = DeliveryEvent(
        Status.DELIVERED, "F", message_id="late", occurred_at=late, occurred_at_raw="x"
    )
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        await write_batch(conn, [callback(now, stray)])
        assert views(db)["delivery_rate_daily"][:2] == before["delivery_rate_daily"][:2]
        await roll_up(conn)
        assert views(db)["delivery_rate_daily"][:2] == before["delivery_rate_daily"][:2]
        # Rebuilding recomputes what is still stored, and keeps what only the rollups hold.
        await rebuild(conn)
    after = views(db)
    assert (
        after["delivery_stats_hourly"][: len(before["delivery_stats_hourly"]) - 1]
        == before["delivery_stats_hourly"][: len(before["delivery_stats_hourly"]) - 1]
    )
    assert after["delivery_rate_daily"][:2] == before["delivery_rate_daily"][:2]
    assert after["opt_outs_daily"] == before["opt_outs_daily"]


async def test_a_dry_run_changes_nothing(
    db: psycopg.Connection[Any], database_url: str, partitions: None
) -> None:
    now = datetime.now(UTC)
    await fill(database_url, now)
    counts = "SELECT (SELECT count(*) FROM delivery_events), (SELECT count(*) FROM messages)"
    before = db.execute(counts).fetchone()
    report = await run_purge(database_url, since_cutoff(now), dry_run=True)
    assert report.dry_run and len(report.partitions) == 6 and report.messages == 6
    assert db.execute(counts).fetchone() == before
    assert {p.lower for p in list_partitions(db, "delivery_events")} >= {date(2026, 1, 1)}


async def test_nothing_goes_while_the_rollups_do_not_cover_it(
    db: psycopg.Connection[Any],
    database_url: str,
    partitions: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = datetime.now(UTC)
    await fill(database_url, now)
    db.execute("DELETE FROM rollup_watermarks")  # as if no rollup had ever run

    async def stuck(conn: psycopg.AsyncConnection[Any]) -> dict[str, datetime | None]:
        return {}

    monkeypatch.setattr(retention, "roll_up", stuck)
    with pytest.raises(PurgeRefused, match="hourly rollup"):
        await run_purge(database_url, since_cutoff(now))
    assert {p.lower for p in list_partitions(db, "delivery_events")} >= {date(2026, 1, 1)}
    assert len(rows(db, "SELECT * FROM messages")) == 9

    # Only the opt-out rollup behind: still nothing goes.
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        await roll_up(conn)
    db.execute("DELETE FROM rollup_watermarks WHERE rollup = 'inbound_days'")
    with pytest.raises(PurgeRefused, match="opt-out rollup"):
        await run_purge(database_url, since_cutoff(now))
    assert {p.lower for p in list_partitions(db, "inbound_messages")} >= {date(2026, 1, 1)}
    assert len(rows(db, "SELECT * FROM inbound_messages")) == 3


async def test_the_outbox_and_cooldowns_are_kept_only_as_long_as_needed(
    db: psycopg.Connection[Any], database_url: str, partitions: None
) -> None:
    old = "now() - interval '100 days'"
    for n, (created, state) in enumerate(
        [(old, "delivered"), (old, "failed"), (old, "pending"), ("now()", "delivered")]
    ):
        db.execute(
            f"INSERT INTO alerts (created_at, type, alert_key, payload) VALUES ({created},"
            f" 'message.failed', 'k{n}', '{{}}')".encode()
        )
        db.execute(
            "INSERT INTO alert_deliveries (alert_id, target, state, next_attempt_at, delivered_at)"
            f" SELECT id, 'http://t', %s, {created}, CASE WHEN %s = 'delivered' THEN {created} END"
            " FROM alerts WHERE alert_key = %s".encode(),
            (state, state, f"k{n}"),
        )
    db.execute(
        "INSERT INTO alert_cooldowns VALUES ('r', 'over', now() - interval '1 minute'),"
        " ('r', 'running', now() + interval '1 hour')"
    )
    report = await run_purge(database_url, timedelta(days=90))
    assert (report.alert_deliveries, report.alerts, report.cooldowns) == (2, 2, 1)
    kept = rows(
        db,
        "SELECT a.alert_key, d.state FROM alerts a"
        " JOIN alert_deliveries d ON d.alert_id = a.id ORDER BY 1",
    )
    assert kept == [
        {"alert_key": "k2", "state": "pending"},
        {"alert_key": "k3", "state": "delivered"},
    ]
    assert [r["alert_key"] for r in rows(db, "SELECT alert_key FROM alert_cooldowns")] == [
        "running"
    ]


async def test_raw_retention_clears_old_bodies_and_keeps_the_rows(
    db: psycopg.Connection[Any], database_url: str, partitions: None
) -> None:
    now = datetime.now(UTC)
    old, recent = callback(now - timedelta(days=40)), callback(now - timedelta(hours=1))
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        await write_batch(conn, [old, recent])
    report = await run_purge(database_url, timedelta(days=3650), raw_older_than=timedelta(days=30))
    assert report.bodies == 1
    bodies = {r["id"]: r["body"] for r in rows(db, "SELECT id, body FROM callbacks")}
    assert bodies == {old.raw.id: None, recent.raw.id: b"{}"}
    done = await reparse(database_url, ADAPTERS)
    assert done.callbacks == 1  # the cleared one cannot be read again, so it is not queued


async def test_a_body_still_queued_for_projection_is_cleared_once_projected(
    db: psycopg.Connection[Any], database_url: str, partitions: None
) -> None:
    """A callback waiting in the projection queue keeps its body (the projector must read it);
    a later run clears it once projected, though the run before had passed its day."""
    now = datetime.now(UTC)
    waiting = callback(now - timedelta(days=40)).raw
    done = callback(now - timedelta(days=41))
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        await write_batch(conn, [done])
        await store_raw(conn, [waiting])  # stored by the ack path, not projected yet
    first = await run_purge(database_url, timedelta(days=3650), raw_older_than=timedelta(days=30))
    assert first.bodies == 1
    bodies = {r["id"]: r["body"] for r in rows(db, "SELECT id, body FROM callbacks")}
    assert bodies == {done.raw.id: None, waiting.id: b"{}"}

    pool = open_pool(database_url, 2)
    await pool.open()
    try:
        assert (await Projector(pool, ADAPTERS).catch_up()).callbacks == 1
    finally:
        await pool.close()
    second = await run_purge(database_url, timedelta(days=3650), raw_older_than=timedelta(days=30))
    assert second.bodies == 1
    assert [r["body"] for r in rows(db, "SELECT body FROM callbacks")] == [None, None]
    [mark] = rows(db, "SELECT until FROM retention_marks WHERE mark = 'raw_bodies'")
    assert mark["until"] == datetime.combine((now - timedelta(days=30)).date(), time.min, UTC)


def test_the_purge_command(
    db: psycopg.Connection[Any], database_url: str, partitions: None
) -> None:
    now = datetime.now(UTC)
    asyncio.run(fill(database_url, now))
    days = f"{since_cutoff(now).days}d"
    env = receiver_env(DATABASE_URL=database_url)
    result = run_cli("purge", "--older-than", days, "--dry-run", env=env, cwd=Path.cwd())
    assert result.returncode == 0, result.stderr
    assert "would drop: " in result.stdout and "delivery_events_y2026m01" in result.stdout
    assert "purge: partitions: 0/6" in result.stderr
    assert len(list_partitions(db, "delivery_events")) > 0
    result = run_cli("purge", "--older-than", days, env=env, cwd=Path.cwd())
    assert result.returncode == 0, result.stderr
    assert "partitions dropped: " in result.stdout
    assert "delivery_events_y2026m01" not in {
        p.name for p in list_partitions(db, "delivery_events")
    }
    assert run_cli("purge", env=env, cwd=Path.cwd()).returncode == 2  # no retention given


def test_retention_settings() -> None:
    settings = Settings.from_env({"RECEIVER_RETENTION": "400d", "RECEIVER_RAW_RETENTION": "8w"})
    assert settings.retention == RetentionSettings(
        retention=timedelta(days=400), raw_retention=timedelta(weeks=8)
    )
    assert Settings.from_env({}).retention.retention is None
    with pytest.raises(ConfigError, match="RECEIVER_RETENTION") as caught:
        Settings.from_env({"RECEIVER_RETENTION": "a year", "RECEIVER_PARTITION_MONTHS": "13"})
    assert "RECEIVER_PARTITION_MONTHS" in str(caught.value)


async def test_the_rollup_task_keeps_partitions_ahead_and_purges_when_due(
    db: psycopg.Connection[Any], database_url: str, partitions: None
) -> None:
    now = datetime.now(UTC)
    await fill(database_url, now)
    ahead = (now.date().replace(day=1) + timedelta(days=32)).replace(day=1)
    db.execute(f"DROP TABLE callbacks_y{ahead:%Y}m{ahead:%m}".encode())
    service = RollupService(
        database_url, 60, RetentionSettings(retention=since_cutoff(now), partitions_ahead=2)
    )
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        await service.run_once(conn)
    callbacks = {p.lower for p in list_partitions(db, "callbacks")}
    assert ahead in callbacks
    assert date(2026, 1, 1) not in callbacks  # purged
    assert views(db)["delivery_stats_hourly"]
