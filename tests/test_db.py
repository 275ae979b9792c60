"""The schema as dashboards see it: documented columns and the contract's views."""

from __future__ import annotations

from typing import Any

import psycopg

from receiver.db import apply_migrations, migrations, schema_text
from tests.conftest import rows

CONTRACT_COLUMNS = {
    "callbacks": {
        "id",
        "received_at",
        "provider",
        "method",
        "query",
        "headers",
        "content_type",
        "body",
        "parse_error",
    },
    "delivery_events": {
        "id",
        "callback_id",
        "provider",
        "message_id",
        "client_ref",
        "recipient",
        "status",
        "provider_status",
        "error_code",
        "error_detail",
        "occurred_at",
        "received_at",
    },
    "messages": {
        "provider",
        "message_id",
        "client_ref",
        "recipient",
        "status",
        "provider_status",
        "error_code",
        "first_event_at",
        "last_event_at",
        "delivered_at",
        "final_at",
        "event_count",
    },
    "inbound_messages": {
        "id",
        "callback_id",
        "provider",
        "sender",
        "recipient",
        "text",
        "is_opt_out",
    },
}


def test_contract_columns_exist_and_every_column_is_commented(db: psycopg.Connection[Any]) -> None:
    for table, required in CONTRACT_COLUMNS.items():
        found = rows(
            db,
            "SELECT a.attname AS name, col_description(a.attrelid, a.attnum) AS comment"
            " FROM pg_attribute a WHERE a.attrelid = %s::regclass AND a.attnum > 0"
            " AND NOT a.attisdropped",
            table,
        )
        names = {row["name"] for row in found}
        assert required <= names, f"{table} lacks {required - names}"
        undocumented = [row["name"] for row in found if not row["comment"]]
        assert undocumented == [], f"{table} columns without a comment: {undocumented}"


def test_migrations_are_versioned_and_rerunning_applies_nothing(database_url: str) -> None:
    versions = [version for version, _ in migrations(schema_text())]
    assert versions == sorted(versions) and versions[0] == 1
    assert apply_migrations(database_url) == []


def test_dashboard_views_answer(db: psycopg.Connection[Any]) -> None:
    db.execute(
        "INSERT INTO callbacks (id, received_at, provider, method) VALUES"
        " ('00000000-0000-7000-8000-000000000001', '2026-01-01 10:15Z', 'smpp', 'POST')"
    )
    for n, status in enumerate(["delivered", "delivered", "undelivered", "sent"]):
        db.execute(
            "INSERT INTO delivery_events (callback_id, provider, message_key, status,"
            " received_at, dedup_key) VALUES ('00000000-0000-7000-8000-000000000001', 'smpp',"
            " %s, %s, '2026-01-01 10:20Z', %s)",
            (f"id:{n}", status, bytes([n]) * 16),
        )
    [hour] = rows(db, "SELECT * FROM delivery_stats_hourly")
    assert (hour["events"], hour["delivered"], hour["undelivered"], hour["sent"]) == (4, 2, 1, 1)
    assert float(hour["delivery_rate"]) == round(2 / 3, 4)

    db.execute(
        "INSERT INTO messages (provider, message_key, status, status_rank, status_at,"
        " first_event_at, last_event_at, last_received_at, event_count) VALUES"
        " ('smpp', 'id:old', 'sent', 2, now(), now(), now(), now() - interval '3 hours', 1),"
        " ('smpp', 'id:new', 'sent', 2, now(), now(), now(), now(), 1),"
        " ('smpp', 'id:done', 'delivered', 4, now(), now(), now(), now() - interval '3 days', 1)"
    )
    assert [r["message_key"] for r in rows(db, "SELECT message_key FROM stale_messages")] == []
    db.execute("SET receiver.stale_after = '2 hours'")
    stale = rows(db, "SELECT message_key FROM stale_messages")
    assert [r["message_key"] for r in stale] == ["id:old"]
