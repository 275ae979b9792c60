"""Dashboards on a hot standby: a streaming physical replica beside its primary, on this machine.

    .venv/bin/python -m bench.replica [--rows 1000000] [--runs 5] [--keep] [--pg-bin DIR]

Builds a primary with Debian's postgresql-15, or the server in `--pg-bin` (`initdb`,
wal_level=replica, a replication role), and a standby of it on a second port (`pg_basebackup
-R`: standby.signal and primary_conninfo; hot_standby on). Migrates, loads `--rows` delivery
events of history (bench/views.py), posts callbacks through the receiver, runs the rollups on
the primary, and waits for the standby to replay all of it. Checks that every dashboard view
reads the same on both, then times each dashboard query (EXPLAIN ANALYZE, median of `--runs`)
on the primary and on the replica, and compares their plans.

tests/test_replica.py builds the same pair and checks the views and the read API on it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from starlette.testclient import TestClient

from bench import views
from receiver.app import create_app
from receiver.config import Settings
from receiver.db import apply_migrations
from receiver.projection.rollups import roll_up

__all__ = [
    "PG_BIN",
    "Cluster",
    "Pair",
    "dashboard_views",
    "fill_through_the_receiver",
    "replica_pair",
    "view_contents",
    "wait_for_replay",
]

#: Debian's postgresql-15 binaries.
PG_BIN = Path("/usr/lib/postgresql/15/bin")
DATABASE = "receiver"
REPLICATION_ROLE = "replicator"
TOKEN = "replica-token-0123456789abcdef"
API_TOKEN = "replica-api-token-0123456789"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _as_postgres(args: Sequence[str | Path]) -> list[str]:
    """initdb and postgres refuse to run as root: as root, run them as the postgres user."""
    command = [str(a) for a in args]
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _run(args: Sequence[str | Path]) -> None:
    """Run a server program as the postgres user; its stderr in the error if it fails."""
    done = subprocess.run(_as_postgres(args), capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{Path(args[0]).name} failed ({done.returncode}): {done.stderr}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@dataclass(frozen=True)
class Cluster:
    bin: Path
    data: Path
    port: int

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}"

    def pg_ctl(self, *args: str) -> None:
        log_file = self.data.parent / f"{self.data.name}.log"
        _run([self.bin / "pg_ctl", "-D", self.data, "-l", log_file, "-w", *args])

    def configure(self, settings: dict[str, str]) -> None:
        # Appended: a later line wins over a copied one (the standby's postgresql.conf).
        with (self.data / "postgresql.conf").open("a") as conf:
            for name, value in settings.items():
                conf.write(f"{name} = '{value}'\n")


@dataclass(frozen=True)
class Pair:
    primary: Cluster
    standby: Cluster


def _server_settings(root: Path, port: int) -> dict[str, str]:
    return {
        "port": str(port),
        "listen_addresses": "127.0.0.1",
        "unix_socket_directories": str(root),
        "wal_level": "replica",
        "max_wal_senders": "4",
        "hot_standby": "on",
        # Throwaway clusters: durability against a power cut buys nothing here.
        "fsync": "off",
    }


@contextmanager
def replica_pair(pg_bin: Path = PG_BIN, *, keep: bool = False) -> Iterator[Pair]:
    """A primary and a streaming hot standby of it, stopped and deleted afterwards."""
    # Directly in the temporary directory: the postgres user must reach it.
    root = Path(tempfile.mkdtemp(prefix="receiver-replica-"))
    if os.geteuid() == 0:
        entry = pwd.getpwnam("postgres")
        os.chown(root, entry.pw_uid, entry.pw_gid)
    primary = Cluster(pg_bin, root / "primary", _free_port())
    standby = Cluster(pg_bin, root / "standby", _free_port())
    started: list[Cluster] = []
    try:
        _run(
            [
                pg_bin / "initdb",
                "-D",
                primary.data,
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
            ]
        )
        primary.configure(_server_settings(root, primary.port))
        primary.pg_ctl("start")
        started.append(primary)
        with psycopg.connect(primary.url(), autocommit=True) as conn:
            conn.execute(f"CREATE ROLE {REPLICATION_ROLE} REPLICATION LOGIN".encode())
        # -R: standby.signal, and primary_conninfo in postgresql.auto.conf.
        _run(
            [
                pg_bin / "pg_basebackup",
                "-h",
                "127.0.0.1",
                "-p",
                str(primary.port),
                "-U",
                REPLICATION_ROLE,
                "-D",
                standby.data,
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
            ]
        )
        standby.configure({"port": str(standby.port)})
        standby.pg_ctl("start")
        started.append(standby)
        pair = Pair(primary, standby)
        _wait_streaming(pair)
        yield pair
    finally:
        for cluster in reversed(started):
            cluster.pg_ctl("-m", "immediate", "stop")
        if not keep:
            shutil.rmtree(root, ignore_errors=True)


def _wait_streaming(pair: Pair, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    with psycopg.connect(pair.primary.url(), autocommit=True) as conn:
        while True:
            row = conn.execute(
                "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
            ).fetchone()
            if row and row[0] >= 1:
                return
            if time.monotonic() > deadline:
                raise TimeoutError("the standby did not start streaming")
            time.sleep(0.1)


def wait_for_replay(primary_url: str, standby_url: str, timeout: float = 30.0) -> float:
    """Wait until the standby has replayed everything the primary has written; returns seconds."""
    started = time.monotonic()
    with psycopg.connect(primary_url, autocommit=True) as conn:
        row = conn.execute("SELECT pg_current_wal_lsn()").fetchone()
        assert row is not None
        target = row[0]
    with psycopg.connect(standby_url, autocommit=True) as conn:
        while True:
            row = conn.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", (str(target),)
            ).fetchone()
            if row and row[0]:
                return time.monotonic() - started
            if time.monotonic() - started > timeout:
                raise TimeoutError(f"the standby has not replayed up to {target}")
            time.sleep(0.05)


def dashboard_views(conn: psycopg.Connection[Any]) -> list[str]:
    """The dashboard views (docs/dashboards.md), without their _live halves."""
    found = conn.execute(
        "SELECT viewname FROM pg_views WHERE schemaname = 'public'"
        " AND viewname NOT LIKE '%\\_live' ORDER BY viewname"
    ).fetchall()
    return [row[0] for row in found]


#: Views that depend on the moment of the query: each such column as the absolute time it
#: stands for, and a filter on a fixed time that keeps the rows away from the boundary that
#: moves with now() (rows could cross it between the reads of the two servers).
_NOW_RELATIVE: dict[str, tuple[dict[str, str], str]] = {
    "stale_messages": (
        {"silent_for": "now() - silent_for"},
        "last_received_at < %(as_of)s::timestamptz - interval '1 hour' - interval '10 minutes'",
    ),
}


def view_contents(
    url: str, names: Sequence[str], as_of: datetime
) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of each view, in a fixed order. The windowed views get windows wide enough
    for all the history, so they compare more than a day's rows. Reads of two servers within
    10 minutes after `as_of` compare the same rows."""
    contents: dict[str, list[tuple[Any, ...]]] = {}
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("SET receiver.error_window = '365 days'")
        conn.execute("SET receiver.stale_after = '1 hour'")
        for name in names:
            columns = conn.execute(
                "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0"
                " AND NOT attisdropped ORDER BY attnum",
                (name,),
            ).fetchall()
            relative, where = _NOW_RELATIVE.get(name, ({}, "true"))
            select = ", ".join(relative.get(c, f'"{c}"') for (c,) in columns)
            sql = f"SELECT {select} FROM {name} WHERE {where}"
            found = conn.execute(sql.encode(), {"as_of": as_of}).fetchall()
            contents[name] = sorted(found, key=repr)
    return contents


def _receipt(n: int) -> bytes:
    """A CDYNE delivery receipt: every fifth undelivered with an error code."""
    stat, code = ("UNDELIV", "005") if n % 5 == 0 else ("DELIVRD", "000")
    message_id = f"{n:08x}-3a14-484c-80e7-ca6aa29a2f7a"
    return (
        f"DeliveryReceipt=1&MessageID={message_id}&ReferenceID=ref-{n}"
        f"&FromPhoneNumber=74121&ToPhoneNumber=1757237{n:04d}"
        f"&DeliveryReceiptMessage=id%3A{n}%20sub%3A001%20dlvrd%3A001%20submit%20date%3A"
        f"2601011200%20done%20date%3A2601011201%20stat%3A{stat}%20err%3A{code}%20text%3A"
        f"&Code={code}"
    ).encode()


def _reply(n: int) -> bytes:
    """A CDYNE reply; every other one an opt-out."""
    text = "Stop" if n % 2 == 0 else "Thanks"
    return (
        f"SMSResponse=1&MessageID={n:08x}-ded0-7574-4642-5f60c550c706"
        f"&MatchedMessageID={n:08x}-3a14-484c-80e7-ca6aa29a2f7a&ReferenceID="
        f"&FromPhoneNumber=1757544{n:04d}&ToPhoneNumber=17575449511"
        f"&ResponseReceiveDate=5%2f8%2f2010+2%3a42%3a36+AM&Message={text}"
    ).encode()


def receiver_settings(database_url: str, spool: Path, read_database_url: str | None) -> Settings:
    return Settings(
        database_url=database_url,
        read_database_url=read_database_url,
        callback_tokens=(TOKEN,),
        api_token=API_TOKEN,
        spool_dir=spool,
        rollup_interval=0,  # run explicitly below, on the primary
    )


def fill_through_the_receiver(database_url: str, spool: Path, callbacks: int) -> None:
    """Post `callbacks` receipts and a reply per ten through the app; returns once projected."""
    app = create_app(receiver_settings(database_url, spool, None))
    form = {"content-type": "application/x-www-form-urlencoded"}
    with TestClient(app) as client:
        for n in range(callbacks):
            body = _reply(n) if n % 10 == 9 else _receipt(n)
            response = client.post(f"/callbacks/cdyne/{TOKEN}", content=body, headers=form)
            response.raise_for_status()
        assert client.portal is not None
        client.portal.call(app.state.projector.catch_up)


def run_rollups(url: str) -> dict[str, Any] | None:
    async def run() -> dict[str, Any] | None:
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
            return await roll_up(conn)

    return asyncio.run(run())


def prepare(pair: Pair, rows: int, callbacks: int, spool: Path) -> tuple[str, str]:
    """The receiver's database on the primary, filled and rolled up, replayed by the standby;
    returns (primary URL, standby URL) of that database."""
    with psycopg.connect(pair.primary.url(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {DATABASE}".encode())
    primary_url, standby_url = pair.primary.url(DATABASE), pair.standby.url(DATABASE)
    apply_migrations(primary_url)
    if rows:  # as bench/views.py loads: keys and indexes dropped, then rebuilt
        recreate = views.drop_constraints_and_indexes(primary_url)
        views.timed("load", lambda: views.load(primary_url, rows, workers=2))
        views.timed("keys and indexes", lambda: views.rebuild(primary_url, recreate, workers=2))
    views.timed(
        f"{callbacks} callbacks through the receiver",
        lambda: fill_through_the_receiver(primary_url, spool, callbacks),
    )
    with psycopg.connect(primary_url, autocommit=True) as conn:
        views.timed("vacuum analyze", lambda: conn.execute("VACUUM (ANALYZE)"))
    views.timed("rollups on the primary", lambda: run_rollups(primary_url))
    lag = wait_for_replay(pair.primary.url(), pair.standby.url(), timeout=600)
    log(f"the standby had replayed it all {lag:.2f} s later")
    return primary_url, standby_url


def report(results: Sequence[tuple[views.Query, float, float, bool]]) -> str:
    header = ("view", "range", "provider", "primary ms", "replica ms", "replica/primary", "plan")
    body = [
        (
            q.view,
            q.range,
            q.provider or "all",
            f"{p:.1f}",
            f"{r:.1f}",
            f"{r / p:.2f}" if p else "",
            "same" if same else "DIFFERS",
        )
        for q, p, r, same in results
    ]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(len(header))]
    lines = [" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in body]
    lines.insert(0, " | ".join(c.ljust(w) for c, w in zip(header, widths, strict=True)))
    lines.insert(1, "-+-".join("-" * w for w in widths))
    primary, replica = sum(r[1] for r in results), sum(r[2] for r in results)
    lines.append(f"all {len(results)} queries: primary {primary:.1f} ms, replica {replica:.1f} ms")
    return "\n".join(line.rstrip() for line in lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.replica", description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000, help="delivery events to load")
    parser.add_argument("--callbacks", type=int, default=500, help="posted through the app")
    parser.add_argument("--runs", type=int, default=5, help="EXPLAIN ANALYZE runs per query")
    parser.add_argument("--keep", action="store_true", help="leave the data directories")
    parser.add_argument(
        "--pg-bin", type=Path, default=PG_BIN, help=f"server binaries (default {PG_BIN})"
    )
    args = parser.parse_args(argv)
    if not (args.pg_bin / "pg_basebackup").exists():
        print(f"no {args.pg_bin / 'pg_basebackup'}: apt-get install postgresql-15", file=sys.stderr)
        return 2
    with (
        tempfile.TemporaryDirectory() as scratch,
        replica_pair(args.pg_bin, keep=args.keep) as pair,
    ):
        log(f"primary on port {pair.primary.port}, standby on {pair.standby.port}")
        primary_url, standby_url = prepare(pair, args.rows, args.callbacks, Path(scratch))
        with psycopg.connect(primary_url) as conn:
            names = dashboard_views(conn)
            version = conn.execute("SHOW server_version").fetchone()
        as_of = datetime.now(UTC)
        primary_views = view_contents(primary_url, names, as_of)
        standby_views = view_contents(standby_url, names, as_of)
        differ = [name for name in names if primary_views[name] != standby_views[name]]
        same = not differ
        rows = sum(len(r) for r in primary_views.values())
        log(f"{len(names)} views, {rows:,} rows; differ on the standby: {differ or 'none'}")
        results: list[tuple[views.Query, float, float, bool]] = []
        for query in views.dashboard_queries():
            on_primary, scans = views.measure(primary_url, query, args.runs, jit=False)
            on_replica, replica_scans = views.measure(standby_url, query, args.runs, jit=False)
            results.append((query, on_primary, on_replica, scans == replica_scans))
        print(
            f"\n{args.rows:,} delivery events; Postgres {version[0] if version else '?'} primary"
            " and hot standby on one host;"
            f" median of {args.runs} EXPLAIN ANALYZE execution times (jit off); plan: the"
            " same scans on both\n"
        )
        print(report(results))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
