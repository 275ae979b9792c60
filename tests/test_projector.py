"""The projector: behind the ack, shared by any number of tasks and processes."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import psycopg

from receiver.db import open_pool
from receiver.ingest.raw_store import store_raw
from receiver.ingest.spool import Spool
from receiver.ingest.writer import Writer
from receiver.metrics import Metrics
from receiver.projection.projector import Projector, backlog
from tests.conftest import ADAPTERS, TOKEN, rows
from tests.processes import Servers, receiver_env, wait_for
from tests.test_writer import raw_callback


def _raws(n: int, prefix: str = "m") -> list[Any]:
    return [
        raw_callback(f"message_id={prefix}{i}&message_state=delivered".encode(), {})
        for i in range(n)
    ]


async def test_projectors_sharing_the_queue_project_each_callback_once(
    db: psycopg.Connection[Any], database_url: str
) -> None:
    pool = open_pool(database_url, 6)
    await pool.open()
    try:
        async with pool.connection() as conn:
            await store_raw(conn, _raws(3000))
            assert (await backlog(conn)).callbacks == 3000
        projectors = [Projector(pool, ADAPTERS, batch=100) for _ in range(4)]
        done = await asyncio.gather(*(p.catch_up() for p in projectors))
        async with pool.connection() as conn:
            left = await backlog(conn)
    finally:
        await pool.close()
    assert sum(d.callbacks for d in done) == 3000  # claimed once each, across all four
    assert sum(1 for d in done if d.callbacks) >= 2  # and shared between them
    assert (left.callbacks, left.lag_seconds) == (0, 0.0)
    assert rows(db, "SELECT count(*) AS n FROM messages")[0]["n"] == 3000


async def test_a_batch_rolled_back_midway_is_projected_whole_by_the_next(
    db: psycopg.Connection[Any], database_url: str
) -> None:
    """A crash mid-batch (here: the connection's transaction rolled back) leaves its callbacks
    queued; the next claim projects them, and nothing twice."""
    pool = open_pool(database_url, 2)
    await pool.open()
    try:
        async with pool.connection() as conn:
            await store_raw(conn, _raws(10))
        async with pool.connection() as conn:
            with contextlib.suppress(RuntimeError):
                async with conn.transaction():
                    await conn.execute("DELETE FROM projection_queue")  # claimed...
                    raise RuntimeError("process died")  # ...and lost with the transaction
        done = await Projector(pool, ADAPTERS).catch_up()
    finally:
        await pool.close()
    assert done.callbacks == 10
    assert rows(db, "SELECT count(*) AS n FROM delivery_events")[0]["n"] == 10


def test_serve_without_projectors_and_a_projection_process_beside_it(
    servers: Servers, db: psycopg.Connection[Any], database_url: str, tmp_path: Path
) -> None:
    env = receiver_env(
        DATABASE_URL=database_url,
        RECEIVER_CALLBACK_TOKENS=TOKEN,
        RECEIVER_SPOOL_DIR=str(tmp_path / "spool"),
        RECEIVER_PROJECTORS="0",
        RECEIVER_ROLLUP_INTERVAL="0",
    )
    server = servers.start(env)
    server.wait_healthy(30)
    url = f"{server.base_url}/callbacks/smartswitch/{TOKEN}"
    form = {"content-type": "application/x-www-form-urlencoded"}
    for n in range(20):
        body = f"message_id=p{n}&message_state=delivered"
        assert httpx.post(url, content=body, headers=form).status_code == 200
    assert rows(db, "SELECT count(*) AS n FROM messages")[0]["n"] == 0
    assert httpx.get(f"{server.base_url}/readyz").json()["projection"]["backlog"] == 20

    log = (tmp_path / "project.log").open("wb")
    project = subprocess.Popen(
        [sys.executable, "-m", "receiver", "project"],
        env=env,
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(lambda: rows(db, "SELECT count(*) AS n FROM messages")[0]["n"] == 20)
        assert rows(db, "SELECT count(*) AS n FROM projection_queue")[0]["n"] == 0
    finally:
        project.send_signal(signal.SIGTERM)
        assert project.wait(30) == 0


async def test_a_lingering_projector_gathers_a_trickle_into_few_batches(
    db: psycopg.Connection[Any], database_url: str
) -> None:
    """Woken by each commit of a trickle, a projector that lingers projects many commits in one
    statement; one that does not projects about one batch per commit."""
    batches: dict[float, int] = {}
    for linger in (0.0, 0.4):
        metrics = Metrics()
        pool = open_pool(database_url, 3)
        await pool.open()
        projector = Projector(pool, ADAPTERS, metrics=metrics, linger=linger)
        await projector.start()
        try:
            for n in range(10):  # ten commits of two, 20 ms apart
                async with pool.connection() as conn:
                    await store_raw(conn, _raws(2, prefix=f"linger-{linger}-{n}-"))
                projector.notify()
                await asyncio.sleep(0.02)
            async with pool.connection() as conn:
                for _ in range(200):
                    if not (await backlog(conn)).callbacks:
                        break
                    await asyncio.sleep(0.05)
        finally:
            await projector.stop()
            await pool.close()
        batches[linger] = _batches(metrics)
    assert rows(db, "SELECT count(*) AS n FROM messages")[0]["n"] == 40
    assert batches[0.4] <= 2 < batches[0.0]


async def test_a_projector_yields_to_a_burst_of_acks_for_at_most_max_defer(
    db: psycopg.Connection[Any], database_url: str
) -> None:
    """While the acks are in a burst the projector claims nothing; once the burst is over, or
    the queue has waited `max_defer`, it projects the lot."""
    burst = True
    pool = open_pool(database_url, 3)
    await pool.open()
    projector = Projector(pool, ADAPTERS, ack_pressure=lambda: burst, max_defer=60.0)
    await projector.start()

    async def queued() -> int:
        async with pool.connection() as conn:
            return (await backlog(conn)).callbacks

    async def drained() -> bool:
        for _ in range(100):
            if not await queued():
                return True
            await asyncio.sleep(0.05)
        return False

    try:
        async with pool.connection() as conn:
            await store_raw(conn, _raws(5, prefix="burst-"))
        projector.notify()
        await asyncio.sleep(0.5)
        assert await queued() == 5  # held back during the burst
        burst = False
        assert await drained()  # projected once it was over
        burst = True
        projector.max_defer = 0.3
        async with pool.connection() as conn:
            await store_raw(conn, _raws(5, prefix="long-burst-"))
        projector.notify()
        await asyncio.sleep(0.1)
        assert await queued() == 5
        assert await drained()  # a burst for good: projected after max_defer anyway
    finally:
        await projector.stop()
        await pool.close()
    assert rows(db, "SELECT count(*) AS n FROM messages")[0]["n"] == 10


async def test_the_writer_is_busy_in_a_burst_and_not_under_a_steady_load(
    database_url: str, tmp_path: Path
) -> None:
    """`Writer.busy`, what the projector yields to: 32 clients each with a request waiting is
    a burst; one request at a time, however many, is not."""
    pool = open_pool(database_url, 4)
    await pool.open()
    writer = Writer(pool, Spool(tmp_path / "spool"), database_url)
    await writer.start()
    try:
        for n in range(40):  # steady: each answered before the next
            await writer.write(raw_callback(f"message_id=s{n}&message_state=sent".encode(), {}))
        assert not writer.busy
        for wave in range(4):  # a burst: 32 at once, again and again
            await asyncio.gather(
                *(
                    writer.write(
                        raw_callback(f"message_id=b{wave}-{n}&message_state=sent".encode(), {})
                    )
                    for n in range(32)
                )
            )
        assert writer.busy
        await asyncio.sleep(0.3)
        assert not writer.busy  # nothing for a while: over
    finally:
        await writer.stop(5)
        await pool.close()


def _batches(metrics: Metrics) -> int:
    """Batches that projected something, from the batch-time histogram's count."""
    for family in metrics.registry.collect():
        if family.name == "receiver_projection_batch_seconds":
            for sample in family.samples:
                if sample.name.endswith("_count"):
                    return int(sample.value)
    return 0


async def test_a_batch_waiting_for_company_is_not_a_burst(
    database_url: str, tmp_path: Path
) -> None:
    """Callbacks gathered into a batch wait by choice: a trickle that gathers a dozen or more at
    a time does not make the projector yield."""
    pool = open_pool(database_url, 2)
    await pool.open()
    writer = Writer(pool, Spool(tmp_path / "spool"), database_url, batch_wait=0.1, batch_min=32)
    await writer.start()
    seen = []
    try:
        writes = []
        for _ in range(150):
            await asyncio.sleep(0.0005)
            writes.append(asyncio.ensure_future(writer.write(raw_callback(b"x=1", {}))))
            seen.append((writer.waiting, writer.busy))
        await asyncio.gather(*writes)
    finally:
        await writer.stop(5)
        await pool.close()
    assert max(waiting for waiting, _ in seen) >= 16  # many waited at once, gathering
    assert not any(busy for _, busy in seen)


async def test_only_callbacks_queued_again_pay_for_removing_what_they_stored_before(
    db: psycopg.Connection[Any], database_url: str, monkeypatch: Any
) -> None:
    """The ack path queues what it stores as fresh: nothing was projected from it, so there is
    nothing to remove. A reparse queues callbacks again, not fresh, and their stale rows go."""
    import receiver.projection.projector as projector_module
    from receiver.projection.reparse import reparse

    removing: list[set[Any]] = []
    remove = projector_module._remove_stale

    async def spy(conn: Any, stale: Any, built: Any) -> Any:
        removing.append({item.raw.id for item in stale})
        return await remove(conn, stale, built)

    monkeypatch.setattr(projector_module, "_remove_stale", spy)
    raws = _raws(5, "fresh")
    pool = open_pool(database_url, 2)
    await pool.open()
    try:
        async with pool.connection() as conn:
            await store_raw(conn, raws)
        assert rows(db, "SELECT bool_and(fresh) AS fresh FROM projection_queue")[0]["fresh"]
        assert (await Projector(pool, ADAPTERS).catch_up()).callbacks == 5
        assert removing == []
        assert (await reparse(database_url, ADAPTERS)).callbacks == 5
    finally:
        await pool.close()
    assert removing == [{raw.id for raw in raws}]
    assert rows(db, "SELECT count(*) AS n FROM delivery_events")[0]["n"] == 5
