"""The dashboard views of migration 3 against small data sets with hand-computed answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest

from receiver.db import migrations
from tests.conftest import rows

CALLBACK = "019b8000-0000-7000-8000-000000000001"  # January 2026
RANKS = {"queued": 1, "sent": 2, "unknown": 3}
NEW_VIEWS = ("delivery_rate_daily", "top_error_codes", "delivery_latency_daily", "opt_outs_daily")


def message(
    conn: psycopg.Connection[Any],
    key: str,
    status: str,
    *,
    provider: str = "p1",
    final_at: str | None = None,
    delivered_at: str | None = None,
    first_event_at: str | None = None,
    error_code: str | None = None,
) -> None:
    """One messages row; times are SQL expressions (literals or now()-based)."""
    first = first_event_at or final_at or "now()"
    conn.execute(
        "INSERT INTO messages (provider, message_key, status, status_rank, status_at, error_code,"
        " first_event_at, last_event_at, last_received_at, delivered_at, final_at, event_count)"
        f" VALUES (%s, %s, %s, %s, {first}, %s, {first}, {first}, {first},"
        f" {delivered_at or 'NULL'}, {final_at or 'NULL'}, 1)".encode(),
        (provider, key, status, RANKS.get(status, 4), error_code),
    )


def add_callback(conn: psycopg.Connection[Any]) -> None:
    conn.execute(
        "INSERT INTO callbacks (id, received_at, provider, method)"
        " VALUES (%s, now(), 'p1', 'POST')",
        (CALLBACK,),
    )


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_delivery_rate_daily_counts_messages_by_utc_day_of_final_at(
    db: psycopg.Connection[Any],
) -> None:
    day1 = "'2026-01-01 10:00Z'"
    for n, status in enumerate(["delivered"] * 3 + ["undelivered", "expired", "unknown"]):
        message(db, f"id:{n}", status, final_at=day1)
    message(db, "id:open", "sent")  # not final: not counted anywhere
    # 23:30 in New York on 1 January is 04:30 UTC on 2 January
    message(db, "id:late", "delivered", final_at="'2026-01-01 23:30-05'")
    message(db, "id:r", "rejected", provider="p2", final_at=day1)
    db.execute("SET TimeZone = 'America/New_York'")

    got = rows(db, "SELECT * FROM delivery_rate_daily ORDER BY provider, day")
    summary = [
        (r["provider"], r["day"], r["final"], r["delivered"], r["failed"], r["unknown"])
        for r in got
    ]
    assert summary == [
        ("p1", utc("2026-01-01"), 6, 3, 2, 1),
        ("p1", utc("2026-01-02"), 1, 1, 0, 0),
        ("p2", utc("2026-01-01"), 1, 0, 1, 0),
    ]
    p1 = got[0]
    assert (p1["undelivered"], p1["expired"], p1["rejected"]) == (1, 1, 0)
    assert float(p1["delivery_rate"]) == 0.5
    assert float(p1["failure_rate"]) == 0.3333
    assert [float(r["delivery_rate"]) for r in got[1:]] == [1.0, 0.0]
    assert float(got[2]["failure_rate"]) == 1.0

    since = rows(db, "SELECT day FROM delivery_rate_daily WHERE day >= '2026-01-02Z'")
    assert [r["day"] for r in since] == [utc("2026-01-02")]


def test_top_error_codes_over_the_error_window(db: psycopg.Connection[Any]) -> None:
    now = rows(db, "SELECT now() AS t")[0]["t"]

    def ago(span: str) -> str:
        return f"'{now.isoformat()}'::timestamptz - interval '{span}'"

    recent = ago("1 day")
    message(db, "id:1", "undelivered", final_at=recent, error_code="30")
    message(db, "id:2", "undelivered", final_at=recent, error_code="30")
    message(db, "id:3", "expired", final_at=ago("2 days"), error_code="30")
    message(db, "id:4", "rejected", final_at=recent, error_code="34")
    message(db, "id:old", "undelivered", final_at=ago("10 days"), error_code="30")
    message(db, "id:ok", "delivered", final_at=recent, error_code="0")  # not a failure
    message(db, "id:open", "sent", error_code="99")  # not final
    message(db, "id:5", "undelivered", provider="p2", final_at=recent)
    message(db, "id:6", "rejected", provider="p2", final_at=recent)

    def top() -> list[tuple[Any, ...]]:
        found = rows(db, "SELECT * FROM top_error_codes ORDER BY provider, failed DESC")
        return [
            (
                r["provider"],
                r["error_code"],
                r["failed"],
                float(r["share"]),
                r["undelivered"],
                r["expired"],
                r["rejected"],
            )
            for r in found
        ]

    # default window: 7 days
    assert top() == [
        ("p1", "30", 3, 0.75, 2, 1, 0),
        ("p1", "34", 1, 0.25, 0, 0, 1),
        ("p2", None, 2, 1.0, 1, 0, 1),
    ]
    [p1_30] = rows(db, "SELECT * FROM top_error_codes WHERE error_code = '30'")
    assert (p1_30["first_seen"], p1_30["last_seen"]) == (
        now - timedelta(days=2),
        now - timedelta(days=1),
    )

    db.execute("SET receiver.error_window = '30 days'")
    assert top()[:2] == [("p1", "30", 4, 0.8, 3, 1, 0), ("p1", "34", 1, 0.2, 0, 0, 1)]
    db.execute("SET receiver.error_window = '36 hours'")
    assert [(p, code, n) for p, code, n, *_ in top()] == [
        ("p1", "30", 2),
        ("p1", "34", 1),
        ("p2", None, 2),
    ]


def test_delivery_latency_daily_percentiles(db: psycopg.Connection[Any]) -> None:
    for n, seconds in enumerate([10, 20, 30, 40]):
        message(
            db,
            f"id:{n}",
            "delivered",
            first_event_at="'2026-01-01 10:00Z'",
            delivered_at=f"'2026-01-01 10:00Z'::timestamptz + interval '{seconds} seconds'",
            final_at=f"'2026-01-01 10:00Z'::timestamptz + interval '{seconds} seconds'",
        )
    # delivered, then a later final report replaced the status: still a delivery that day
    message(
        db,
        "id:flip",
        "undelivered",
        first_event_at="'2026-01-02 08:00Z'",
        delivered_at="'2026-01-02 08:01Z'",
        final_at="'2026-01-02 08:01Z'",
    )
    message(db, "id:never", "expired", final_at="'2026-01-01 12:00Z'")  # no delivered_at
    message(
        db,
        "id:p2",
        "delivered",
        provider="p2",
        first_event_at="'2026-01-01 10:00Z'",
        delivered_at="'2026-01-01 10:00Z'",
        final_at="'2026-01-01 10:00Z'",
    )

    got = rows(db, "SELECT * FROM delivery_latency_daily ORDER BY provider, day")
    assert [(r["provider"], r["day"], r["delivered"]) for r in got] == [
        ("p1", utc("2026-01-01"), 4),
        ("p1", utc("2026-01-02"), 1),
        ("p2", utc("2026-01-01"), 1),
    ]
    # percentile_cont over 10, 20, 30, 40: 0.5 -> 25; 0.95 -> 30 + 0.85 * 10
    assert got[0]["p50_seconds"] == pytest.approx(25.0)
    assert got[0]["p95_seconds"] == pytest.approx(38.5)
    assert (got[1]["p50_seconds"], got[1]["p95_seconds"]) == (60.0, 60.0)
    assert (got[2]["p50_seconds"], got[2]["p95_seconds"]) == (0.0, 0.0)


def test_opt_outs_daily(db: psycopg.Connection[Any]) -> None:
    add_callback(db)
    inbound = [
        ("p1", "447700900001", True, "2026-01-01 08:00Z"),
        ("p1", "447700900001", True, "2026-01-01 09:00Z"),
        ("p1", "447700900002", True, "2026-01-01 23:59Z"),
        ("p1", "447700900003", False, "2026-01-01 10:00Z"),  # a reply, not an opt-out
        ("p1", "447700900003", True, "2026-01-02 00:00Z"),
        ("p2", "447700900001", True, "2026-01-01 12:00Z"),
    ]
    for n, (provider, sender, opt_out, received_at) in enumerate(inbound):
        db.execute(
            "INSERT INTO inbound_messages (callback_id, provider, sender, received_at, is_opt_out,"
            " dedup_key, received_month) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (CALLBACK, provider, sender, received_at, opt_out, bytes([n]) * 16, "2026-01-01"),
        )
    got = rows(db, "SELECT * FROM opt_outs_daily ORDER BY provider, day")
    assert [(r["provider"], r["day"], r["opt_outs"], r["senders"]) for r in got] == [
        ("p1", utc("2026-01-01"), 3, 2),
        ("p1", utc("2026-01-02"), 1, 1),
        ("p2", utc("2026-01-01"), 1, 1),
    ]


def test_delivery_stats_hourly_buckets_by_utc_hour(db: psycopg.Connection[Any]) -> None:
    add_callback(db)
    for n, received_at in enumerate(
        ["2026-01-01 10:20Z", "2026-01-01 10:50Z", "2026-01-01 11:05Z"]
    ):
        db.execute(
            "INSERT INTO delivery_events (callback_id, provider, message_key, status, received_at,"
            " dedup_key, received_month) VALUES (%s, 'p1', %s, 'delivered', %s, %s, '2026-01-01')",
            (CALLBACK, f"id:{n}", received_at, bytes([n]) * 16),
        )
    # A zone half an hour off UTC: local hours would split 10:20 and 10:50 apart.
    db.execute("SET TimeZone = 'Asia/Kolkata'")
    got = rows(db, "SELECT hour, events FROM delivery_stats_hourly ORDER BY hour")
    assert [(r["hour"], r["events"]) for r in got] == [
        (utc("2026-01-01 10:00"), 2),
        (utc("2026-01-01 11:00"), 1),
    ]


@pytest.mark.parametrize(
    ("query", "index"),
    [
        (
            "SELECT * FROM delivery_stats_hourly WHERE hour >= now() - interval '24 hours'",
            "delivery_events_hour_idx",
        ),
        (
            "SELECT * FROM delivery_rate_daily WHERE day >= now() - interval '7 days'",
            "messages_final_day_idx",
        ),
        (
            "SELECT * FROM delivery_latency_daily"
            " WHERE day BETWEEN '2026-01-01Z' AND '2026-01-31Z'",
            "messages_delivered_day_idx",
        ),
        (
            "SELECT * FROM opt_outs_daily WHERE day >= now() - interval '30 days'",
            "inbound_messages_opt_out_day_idx",
        ),
        ("SELECT * FROM top_error_codes", "messages_failed_idx"),
        ("SELECT count(*) FROM stale_messages", "messages_open_idx"),
    ],
)
def test_a_dashboard_time_filter_is_answered_from_an_index(
    db: psycopg.Connection[Any], query: str, index: str
) -> None:
    """With sequential scans priced out, the plan uses the view's index: the time filter (or
    the view's own WHERE) matches it, so it is pushed below the GROUP BY into the index scan."""
    # On an empty table the choice between indexes follows whatever statistics earlier
    # tests' rows left behind: plan as on a table never analyzed, as the view was designed.
    parents = "'{messages,delivery_events,inbound_messages}'::regclass[]"
    # The time-partitioned tables' partitions too, and their copies of the index.
    tables = (
        f"ARRAY(SELECT oid FROM pg_class WHERE oid = ANY({parents}) OR oid IN"
        f" (SELECT inhrelid FROM pg_inherits WHERE inhparent = ANY({parents})))"
    )
    db.execute(f"DELETE FROM pg_statistic WHERE starelid = ANY({tables})".encode())
    db.execute(
        f"UPDATE pg_class SET reltuples = -1, relpages = 0 WHERE oid = ANY({tables})".encode()
    )
    db.execute("SET enable_seqscan = off")
    plan = "\n".join(str(r[0]) for r in db.execute(f"EXPLAIN {query}".encode()))
    copies = db.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
        " WHERE i.inhparent = %s::regclass",
        (index,),
    ).fetchall()
    assert any(name in plan for name in [index, *(r[0] for r in copies)]), plan
    assert "Seq Scan" not in plan, plan


def test_every_dashboard_view_and_column_is_documented(db: psycopg.Connection[Any]) -> None:
    views = (*NEW_VIEWS, "delivery_stats_hourly", "stale_messages")
    for view in views:
        found = rows(
            db,
            "SELECT obj_description(%s::regclass, 'pg_class') AS comment,"
            " array_agg(a.attname::text ORDER BY a.attnum)"
            " FILTER (WHERE col_description(a.attrelid, a.attnum) IS NULL) AS undocumented,"
            " count(*) AS columns"
            " FROM pg_attribute a WHERE a.attrelid = %s::regclass AND a.attnum > 0"
            " AND NOT a.attisdropped",
            view,
            view,
        )
        assert found[0]["comment"], f"{view} has no comment"
        assert found[0]["columns"] >= 4, view
        assert found[0]["undocumented"] is None, f"{view}: {found[0]['undocumented']}"


def test_delivery_stats_hourly_keeps_its_columns(db: psycopg.Connection[Any]) -> None:
    found = rows(
        db,
        "SELECT column_name, data_type FROM information_schema.columns"
        " WHERE table_name = 'delivery_stats_hourly' ORDER BY ordinal_position",
    )
    assert [(r["column_name"], r["data_type"]) for r in found] == [
        ("provider", "text"),
        ("hour", "timestamp with time zone"),
        *((name, "bigint") for name in ("events", "queued", "sent", "delivered")),
        *((name, "bigint") for name in ("undelivered", "expired", "rejected", "unknown")),
        ("delivery_rate", "numeric"),
    ]


def test_migration_3_can_be_rerun(db: psycopg.Connection[Any]) -> None:
    [sql] = [m.sql for m in migrations() if m.version == 3]
    before = rows(db, "SELECT indexname, indexdef FROM pg_indexes ORDER BY indexname")
    with db.transaction():
        db.execute(sql.encode())
        after = rows(db, "SELECT indexname, indexdef FROM pg_indexes ORDER BY indexname")
        raise psycopg.Rollback  # its views are replaced by migration 5's: keep those
    assert after == before
    assert {r["indexname"] for r in before} >= {
        "delivery_events_hour_idx",
        "messages_open_idx",
        "messages_final_day_idx",
        "messages_failed_idx",
        "messages_delivered_day_idx",
        "inbound_messages_opt_out_day_idx",
    }
