"""The ack path's one write, two ways: the multi-row INSERT it uses, and binary COPY.

    python -m bench.raw_insert [--sizes 1,16,128] [--seconds 5] [--rounds 3]

Each round stores batches of raw CDYNE receipts back to back on one connection, for each
variant and batch size in turn (interleaved, so drift on a shared machine hits all alike), into
an embedded Postgres at default settings (fsync and synchronous_commit on), emptying the tables
between runs. It reports rows per second, and CPU microseconds per row in this process (building
and sending the batch) and in Postgres, as medians over rounds.

* `insert`: `receiver.ingest.raw_store.store_raw`, what the writer runs: one autocommit
  statement, `INSERT ... SELECT FROM unnest(arrays) ON CONFLICT (id) DO NOTHING` into
  `callbacks`, chained to the `projection_queue` insert. Idempotent, so a spool replay of a
  commit that had in fact succeeded stores nothing twice.
* `copy`: a transaction of `COPY callbacks FROM STDIN (FORMAT BINARY)` and the same for
  `projection_queue`. COPY has no ON CONFLICT, so a replay would need a staging table and an
  INSERT ... SELECT after it: the figures here are COPY's best case, without that.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from bench.cpu import _tree_seconds
from bench.pg import BenchDatabase
from receiver.callback import RawCallback, new_callback_id
from receiver.ingest.raw_store import store_raw

__all__ = ["main"]

Store = Callable[[psycopg.AsyncConnection[Any], Sequence[RawCallback]], Awaitable[None]]

_HEADERS = {
    "host": "receiver.example",
    "user-agent": "CDYNE-SMS-Notify/1.0",
    "content-type": "application/x-www-form-urlencoded",
    "content-length": "246",
    "accept": "*/*",
    "x-forwarded-for": "203.0.113.7",
    "x-forwarded-proto": "https",
    "x-request-id": "5b0f3c2e-9d7a-4a56-8f38-0d5c4f1a2b3c",
}


def _raw(n: int) -> RawCallback:
    # The body bench/post.lua posts: a CDYNE delivery receipt (see bench/README.md).
    body = (
        f"DeliveryReceipt=1&MessageID={n:08x}-d5b1-4a0e-9f7e-3c1c2a7e9b10&ReferenceID=ref-{n}"
        "&FromPhoneNumber=74121&ToPhoneNumber=17572373369&DeliveryReceiptMessage=id:1 sub:001 "
        "dlvrd:001 submit date:2306132307 done date:2306132307 stat:DELIVRD err:000 text:"
        "&Code=000"
    ).encode()
    return RawCallback(
        id=new_callback_id(),
        received_at=datetime.now(UTC),
        provider="cdyne",
        method="POST",
        query="",
        headers=dict(_HEADERS),
        content_type="application/x-www-form-urlencoded",
        body=body,
    )


async def _insert(conn: psycopg.AsyncConnection[Any], raws: Sequence[RawCallback]) -> None:
    await store_raw(conn, raws)


_COPY_CALLBACKS = (
    "COPY callbacks (id, received_at, provider, method, query, headers, content_type, body)"
    " FROM STDIN (FORMAT BINARY)"
)
_CALLBACK_TYPES = ["uuid", "timestamptz", "text", "text", "text", "jsonb", "text", "bytea"]


async def _copy(conn: psycopg.AsyncConnection[Any], raws: Sequence[RawCallback]) -> None:
    async with conn.transaction(), conn.cursor() as cur:
        async with cur.copy(_COPY_CALLBACKS) as copy:
            copy.set_types(_CALLBACK_TYPES)
            for raw in raws:
                await copy.write_row(
                    (
                        raw.id,
                        raw.received_at,
                        raw.provider,
                        raw.method,
                        raw.query,
                        Jsonb(raw.headers, dumps=json.dumps),
                        raw.content_type,
                        raw.body,
                    )
                )
        async with cur.copy("COPY projection_queue (callback_id) FROM STDIN (FORMAT BINARY)") as q:
            q.set_types(["uuid"])
            for raw in raws:
                await q.write_row((raw.id,))


VARIANTS: dict[str, Store] = {"insert": _insert, "copy": _copy}


@dataclass(frozen=True, slots=True)
class Run:
    rows_per_second: float
    client_us_per_row: float
    postgres_us_per_row: float


async def _run(db: BenchDatabase, store: Store, size: int, seconds: float) -> Run:
    async with await psycopg.AsyncConnection.connect(db.url, autocommit=True) as conn:
        await conn.execute("TRUNCATE callbacks, projection_queue CASCADE")
        await store(conn, [_raw(i) for i in range(size)])  # warm: prepared statements
        await conn.execute("TRUNCATE callbacks, projection_queue CASCADE")
        rows = 0
        pg_before, client_before = _tree_seconds(db.postmaster_pid), time.process_time()
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            # Fresh ids each time round, as live callbacks have.
            batch = [_raw(rows + i) for i in range(size)]
            await store(conn, batch)
            rows += size
        wall = time.monotonic() - started
        client = time.process_time() - client_before
        postgres = _tree_seconds(db.postmaster_pid) - pg_before
    return Run(rows / wall, client * 1e6 / rows, postgres * 1e6 / rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.raw_insert", description=__doc__)
    parser.add_argument("--sizes", default="1,16,128", help="batch sizes (default 1,16,128)")
    parser.add_argument("--seconds", type=float, default=5.0, help="per run (default 5)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (default 3)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    results: dict[tuple[str, int], list[Run]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-raw-") as root:
        db = BenchDatabase(Path(root))
        try:
            for _ in range(args.rounds):
                for size in sizes:
                    for name, store in VARIANTS.items():
                        run = asyncio.run(_run(db, store, size, args.seconds))
                        results.setdefault((name, size), []).append(run)
        finally:
            db.close()
    print("| batch | variant | rows/s | client us/row | postgres us/row | rows/s x insert |")
    print("|---:|---|---:|---:|---:|---:|")
    for size in sizes:
        base = statistics.median(r.rows_per_second for r in results[("insert", size)])
        for name in VARIANTS:
            runs = results[(name, size)]
            rate = statistics.median(r.rows_per_second for r in runs)
            client = statistics.median(r.client_us_per_row for r in runs)
            postgres = statistics.median(r.postgres_us_per_row for r in runs)
            print(
                f"| {size} | {name} | {rate:,.0f} | {client:.1f} | {postgres:.1f} "
                f"| {rate / base:.2f} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
