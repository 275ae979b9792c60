"""Rollups: the dashboard views say the same with and without them, late writes included.

The reference is each view's `_live` form, the migration 3 aggregation that test_views.py checks
against hand-computed numbers.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from starlette.testclient import TestClient

from receiver.app import create_app
from receiver.callback import Accepted, RawCallback, new_callback_id
from receiver.db import migrations
from receiver.projection import rollups
from receiver.projection.rollups import ROLLUPS, horizon, roll_up
from receiver.projection.store import write_batch
from receiver.records import DeliveryEvent, InboundMessage, Normalized
from receiver.status import Status
from tests.conftest import make_settings, rows, sibling_url
from tests.processes import receiver_env, run_cli, wait_for

VIEWS = {
    "delivery_stats_hourly": "hour",
    "delivery_rate_daily": "day",
    "delivery_latency_daily": "day",
}


async def store(
    database_url: str,
    received_at: datetime,
    status: Status,
    message_id: str,
    occurred_at: datetime | None = None,
) -> None:
    """One callback with one event, received at `received_at` (a replayed spool entry keeps its
    time of receipt), written the way the writer writes it: one autocommit statement."""
    raw = RawCallback(
        id=new_callback_id(),
        received_at=received_at,
        provider="smartswitch",
        method="POST",
        query="",
        headers={},
        content_type=None,
        body=message_id.encode(),
    )
    event = DeliveryEvent(
        status=status,
        provider_status=status.value.upper(),
        message_id=message_id,
        occurred_at=occurred_at,
        occurred_at_raw=None if occurred_at is None else occurred_at.isoformat(),
    )
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        await write_batch(conn, [Accepted(raw, Normalized(events=(event,)), None)])


async def run_rollups(database_url: str) -> dict[str, datetime | None] | None:
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        return await roll_up(conn)


def assert_views_match_live(db: psycopg.Connection[Any]) -> None:
    for view, bucket in VIEWS.items():
        order = f"ORDER BY provider, {bucket}"
        got = rows(db, f"SELECT * FROM {view} {order}")
        assert got == rows(db, f"SELECT * FROM {view}_live {order}"), view
        assert got, f"{view} is empty: the data set does not exercise it"


def rolled(db: psycopg.Connection[Any], view: str) -> list[dict[str, Any]]:
    return rows(db, f"SELECT * FROM {view}_rollup ORDER BY provider, {VIEWS[view]}")


def assert_rolled_up_to(db: psycopg.Connection[Any], marks: dict[str, datetime]) -> None:
    """Each rollup table holds exactly the live rows of the buckets below its watermark."""
    for view, bucket in VIEWS.items():
        mark = marks["event_hours" if bucket == "hour" else "message_days"]
        live = rows(db, f"SELECT * FROM {view}_live ORDER BY provider, {bucket}")
        assert rolled(db, view) == [r for r in live if r[bucket] < mark], view


def dirty(db: psycopg.Connection[Any]) -> tuple[int, int]:
    [row] = rows(
        db,
        "SELECT (SELECT count(*) FROM rollup_dirty_hours) AS hours,"
        " (SELECT count(*) FROM rollup_dirty_days) AS days",
    )
    return row["hours"], row["days"]


def hour(at: datetime) -> datetime:
    return at.replace(minute=0, second=0, microsecond=0)


def day(at: datetime) -> datetime:
    return hour(at).replace(hour=0)


async def a_few_days_of_callbacks(database_url: str, now: datetime) -> None:
    """Callbacks received 3, 2 and 1 days before `now`, and now: a delivered message and an
    undelivered one each time."""
    for n, days_ago in enumerate([3, 2, 1, 0]):
        at = now - timedelta(days=days_ago) if days_ago else datetime.now(UTC)
        await store(database_url, at, Status.SENT, f"m{n}", at - timedelta(minutes=5))
        await store(database_url, at, Status.DELIVERED, f"m{n}", at - timedelta(minutes=1))
        await store(database_url, at, Status.UNDELIVERED, f"x{n}", at)


async def test_views_match_live_aggregation_before_and_after_a_run(
    db: psycopg.Connection[Any], database_url: str
) -> None:
    now = datetime.now(UTC)
    await a_few_days_of_callbacks(database_url, now)
    # Received in the past but stored now, so logged as late: every statement logs the hour of
    # its event (9 past events) and the day of each final message it updated (6).
    assert dirty(db) == (9, 6)
    assert_views_match_live(db)

    marks = await run_rollups(database_url)

    assert marks is not None
    assert dirty(db) == (0, 0)
    after = datetime.now(UTC)
    assert hour(now) <= marks["event_hours"] == hour(marks["event_hours"]) <= after
    assert day(now) <= marks["message_days"] == day(marks["message_days"]) <= after
    assert_rolled_up_to(db, marks)
    stats = rolled(db, "delivery_stats_hourly")
    assert [r["events"] for r in stats][:3] == [3, 3, 3]
    assert len(rolled(db, "delivery_rate_daily")) >= 3
    assert len(rolled(db, "delivery_latency_daily")) >= 3
    assert_views_match_live(db)


async def test_a_late_event_is_counted_at_once_and_rolled_up_by_the_next_run(
    db: psycopg.Connection[Any], database_url: str
) -> None:
    now = datetime.now(UTC)
    await a_few_days_of_callbacks(database_url, now)
    await run_rollups(database_url)
    three_days_ago = now - timedelta(days=3)
    before = rolled(db, "delivery_stats_hourly")[0]
    assert before["hour"] == hour(three_days_ago)

    # A callback acknowledged three days ago, replayed from the spool only now.
    await store(database_url, three_days_ago, Status.EXPIRED, "late", three_days_ago)

    assert dirty(db) == (1, 1)
    assert rolled(db, "delivery_stats_hourly")[0] == before  # the rollup is stale ...
    assert_views_match_live(db)  # ... the view is not
    [live] = rows(db, "SELECT * FROM delivery_stats_hourly WHERE hour = %s", before["hour"])
    assert (live["events"], live["expired"]) == (before["events"] + 1, 1)

    marks = await run_rollups(database_url)

    assert marks is not None
    assert dirty(db) == (0, 0)
    assert rolled(db, "delivery_stats_hourly")[0] == live
    assert_rolled_up_to(db, marks)
    assert_views_match_live(db)


async def test_a_late_report_that_moves_a_message_to_an_earlier_day(
    db: psycopg.Connection[Any], database_url: str
) -> None:
    """final_at and delivered_at only move earlier; the day a message leaves is recomputed."""
    now = datetime.now(UTC)
    await a_few_days_of_callbacks(database_url, now)
    two_days_ago, three_days_ago = now - timedelta(days=2), now - timedelta(days=3)
    await store(database_url, two_days_ago, Status.UNDELIVERED, "moved", two_days_ago)
    await run_rollups(database_url)
    old_day = [r for r in rolled(db, "delivery_rate_daily") if r["day"] == day(two_days_ago)]
    assert old_day[0]["final"] == 3

    # A delivered report, sent earlier than the undelivered one, arrives only now.
    await store(database_url, datetime.now(UTC), Status.DELIVERED, "moved", three_days_ago)

    [message] = rows(db, "SELECT * FROM messages WHERE message_id = 'moved'")
    assert message["final_at"] == three_days_ago
    assert message["status"] == "undelivered"  # same rank, older report: the status stays
    assert_views_match_live(db)
    [now_old] = rows(db, "SELECT * FROM delivery_rate_daily WHERE day = %s", day(two_days_ago))
    assert now_old["final"] == 2

    marks = await run_rollups(database_url)

    assert marks is not None
    assert dirty(db) == (0, 0)
    assert_rolled_up_to(db, marks)
    assert_views_match_live(db)
    latency = {r["day"]: r["delivered"] for r in rolled(db, "delivery_latency_daily")}
    assert latency[day(three_days_ago)] == 2


async def test_a_first_run_over_a_long_history_goes_in_steps(
    db: psycopg.Connection[Any], database_url: str
) -> None:
    now = datetime.now(UTC)
    span = max(r.step for r in ROLLUPS) * 2 + timedelta(days=3)
    days = set()
    for n in range(1, span.days):
        at = now - timedelta(days=n, hours=n % 5)
        await store(database_url, at, Status.DELIVERED, f"d{n}", at - timedelta(minutes=n))
        days.add(day(at - timedelta(minutes=n)))

    marks = await run_rollups(database_url)

    assert marks is not None
    assert_rolled_up_to(db, marks)
    assert len(rolled(db, "delivery_stats_hourly")) == span.days - 1
    # Shortly after midnight UTC some of those hours fall on the same day.
    assert len(rolled(db, "delivery_rate_daily")) == len(days)
    assert_views_match_live(db)


async def test_a_running_transaction_holds_the_horizon_back(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows it writes may land in the bucket current when it began, unlogged."""
    monkeypatch.setattr(rollups, "STARTING_MARGIN", 0.0)
    async with (
        await psycopg.AsyncConnection.connect(database_url) as other,
        await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn,
    ):
        cur = await other.execute("SELECT now()")  # opens the transaction
        row = await cur.fetchone()
        assert row is not None
        await asyncio.sleep(0.05)
        assert await horizon(conn) == row[0]
        await other.rollback()
        later = await horizon(conn)
        assert later is not None and later > row[0]


async def test_sessions_hidden_from_the_role_stop_the_watermark(
    db: psycopg.Connection[Any], database_url: str
) -> None:
    """A role that cannot see other roles' activity cannot tell whether they are writing."""
    await a_few_days_of_callbacks(database_url, datetime.now(UTC))
    db.execute("DROP ROLE IF EXISTS rollup_probe")
    db.execute("CREATE ROLE rollup_probe LOGIN")
    db.execute("GRANT ALL ON ALL TABLES IN SCHEMA public TO rollup_probe")
    probe_url = sibling_url(database_url, user="rollup_probe")
    try:
        async with await psycopg.AsyncConnection.connect(probe_url, autocommit=True) as probe:
            assert await horizon(probe) is None  # the db fixture's session is another role's
            assert await roll_up(probe) == dict.fromkeys(
                ("event_hours", "message_days", "inbound_days"), None
            )
        assert rows(db, "SELECT * FROM rollup_watermarks") == []
        assert_views_match_live(db)
        db.execute("GRANT pg_read_all_stats TO rollup_probe")
        async with await psycopg.AsyncConnection.connect(probe_url, autocommit=True) as probe:
            assert await horizon(probe) is not None
            marks = await roll_up(probe)
        assert marks is not None and None not in marks.values()
    finally:
        db.execute("REASSIGN OWNED BY rollup_probe TO postgres")
        db.execute("DROP OWNED BY rollup_probe")
        db.execute("DROP ROLE rollup_probe")


async def test_rebuild_recomputes_rows_changed_behind_the_receivers_back(
    db: psycopg.Connection[Any], database_url: str
) -> None:
    await a_few_days_of_callbacks(database_url, datetime.now(UTC))
    await run_rollups(database_url)
    # A retention purge deletes rows without logging anything.
    db.execute("DELETE FROM delivery_events WHERE status = 'sent'")
    stale = rows(db, "SELECT sum(sent) AS sent FROM delivery_stats_hourly")[0]["sent"]
    assert stale > 0  # the rolled-up hours still count them

    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        marks = await rollups.rebuild(conn)

    assert marks is not None
    assert rows(db, "SELECT sum(sent) AS sent FROM delivery_stats_hourly")[0]["sent"] == 0
    assert_views_match_live(db)


async def test_a_provider_clock_in_1970_logs_a_bounded_number_of_days(
    db: psycopg.Connection[Any], database_url: str
) -> None:
    now = datetime.now(UTC)
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    await store(database_url, now, Status.UNDELIVERED, "clock", epoch)
    await store(database_url, now, Status.DELIVERED, "clock", now - timedelta(days=2))
    assert 2 <= dirty(db)[1] <= 2 * 34  # not the 20,000 days since 1970
    assert_views_match_live(db)
    marks = await run_rollups(database_url)
    assert marks is not None
    assert_rolled_up_to(db, marks)


async def test_one_run_at_a_time(db: psycopg.Connection[Any], database_url: str) -> None:
    await a_few_days_of_callbacks(database_url, datetime.now(UTC))
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as first:
        await first.execute("SELECT pg_advisory_lock(x'5EC7011'::int)")
        assert await run_rollups(database_url) is None
        assert rolled(db, "delivery_stats_hourly") == []
        await first.execute("SELECT pg_advisory_unlock(x'5EC7011'::int)")
    assert await run_rollups(database_url) is not None


async def opt_out(
    database_url: str, received_at: datetime, sender: str, is_opt_out: bool = True
) -> Accepted:
    raw = RawCallback(
        new_callback_id(received_at.timestamp()),
        received_at,
        "cdyne",
        "POST",
        "",
        {},
        None,
        sender.encode(),
    )
    text = "STOP" if is_opt_out else "thanks"
    stop = InboundMessage(sender=sender, recipient="1", text=text, is_opt_out=is_opt_out)
    item = Accepted(raw, Normalized(inbound=(stop,)), None)
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        await write_batch(conn, [item])
    return item


def assert_opt_outs_match_live(db: psycopg.Connection[Any]) -> list[dict[str, Any]]:
    got = rows(db, "SELECT * FROM opt_outs_daily ORDER BY provider, day")
    assert got == rows(db, "SELECT * FROM opt_outs_daily_live ORDER BY provider, day")
    return got


async def test_opt_outs_daily_is_rolled_up_and_late_changes_are_seen_at_once(
    db: psycopg.Connection[Any], database_url: str
) -> None:
    now = datetime.now(UTC)
    for days_ago in (3, 2, 0):
        await opt_out(database_url, now - timedelta(days=days_ago), f"4477009000{days_ago}")
    marks = await run_rollups(database_url)
    assert marks is not None and marks["inbound_days"] == day(now)
    stored = rows(db, "SELECT * FROM opt_outs_daily_rollup ORDER BY day")
    assert [r["day"] for r in stored] == [day(now - timedelta(days=d)) for d in (3, 2)]
    before = assert_opt_outs_match_live(db)

    # A reply acknowledged two days ago, projected only now: the view counts it at once.
    late = await opt_out(database_url, now - timedelta(days=2), "447700900099")
    assert rows(db, "SELECT day FROM rollup_dirty_inbound_days") == [
        {"day": day(now - timedelta(days=2))}
    ]
    after = assert_opt_outs_match_live(db)
    assert [r["opt_outs"] for r in after] == [1, 2, 1] != [r["opt_outs"] for r in before]
    await run_rollups(database_url)
    assert rows(db, "SELECT * FROM rollup_dirty_inbound_days") == []
    assert assert_opt_outs_match_live(db) == after

    # Removed again (what a reparse does when a callback no longer reads as an opt-out).
    db.execute("DELETE FROM inbound_messages WHERE callback_id = %s", (late.raw.id,))
    assert assert_opt_outs_match_live(db) == before
    await run_rollups(database_url)
    assert assert_opt_outs_match_live(db) == before
    # A late reply that is no opt-out logs nothing; neither does an opt-out received today.
    db.execute("DELETE FROM rollup_dirty_inbound_days")
    await opt_out(database_url, now - timedelta(days=3), "447700900097", is_opt_out=False)
    await opt_out(database_url, now, "447700900098")
    assert rows(db, "SELECT * FROM rollup_dirty_inbound_days") == []
    assert assert_opt_outs_match_live(db)[-1]["opt_outs"] == 2


@pytest.mark.parametrize("view", [*VIEWS, "opt_outs_daily"])
def test_a_time_filter_reaches_every_part_of_the_view(
    db: psycopg.Connection[Any], view: str
) -> None:
    bucket = VIEWS.get(view, "day")
    plan = "\n".join(
        str(r[0])
        for r in db.execute(
            f"EXPLAIN SELECT * FROM {view} WHERE {bucket} >= now() - interval '7 days'".encode()
        )
    )
    assert f"{view}_rollup_key" in plan, plan
    assert plan.count("Index") >= 3, plan


async def test_the_rollup_command(db: psycopg.Connection[Any], database_url: str) -> None:
    await a_few_days_of_callbacks(database_url, datetime.now(UTC))
    result = run_cli("rollup", env=receiver_env(DATABASE_URL=database_url), cwd=Path.cwd())
    assert result.returncode == 0, result.stderr
    marks = {r["rollup"]: r["rolled_until"] for r in rows(db, "SELECT * FROM rollup_watermarks")}
    assert set(marks) == {"event_hours", "message_days", "inbound_days"}
    assert f"event_hours: rolled up until {marks['event_hours'].isoformat()}" in result.stdout
    assert_rolled_up_to(db, marks)


async def test_a_running_receiver_rolls_up_on_its_own(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path
) -> None:
    await a_few_days_of_callbacks(database_url, datetime.now(UTC))
    app = create_app(make_settings(database_url, tmp_path / "spool", rollup_interval=0.1))
    with TestClient(app):
        marks = "SELECT * FROM rollup_watermarks"
        wait_for(lambda: len(rows(db, marks)) == len(ROLLUPS), timeout=10)
    assert dirty(db) == (0, 0)
    assert_views_match_live(db)


def test_migration_5_can_be_rerun(db: psycopg.Connection[Any]) -> None:
    # Migration 10 redefines the views migration 5 made: run again after it, as in an upgrade.
    sql = "\n".join(m.sql for m in migrations() if m.version in (5, 10))
    state = (
        "SELECT c.relname, c.relkind, obj_description(c.oid, 'pg_class') AS comment,"
        " CASE WHEN c.relkind = 'v' THEN pg_get_viewdef(c.oid) END AS definition,"
        " (SELECT array_agg(col_description(c.oid, a.attnum) ORDER BY a.attnum)"
        "  FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0) AS columns"
        " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = 'public' ORDER BY c.relname"
    )
    before = rows(db, state)
    with db.transaction():
        db.execute(sql.encode())
        after = rows(db, state)
        raise psycopg.Rollback
    assert after == before
    names = {r["relname"] for r in before}
    assert {f"{view}{suffix}" for view in VIEWS for suffix in ("", "_live", "_rollup")} <= names


def test_migration_5_keeps_the_grants_of_the_views_it_replaces(pg_server_url: str) -> None:
    """A dashboard role granted the views before the upgrade can still read them after it."""
    with psycopg.connect(pg_server_url, autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS receiver_upgrade")
        admin.execute("CREATE DATABASE receiver_upgrade")
        admin.execute("DROP ROLE IF EXISTS dashboard_probe")
        admin.execute("CREATE ROLE dashboard_probe LOGIN")
    url = sibling_url(pg_server_url, "receiver_upgrade")
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            for migration in migrations():
                if migration.version == 5:
                    conn.execute("GRANT SELECT ON delivery_stats_hourly TO dashboard_probe")
                    conn.execute("GRANT SELECT ON delivery_latency_daily TO PUBLIC")
                with conn.transaction():
                    conn.execute(migration.sql.encode())
        probe_url = sibling_url(url, user="dashboard_probe")
        with psycopg.connect(probe_url, autocommit=True) as probe:
            assert probe.execute("SELECT count(*) FROM delivery_stats_hourly").fetchone() == (0,)
            assert probe.execute("SELECT count(*) FROM delivery_latency_daily").fetchone() == (0,)
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                probe.execute("SELECT count(*) FROM delivery_rate_daily")
    finally:
        with psycopg.connect(pg_server_url, autocommit=True) as admin:
            admin.execute("DROP DATABASE receiver_upgrade")
            admin.execute("DROP ROLE dashboard_probe")
