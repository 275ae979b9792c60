"""The schema as dashboards see it: documented columns, the contract's views, schema.sql."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import psycopg

from receiver.db import SCHEMA_HEADER, apply_migrations, dump_schema, migrations
from receiver.embedded import client_program
from tests.conftest import EXTERNAL_URL, embedded_only, rows, sibling_url

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
    versions = [m.version for m in migrations()]
    assert versions == list(range(1, len(versions) + 1))
    assert apply_migrations(database_url) == []


def test_dashboard_views_answer(db: psycopg.Connection[Any]) -> None:
    db.execute(
        "INSERT INTO callbacks (id, received_at, provider, method) VALUES"
        " ('019b8000-0000-7000-8000-000000000001', '2026-01-01 10:15Z', 'smpp', 'POST')"
    )
    for n, status in enumerate(["delivered", "delivered", "undelivered", "sent"]):
        db.execute(
            "INSERT INTO delivery_events (callback_id, provider, message_key, status,"
            " received_at, dedup_key, received_month) VALUES"
            " ('019b8000-0000-7000-8000-000000000001', 'smpp', %s, %s, '2026-01-01 10:20Z', %s,"
            " '2026-01-01')",
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


@embedded_only("schema.sql is the embedded Postgres 18's dump; other versions print it otherwise")
def test_schema_sql_is_what_the_migrations_produce(pg_server_url: str) -> None:
    """schema.sql is the reference for dashboard authors: it must not drift from the
    migrations. Regenerate it with `python -m receiver.db > schema.sql`."""
    with psycopg.connect(pg_server_url, autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS receiver_schema_check")
        admin.execute("CREATE DATABASE receiver_schema_check")
    url = sibling_url(pg_server_url, "receiver_schema_check")
    try:
        apply_migrations(url)
        dumped = SCHEMA_HEADER + dump_schema(url, client_program("pg_dump"))
    finally:
        with psycopg.connect(pg_server_url, autocommit=True) as admin:
            admin.execute("DROP DATABASE receiver_schema_check")
    expected = (Path(__file__).resolve().parent.parent / "schema.sql").read_text()
    assert dumped == expected, "schema.sql is stale: run `python -m receiver.db > schema.sql`"


def test_schema_sql_creates_the_same_schema(pg_server_url: str) -> None:
    """Loading schema.sql into an empty database gives the schema the migrations give."""
    with psycopg.connect(pg_server_url, autocommit=True) as admin:
        for name in ("receiver_schema_load", "receiver_schema_migrated"):
            admin.execute(f"DROP DATABASE IF EXISTS {name}".encode())
            admin.execute(f"CREATE DATABASE {name}".encode())
        found = admin.execute("SHOW server_version_num").fetchone()
    assert found is not None
    schema = (Path(__file__).resolve().parent.parent / "schema.sql").read_text()
    if int(found[0]) < 170000:
        # A setting pg_dump 18 turns off first; older servers have no such timeout.
        schema = schema.replace("SET transaction_timeout = 0;\n", "")
    url = sibling_url(pg_server_url, "receiver_schema_load")
    migrated_url = sibling_url(pg_server_url, "receiver_schema_migrated")
    try:
        loading = subprocess.run(
            [client_program("psql"), "--no-psqlrc", "-q", "-v", "ON_ERROR_STOP=1", url],
            input=schema,
            capture_output=True,
            text=True,
        )
        assert loading.returncode == 0, loading.stderr
        loaded = dump_schema(url, client_program("pg_dump"))
        apply_migrations(migrated_url)
        migrated = dump_schema(migrated_url, client_program("pg_dump"))
    finally:
        with psycopg.connect(pg_server_url, autocommit=True) as admin:
            admin.execute("DROP DATABASE receiver_schema_load")
            admin.execute("DROP DATABASE receiver_schema_migrated")
    assert loaded == migrated
    if EXTERNAL_URL is None:  # schema.sql is the embedded server's dump, byte for byte
        assert (
            SCHEMA_HEADER + loaded
            == (Path(__file__).resolve().parent.parent / "schema.sql").read_text()
        )
