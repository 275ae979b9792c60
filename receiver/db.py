"""Connecting to Postgres, and migrating its schema.

The schema's history is `receiver/migrations/NNNN_name.sql`, one file per migration, applied in
order, each once, in its own transaction, recorded in `receiver_migrations`. `schema.sql` at
the repository root is the schema they produce, as `pg_dump --schema-only` prints it: the
reference for dashboard authors, held equal to the migrations by a test
(`python -m receiver.db > schema.sql` rewrites it).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool

__all__ = [
    "SCHEMA_HEADER",
    "Migration",
    "apply_migrations",
    "dump_schema",
    "migrations",
    "open_pool",
]

_MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_MIGRATION_FILE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
# Serializes migrations when several workers or hosts start at once.
_MIGRATION_LOCK = 0x5EC_E1FE


SCHEMA_HEADER = """\
-- receiver: the Postgres schema, as the migrations in receiver/migrations/ leave it.
--
-- Dashboards read these tables and views directly: names and columns are stable (columns may
-- be added; none are renamed or removed). Generated: `python -m receiver.db > schema.sql`.
-- A test holds this file equal to the migrations applied in order.

"""


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """Every migration, in order. Numbers are contiguous from 1, so a missing file is an error
    here rather than a silently skipped step."""
    found = []
    for path in sorted(_MIGRATIONS_DIR.iterdir()):
        match = _MIGRATION_FILE.match(path.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), path.read_text()))
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations in {_MIGRATIONS_DIR} are not numbered 1..{len(found)}")
    return found


def apply_migrations(
    database_url: str,
    on_step: Callable[[Migration], None] | None = None,
    *,
    partition_months: int = 1,
    partitions_ahead: int = 3,
) -> list[int]:
    """Apply the migrations not yet recorded; returns the versions applied now. `on_step` is
    told of each migration once it is applied or found applied already (for progress).

    Then the time partitions from this month to `partitions_ahead` months ahead are created if
    missing, `partition_months` long (RECEIVER_PARTITION_MONTHS and RECEIVER_PARTITIONS_AHEAD,
    as the rollup task uses them)."""
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
            for migration in migrations():
                if migration.version in done:
                    if on_step is not None:
                        on_step(migration)
                    continue
                with conn.transaction():
                    conn.execute(migration.sql.encode())
                    conn.execute(
                        "INSERT INTO receiver_migrations (version) VALUES (%s)",
                        (migration.version,),
                    )
                applied.append(migration.version)
                if on_step is not None:
                    on_step(migration)
            # The current month's partitions and a few ahead, so a first start can take callbacks
            # (the rollup task keeps them ahead afterwards, with the same settings).
            if to_regprocedure(conn, "receiver_add_partition(regclass,date,date)"):
                from receiver.projection.partitions import ensure_partitions

                ensure_partitions(conn, months=partition_months, ahead=partitions_ahead)
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (_MIGRATION_LOCK,))
    return applied


def to_regprocedure(conn: psycopg.Connection[Any], signature: str) -> bool:
    row = conn.execute("SELECT to_regprocedure(%s) IS NOT NULL", (signature,)).fetchone()
    return bool(row and row[0])


def dump_schema(database_url: str, pg_dump: str = "pg_dump") -> str:
    """The schema of `database_url` as `pg_dump --schema-only` prints it, minus the lines that
    vary from one run or server to another (the dump's version banner, restrict keys)."""
    out = subprocess.run(
        [
            pg_dump,
            "--schema-only",
            "--no-owner",
            "--no-privileges",
            # The time partitions depend on the date; schema.sql holds their parents.
            "--exclude-table=*_y????m??",
            "--dbname",
            database_url,
        ],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PGCONNECT_TIMEOUT": "10"},
    ).stdout
    kept = [
        line
        for line in out.splitlines()
        if not line.startswith(("-- Dumped from", "-- Dumped by", "\\restrict", "\\unrestrict"))
    ]
    return "\n".join(kept).strip() + "\n"


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


if __name__ == "__main__":
    # Print the schema the migrations produce, for schema.sql: a fresh embedded Postgres,
    # migrated, dumped with its own pg_dump.
    import tempfile

    from receiver.embedded import client_program, start_embedded

    with tempfile.TemporaryDirectory() as scratch:
        url = start_embedded(Path(scratch))
        apply_migrations(url)
        sys.stdout.write(SCHEMA_HEADER + dump_schema(url, client_program("pg_dump")))
