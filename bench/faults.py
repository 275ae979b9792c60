"""Fault runs that print figures: kill -9 under load, a Postgres outage under load, no spool.

    .venv/bin/python -m bench.faults [--outage 30] [--clients 16]

Every request carries a unique message id, so afterwards each acknowledged id must be stored
exactly once. The load generator and process helpers are the test suite's (tests/processes.py).
"""

from __future__ import annotations

import argparse
import shutil
import signal
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.load import run_wrk
from bench.pg import BenchDatabase
from tests.processes import Load, Servers, receiver_env, start_postgres, stop_postgres

TOKEN = "bench-token-0123456789abcdefghij"


def stored_counts(db: BenchDatabase) -> Counter[str]:
    rows = db.rows("SELECT message_id FROM delivery_events WHERE message_id LIKE 'load-%'")
    return Counter(str(row[0]) for row in rows)


def verdict(db: BenchDatabase, acked: list[str]) -> str:
    stored = stored_counts(db)
    lost = sum(1 for message_id in acked if stored[message_id] == 0)
    twice = sum(1 for count in stored.values() if count > 1)
    raw_twice = db.scalar("SELECT count(*) - count(DISTINCT body) FROM callbacks")
    return f"acked {len(acked)}, lost {lost}, stored twice {twice} (raw requests twice {raw_twice})"


def wait_drained(spool: Path, timeout: float = 120.0) -> float:
    started = time.monotonic()
    while any(spool.glob("*.spool")) and time.monotonic() - started < timeout:
        time.sleep(0.2)
    return time.monotonic() - started


def kill_under_load(db: BenchDatabase, servers: Servers, env: dict[str, str]) -> None:
    db.truncate()
    server = servers.start(env)
    server.wait_healthy(30)
    with Load(f"{server.base_url}/callbacks/cdyne/{TOKEN}") as load:
        time.sleep(5)
        server.proc.send_signal(signal.SIGKILL)
        server.proc.wait(10)
    restarted = servers.start(env)
    restarted.wait_healthy(30)
    wait_drained(Path(env["RECEIVER_SPOOL_DIR"]))
    print(f"(i)   kill -9 under load, restart: {verdict(db, load.acked)}")
    restarted.proc.send_signal(signal.SIGTERM)
    restarted.proc.wait(30)


def outage_under_load(
    db: BenchDatabase, servers: Servers, env: dict[str, str], pgdata: Path, outage: float
) -> None:
    """Checks correctness with the Python load (every id), latency with wrk (a fast client)."""
    db.truncate()
    spool = Path(env["RECEIVER_SPOOL_DIR"])
    server = servers.start(env)
    server.wait_healthy(30)
    url = f"{server.base_url}/callbacks/cdyne/{TOKEN}"
    with Load(url, clients=4) as load:
        before = run_wrk(url, 32, 5)
        stop_postgres(pgdata)
        time.sleep(1)  # the first batch after the crash finds out; measure the steady outage
        during = run_wrk(url, 32, outage - 2)
        time.sleep(1)
        start_postgres(pgdata)
        time.sleep(5)
    drained_in = wait_drained(spool)
    print(
        f"(ii)  Postgres stopped for {outage:.0f} s under load: {verdict(db, load.acked)}; "
        f"non-200 answers {sum(n for code, n in load.statuses.items() if code != 200)}"
    )
    print(
        f"      wrk c=32 while down: {during.requests_per_s:.0f} req/s, "
        f"p50 {during.p50_ms:.2f} ms, "
        f"p99 {during.p99_ms:.2f} ms, non-2xx {during.non_2xx}; before the outage: "
        f"{before.requests_per_s:.0f} req/s, p50 {before.p50_ms:.2f} ms, "
        f"p99 {before.p99_ms:.2f} ms"
    )
    stored = db.scalar("SELECT count(*) FROM callbacks")
    print(
        f"      every request stored once: {stored} callbacks for "
        f"{before.ok_2xx + during.ok_2xx + len(load.acked)} acks counted by the clients "
        f"(plus requests in flight when wrk stopped); spool drained {drained_in:.1f} s after "
        "the load stopped"
    )
    server.proc.send_signal(signal.SIGTERM)
    server.proc.wait(30)


def no_database_no_spool(db: BenchDatabase, servers: Servers, root: Path, pgdata: Path) -> None:
    blocker = root / "not-a-directory"
    blocker.write_text("")
    env = receiver_env(
        DATABASE_URL=db.url,
        RECEIVER_CALLBACK_TOKENS=TOKEN,
        RECEIVER_SPOOL_DIR=str(blocker / "spool"),
        RECEIVER_DATA_DIR=str(root / "data3"),
    )
    server = servers.start(env)
    server.wait_healthy(30)
    stop_postgres(pgdata)
    try:
        with Load(f"{server.base_url}/callbacks/cdyne/{TOKEN}", clients=4) as load:
            time.sleep(3)
    finally:
        start_postgres(pgdata)
    print(f"(iii) Postgres down and spool unwritable: answers {dict(load.statuses)}")
    server.proc.send_signal(signal.SIGTERM)
    server.proc.wait(30)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.faults", description=__doc__)
    parser.add_argument("--outage", type=float, default=30.0, help="seconds Postgres is down")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="receiver-faults-"))
    db = BenchDatabase(root)
    servers = Servers(root)
    env = receiver_env(
        DATABASE_URL=db.url,
        RECEIVER_CALLBACK_TOKENS=TOKEN,
        RECEIVER_SPOOL_DIR=str(root / "spool"),
        RECEIVER_DATA_DIR=str(root / "data"),
    )
    try:
        kill_under_load(db, servers, env)
        outage_under_load(db, servers, env, root / "pgdata", args.outage)
        no_database_no_spool(db, servers, root, root / "pgdata")
    finally:
        servers.stop_all()
        db.close()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
