"""Dashboards and the read API on a hot standby: a streaming replica of Debian's postgresql-15.

bench/replica.py builds the pair: a primary, and a standby made with `pg_basebackup -R` on a
second port. The primary is filled through the receiver and rolled up; once the standby has
replayed it, what it answers must be what the primary answers.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from starlette.testclient import TestClient

from bench.replica import (
    API_TOKEN,
    PG_BIN,
    TOKEN,
    Pair,
    dashboard_views,
    prepare,
    receiver_settings,
    replica_pair,
    view_contents,
    wait_for_replay,
)
from receiver.app import create_app
from receiver.db import apply_migrations
from receiver.projection.rollups import RollupService, is_standby, rebuild, roll_up
from tests.conftest import make_settings, sibling_url
from tests.processes import receiver_env, run_cli

DASHBOARD_VIEWS = {
    "delivery_stats_hourly",
    "delivery_rate_daily",
    "top_error_codes",
    "delivery_latency_daily",
    "opt_outs_daily",
    "stale_messages",
}
AUTH = {"Authorization": f"Bearer {API_TOKEN}"}
RECEIPT = (
    "DeliveryReceipt=1&MessageID=elsewhere-1&ReferenceID=&FromPhoneNumber=74121"
    "&ToPhoneNumber=17572370002&DeliveryReceiptMessage=id:1 sub:001 dlvrd:001 submit"
    " date:2601011200 done date:2601011201 stat:DELIVRD err:000 text:&Code=000"
)


@pytest.fixture(scope="module")
def replica(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Pair, str, str]]:
    """(the pair, the receiver database on the primary, the same on the standby)."""
    if not (PG_BIN / "pg_basebackup").exists():
        reason = f"no Debian postgresql-15 at {PG_BIN} (apt-get install postgresql-15)"
        if os.environ.get("CI"):
            pytest.fail(reason)  # .ci/run installs it: missing there is a broken CI
        pytest.skip(reason)
    with replica_pair() as pair:
        # 20,000 events of history over 90 days, and callbacks posted now.
        primary, standby = prepare(pair, 20_000, 200, tmp_path_factory.mktemp("spool"))
        yield pair, primary, standby


def test_every_dashboard_view_reads_the_same_on_the_standby(
    replica: tuple[Pair, str, str],
) -> None:
    pair, primary, standby = replica
    wait_for_replay(pair.primary.url(), pair.standby.url())
    with psycopg.connect(standby, autocommit=True) as conn:
        assert conn.execute("SELECT pg_is_in_recovery()").fetchone() == (True,)
        names = dashboard_views(conn)
        # The rollup tables came over by replication, not by a run on the standby.
        rolled = conn.execute("SELECT count(*) FROM delivery_stats_hourly_rollup").fetchone()
        assert rolled is not None and rolled[0] > 0
    assert set(names) >= DASHBOARD_VIEWS
    as_of = datetime.now(UTC)
    on_primary = view_contents(primary, names, as_of)
    on_standby = view_contents(standby, names, as_of)
    for name in DASHBOARD_VIEWS:
        assert on_primary[name], f"{name} is empty: the comparison would prove nothing"
    for name in names:
        assert on_standby[name] == on_primary[name], name


def test_the_read_api_answers_from_the_standby(
    replica: tuple[Pair, str, str], tmp_path: Path
) -> None:
    pair, primary, standby = replica
    on_standby = create_app(receiver_settings(primary, tmp_path / "a", standby))
    on_primary = create_app(receiver_settings(primary, tmp_path / "b", None))
    with TestClient(on_standby) as client, TestClient(on_primary) as reference:
        assert client.portal.call(_in_recovery, on_standby.state.api_pool) is True
        # Everything else this app reads, and all it writes, is on the primary.
        assert client.portal.call(_in_recovery, on_standby.state.read_pool) is False
        body = (
            "DeliveryReceipt=1&MessageID=replica-late-1&ReferenceID=late&FromPhoneNumber=74121"
            "&ToPhoneNumber=17572370001&DeliveryReceiptMessage=id:1 sub:001 dlvrd:001 submit"
            " date:2601011200 done date:2601011201 stat:DELIVRD err:000 text:&Code=000"
        )
        form = {"content-type": "application/x-www-form-urlencoded"}
        assert client.post(f"/callbacks/cdyne/{TOKEN}", content=body, headers=form).is_success
        assert client.get("/readyz").json()["database"] == "up"
        wait_for_replay(pair.primary.url(), pair.standby.url())
        with psycopg.connect(primary, autocommit=True) as conn:
            found = conn.execute(
                "SELECT callback_id, message_id FROM delivery_events"
                " WHERE provider = 'cdyne' ORDER BY received_at DESC, id LIMIT 1"
            ).fetchone()
        assert found is not None
        callback_id, message_id = found
        assert message_id == "replica-late-1"
        paths = [
            "/api/messages?limit=50",
            "/api/messages?status=undelivered&limit=20",
            "/api/messages?client_ref=late",
            f"/api/messages/cdyne/{message_id}",
            f"/api/callbacks/{callback_id}",
            "/api/stats?since=2000-01-01T00:00:00Z",  # the default, 24 hours ago, is now()'s
        ]
        for path in paths:
            answer = client.get(path, headers=AUTH)
            expected = reference.get(path, headers=AUTH)
            assert answer.status_code == expected.status_code == 200, (path, answer.text)
            assert answer.json() == expected.json(), path
        [item] = client.get("/api/messages?client_ref=late", headers=AUTH).json()["items"]
        assert item["status"] == "delivered"
        # Cursor pagination walks the same pages on the standby.
        first = client.get("/api/messages?limit=7", headers=AUTH).json()
        page = client.get(f"/api/messages?limit=7&cursor={first['next_cursor']}", headers=AUTH)
        same = reference.get(f"/api/messages?limit=7&cursor={first['next_cursor']}", headers=AUTH)
        assert page.json() == same.json() and len(page.json()["items"]) == 7


async def _in_recovery(pool: Any) -> bool:
    async with pool.connection() as conn:
        cur = await conn.execute("SELECT pg_is_in_recovery()")
        row = await cur.fetchone()
        return bool(row[0])


def test_rollups_run_only_on_the_primary(replica: tuple[Pair, str, str], tmp_path: Path) -> None:
    _, primary, standby = replica

    async def on(url: str) -> tuple[bool, list[type[BaseException]]]:
        refused: list[type[BaseException]] = []
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
            for run in (roll_up, rebuild):
                try:
                    await run(conn)
                except psycopg.errors.ReadOnlySqlTransaction as exc:
                    refused.append(type(exc))
            return await is_standby(conn), refused

    assert asyncio.run(on(standby)) == (True, [psycopg.errors.ReadOnlySqlTransaction] * 2)
    assert asyncio.run(on(primary)) == (False, [])
    result = run_cli(
        "rollup",
        env=receiver_env(DATABASE_URL=standby, RECEIVER_CALLBACK_TOKENS=TOKEN),
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "rollups run on the primary; this server is a hot standby" in result.stderr


async def test_the_background_rollups_skip_a_standby(
    replica: tuple[Pair, str, str], caplog: pytest.LogCaptureFixture
) -> None:
    _, _, standby = replica
    caplog.set_level(logging.DEBUG, logger="receiver.projection.rollups")
    service = RollupService(standby, 0.05)
    await service.start()
    await asyncio.sleep(0.5)
    await service.stop()
    records = [r for r in caplog.records if r.name == "receiver.projection.rollups"]
    skipped = [r for r in records if "a hot standby" in r.getMessage()]
    assert skipped and all(r.levelno == logging.DEBUG for r in records)


def test_only_the_read_api_reads_from_the_read_database(
    db: psycopg.Connection[Any], database_url: str, pg_server_url: str, tmp_path: Path
) -> None:
    """On any server: with the read database another one, the API answers from it, while
    callbacks and /readyz use DATABASE_URL."""
    with psycopg.connect(pg_server_url, autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS receiver_read_elsewhere")
        admin.execute("CREATE DATABASE receiver_read_elsewhere")
    elsewhere = sibling_url(pg_server_url, "receiver_read_elsewhere")
    try:
        apply_migrations(elsewhere)
        settings = make_settings(
            database_url, tmp_path / "spool", read_database_url=elsewhere, api_token=API_TOKEN
        )
        with TestClient(create_app(settings)) as client:
            path = f"/callbacks/cdyne/{settings.callback_tokens[0]}"
            form = {"content-type": "application/x-www-form-urlencoded"}
            assert client.post(path, content=RECEIPT, headers=form).status_code == 200
            assert db.execute("SELECT count(*) FROM delivery_events").fetchone() == (1,)
            assert client.get("/readyz").json()["database"] == "up"
            assert client.get("/api/messages", headers=AUTH).json()["items"] == []
            message = "/api/messages/cdyne/elsewhere-1"
            assert client.get(message, headers=AUTH).status_code == 404
            # Once the read database has the rows (as a standby gets them, by replay): found.
            with psycopg.connect(elsewhere, autocommit=True) as target:
                for table in ("callbacks", "delivery_events", "messages"):
                    with (
                        # A partitioned table is copied out through a query.
                        db.cursor().copy(f"COPY (SELECT * FROM {table}) TO STDOUT".encode()) as out,
                        target.cursor().copy(f"COPY {table} FROM STDIN".encode()) as into,
                    ):
                        for chunk in out:
                            into.write(chunk)
            found = client.get(message, headers=AUTH)
            assert found.status_code == 200
            assert found.json()["status"] == "delivered"
    finally:
        with psycopg.connect(pg_server_url, autocommit=True) as admin:
            admin.execute("DROP DATABASE receiver_read_elsewhere WITH (FORCE)")
