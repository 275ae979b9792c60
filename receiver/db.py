"""Connecting to Postgres and applying schema.sql."""

from __future__ import annotations

import re
from pathlib import Path

import psycopg
from psycopg_pool import AsyncConnectionPool

__all__ = ["apply_migrations", "open_pool", "schema_text"]

_MIGRATION = re.compile(r"^-- migration: (\d+)\s*$", re.MULTILINE)
# Serializes migrations when several workers or hosts start at once.
_MIGRATION_LOCK = 0x5EC_E1FE


def schema_text() -> str:
    """schema.sql: packaged beside the code in a wheel, at the repository root otherwise."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "schema.sql", here.parent / "schema.sql"):
        if candidate.exists():
            return candidate.read_text()
    raise FileNotFoundError("schema.sql not found beside the receiver package")


def migrations(text: str) -> list[tuple[int, str]]:
    """The numbered migrations in schema.sql, in order."""
    marks = list(_MIGRATION.finditer(text))
    ends = [mark.start() for mark in marks[1:]] + [len(text)]
    return [
        (int(mark.group(1)), text[mark.end() : end]) for mark, end in zip(marks, ends, strict=True)
    ]


def apply_migrations(database_url: str) -> list[int]:
    """Apply the migrations not yet recorded; returns the versions applied now."""
    applied: list[int] = []
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(%s)", (_MIGRATION_LOCK,))
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS receiver_migrations ("
                " version integer PRIMARY KEY,"
                " applied_at timestamptz NOT NULL DEFAULT now())"
            )
            done = {row[0] for row in conn.execute("SELECT version FROM receiver_migrations")}
            for version, sql in migrations(schema_text()):
                if version in done:
                    continue
                with conn.transaction():
                    conn.execute(sql.encode())
                    conn.execute(
                        "INSERT INTO receiver_migrations (version) VALUES (%s)", (version,)
                    )
                applied.append(version)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_MIGRATION_LOCK,))
    return applied


def connection_options(deadline: float) -> dict[str, str | int]:
    """libpq settings that notice a database host gone silent within about `deadline` seconds.

    Without them a connection to a host that drops packets (rather than refusing them) waits
    on the kernel's retransmission timers, which take many minutes. `connect_timeout` bounds a
    new connection; TCP keepalives probe an idle one; `tcp_user_timeout` closes one whose sent
    data goes unacknowledged.
    """
    seconds = max(1, round(deadline))
    return {
        "connect_timeout": seconds,
        "keepalives": 1,
        "keepalives_idle": seconds,
        "keepalives_interval": 1,
        "keepalives_count": 3,
        "tcp_user_timeout": seconds * 1000 + 1000,
    }


def open_pool(
    database_url: str,
    size: int,
    *,
    deadline: float = 2.0,
    statement_timeout: float | None = None,
    name: str = "receiver",
) -> AsyncConnectionPool:
    """An unopened pool; the app opens it in its lifespan.

    `statement_timeout` (seconds) bounds every statement on the pool's connections: the read
    pool has one, so a slow dashboard query cannot hold a connection for long.
    """
    kwargs: dict[str, str | int | bool] = {
        "application_name": name,
        # Autocommit: a batch is one atomic statement, or opens its own transaction.
        "autocommit": True,
        **connection_options(deadline),
    }
    if statement_timeout is not None:
        kwargs["options"] = f"-c statement_timeout={round(statement_timeout * 1000)}"
    return AsyncConnectionPool(
        database_url,
        min_size=1,
        max_size=size,
        open=False,
        name=name,
        # Fail fast while Postgres is down: the writer spools instead of waiting.
        timeout=deadline,
        reconnect_timeout=0,
        kwargs=kwargs,
    )
