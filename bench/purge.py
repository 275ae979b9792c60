"""Purging one month: dropping its partitions (receiver purge) against DELETE of its rows.

`.venv/bin/python -m bench.purge [--rows 10000000]` starts an embedded Postgres at its defaults,
loads `--rows` CDYNE receipts (a callbacks row and a delivery_events row each) into one month a
year and a half back, brings the rollups up to date, and times two ways of removing that month
while a writer inserts a callback into the current month every 10 ms (the ack path's table):

* `receiver purge`: DETACH PARTITION ... CONCURRENTLY and DROP TABLE for the month;
* the month loaded again (`--delete-rows` rows, default the same), then DELETE FROM
  delivery_events / callbacks of its rows. DELETE's time grows with the rows, the drop's does
  not: on a busy machine a smaller DELETE run, scaled, gives the comparison sooner.

For each it prints the seconds taken and the slowest insert of the writer meanwhile, which shows
whether ingest waited on a lock.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg

from bench.ingest import CALLBACKS_SQL, CHUNK, events_sql
from bench.pg import BenchDatabase
from receiver.callback import new_callback_id
from receiver.projection.partitions import ensure_partitions, first_id
from receiver.projection.rollups import roll_up
from receiver.retention import purge

MONTH = date(2025, 6, 1)


def _load(db: BenchDatabase, rows: int) -> float:
    started = time.monotonic()
    # ts runs over 30 days from the month's start: all inside the month.
    base = datetime(MONTH.year, MONTH.month, 1, tzinfo=UTC)
    for lo in range(0, rows, CHUNK):
        params = {"lo": lo, "hi": min(rows, lo + CHUNK), "total": rows, "base": base}
        db.execute_named(CALLBACKS_SQL, params)
        db.execute_named(events_sql(True), params)
        print(f"  loaded {min(rows, lo + CHUNK):,} / {rows:,}", flush=True)
    db.execute("VACUUM ANALYZE callbacks")
    db.execute("VACUUM ANALYZE delivery_events")
    db.execute("CHECKPOINT")
    return time.monotonic() - started


class Writer(threading.Thread):
    """Inserts one callback into the current month every 10 ms; records the slowest insert."""

    def __init__(self, url: str) -> None:
        super().__init__(daemon=True)
        self.url = url
        self.stop = threading.Event()
        self.slowest = 0.0
        self.count = 0

    def run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.stop.is_set():
                started = time.monotonic()
                conn.execute(
                    "INSERT INTO callbacks (id, received_at, provider, method)"
                    " VALUES (%s, now(), 'cdyne', 'POST')",
                    (new_callback_id(),),
                )
                self.slowest = max(self.slowest, time.monotonic() - started)
                self.count += 1
                time.sleep(0.01)


def _timed(url: str, work: Callable[[], None]) -> tuple[float, float, int]:
    writer = Writer(url)
    writer.start()
    time.sleep(0.5)
    started = time.monotonic()
    work()
    seconds = time.monotonic() - started
    writer.stop.set()
    writer.join()
    return seconds, writer.slowest, writer.count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--delete-rows", type=int, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="receiver-purge-bench-") as scratch:
        db = BenchDatabase(Path(scratch))
        try:
            with psycopg.connect(db.url, autocommit=True) as conn:
                ensure_partitions(conn, since=MONTH)
            print(f"loading {args.rows:,} rows into {MONTH:%Y-%m}", flush=True)
            loaded = _load(db, args.rows)
            print(f"  loaded in {loaded:.0f} s", flush=True)

            async def rolled_then_purged() -> None:
                async with await psycopg.AsyncConnection.connect(db.url, autocommit=True) as c:
                    await roll_up(c)
                    older = datetime.now(UTC) - datetime(2025, 7, 2, tzinfo=UTC)
                    report = await purge(c, older)
                    names = [n for n in report.partitions if n.endswith(f"{MONTH:y%Ym%m}")]
                    print(f"  dropped {', '.join(names)}", flush=True)

            # The first rollup over the loaded month is not part of the purge's cost.
            async def rolled() -> None:
                async with await psycopg.AsyncConnection.connect(db.url, autocommit=True) as c:
                    await roll_up(c)

            asyncio.run(rolled())
            drop = _timed(db.url, lambda: asyncio.run(rolled_then_purged()))

            with psycopg.connect(db.url, autocommit=True) as conn:
                ensure_partitions(conn, since=MONTH)
            delete_rows = args.delete_rows or args.rows
            print(f"loading {delete_rows:,} rows into {MONTH:%Y-%m} again", flush=True)
            _load(db, delete_rows)
            lo, hi = first_id(MONTH), first_id(date(2025, 7, 1))

            def delete() -> None:
                with psycopg.connect(db.url, autocommit=True) as conn:
                    conn.execute("DELETE FROM delivery_events WHERE received_month = %s", (MONTH,))
                    conn.execute("DELETE FROM callbacks WHERE id >= %s AND id < %s", (lo, hi))

            removed = _timed(db.url, delete)
        finally:
            db.close()
    print("Purging one month (a callbacks row and a delivery_events row per receipt):")
    for label, rows, (seconds, slowest, count) in (
        ("partition drop", args.rows, drop),
        ("DELETE", delete_rows, removed),
    ):
        print(
            f"  {label:<15} {rows:>11,} rows {seconds:8.1f} s   slowest concurrent insert"
            f" {slowest * 1000:7.1f} ms ({count} inserts)"
        )
    seconds = removed[0] * args.rows / delete_rows
    print(f"  DELETE scaled to {args.rows:,} rows: {seconds:.0f} s")


if __name__ == "__main__":
    main()
