"""Writes tests/data/v7_filled.sql: a database filled by the receiver as of migration 7 (before
time partitioning), through its own write_batch and rollups, dumped as data only.

Run with the older tree first on the path, e.g. from a `git archive 14ab31d` of it:
    PYTHONPATH=/tmp/receiver-v7 python tests/data/fill_v7.py > tests/data/v7_filled.sql
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg

from receiver.callback import Accepted, RawCallback, new_callback_id
from receiver.db import apply_migrations
from receiver.embedded import client_program, start_embedded
from receiver.projection.rollups import roll_up
from receiver.projection.store import write_batch
from receiver.records import DeliveryEvent, InboundMessage, Normalized
from receiver.status import Status

#: Receipt times: three months, and both sides of two month boundaries.
START = datetime(2026, 1, 30, 22, 0, tzinfo=UTC)


def item(
    at: datetime,
    events: tuple[DeliveryEvent, ...] = (),
    inbound: tuple[InboundMessage, ...] = (),
    error: str | None = None,
) -> Accepted:
    raw = RawCallback(
        id=new_callback_id(at.timestamp()),
        received_at=at,
        provider="smpp",
        method="POST",
        query="",
        headers={"content-type": "application/json"},
        content_type="application/json",
        body=f'{{"at": "{at.isoformat()}"}}'.encode(),
    )
    return Accepted(raw, Normalized(events=events, inbound=inbound), error)


def batches() -> list[list[Accepted]]:
    out: list[list[Accepted]] = []
    for n in range(60):
        at = START + timedelta(hours=n * 13)  # about a month: late Jan to early Mar
        sent = DeliveryEvent(
            Status.SENT,
            "ENROUTE",
            message_id=f"m{n}",
            occurred_at=at,
            occurred_at_raw=at.isoformat(),
        )
        final_status = [Status.DELIVERED, Status.UNDELIVERED, Status.EXPIRED][n % 3]
        final = DeliveryEvent(
            final_status,
            final_status.value.upper(),
            message_id=f"m{n}",
            error_code=None if final_status is Status.DELIVERED else "E1",
            occurred_at=at + timedelta(minutes=3),
            occurred_at_raw=(at + timedelta(minutes=3)).isoformat(),
        )
        keyless = DeliveryEvent(Status.UNKNOWN, "??")  # no message key at all
        batch = [
            item(at, (sent,)),
            item(at + timedelta(minutes=3), (final, keyless) if n % 10 == 0 else (final,)),
        ]
        if n % 4 == 0:  # a provider retry of the final report, stored once
            batch.append(item(at + timedelta(minutes=9), (final,)))
        if n % 5 == 0:
            reply = InboundMessage(
                sender=f"4477009{n:05d}",
                recipient="12345",
                text="STOP",
                message_id=f"in{n}",
                is_opt_out=True,
                keyword="STOP",
            )
            batch.append(item(at + timedelta(minutes=20), inbound=(reply,)))
        if n % 7 == 0:
            batch.append(item(at + timedelta(minutes=30), error="unreadable callback"))
        out.append(batch)
    return out


async def fill(url: str) -> None:
    async with await psycopg.AsyncConnection.connect(url, autocommit=True) as conn:
        for batch in batches():
            async with conn.transaction():
                await write_batch(conn, batch)
        await roll_up(conn)


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        url = start_embedded(Path(scratch))
        applied = apply_migrations(url)
        assert applied == list(range(1, 8)), applied
        asyncio.run(fill(url))
        dump = subprocess.run(
            [
                client_program("pg_dump"),
                "--data-only",
                "--inserts",
                "--no-owner",
                "--exclude-table=receiver_migrations",
                "--dbname",
                url,
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    kept = [
        line
        for line in dump.splitlines()
        if not line.startswith(("-- Dumped", "\\restrict", "\\unrestrict"))
    ]
    sys.stdout.write(
        "-- A database filled by the receiver at migration 7: see tests/data/fill_v7.py.\n"
    )
    sys.stdout.write("\n".join(kept) + "\n")


if __name__ == "__main__":
    main()
