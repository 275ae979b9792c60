"""Durability when Postgres is down or stalled: the spool, its replay, and 503 as a last resort."""

from __future__ import annotations

import asyncio
import secrets
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest
from starlette.testclient import TestClient

from receiver.app import create_app
from receiver.callback import RawCallback, new_callback_id, now_utc
from receiver.db import open_pool
from receiver.ingest.spool import Spool
from receiver.ingest.writer import NotDurable, Overloaded, Writer
from receiver.projection.projector import Projector
from tests.conftest import ADAPTERS, TOKEN, make_settings, rows
from tests.processes import wait_for
from tests.test_app import CDYNE_RECEIPT, DYNMARK_DELIVERED, FORM

# Nothing listens on port 1: connections are refused at once, like a Postgres that is down.
DOWN_URL = "postgresql://postgres@127.0.0.1:1/postgres?connect_timeout=1"


def url(provider: str) -> str:
    return f"/callbacks/{provider}/{TOKEN}"


def test_outage_spools_then_replays_exactly_once(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path
) -> None:
    spool = tmp_path / "spool"
    with TestClient(create_app(make_settings(DOWN_URL, spool))) as down:
        started = time.monotonic()
        for _ in range(2):  # a provider retry during the outage
            assert down.post(url("cdyne"), content=CDYNE_RECEIPT, headers=FORM).status_code == 200
        assert down.get(f"{url('dynmark')}?{DYNMARK_DELIVERED}").status_code == 200
        assert time.monotonic() - started < 5
        ready = down.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["database"] == "down"
        assert ready.json()["spool"]["entries"] == 3
    assert rows(db, "SELECT count(*) AS n FROM callbacks")[0]["n"] == 0

    # Keep a copy of the spool to replay it a second time later.
    copy = tmp_path / "copy"
    shutil.copytree(spool, copy)

    with TestClient(create_app(make_settings(database_url, spool))) as up:
        wait_for(lambda: rows(db, "SELECT count(*) AS n FROM callbacks")[0]["n"] == 3)
        wait_for(lambda: up.get("/readyz").json()["spool"]["entries"] == 0)
    shutil.rmtree(spool)
    shutil.copytree(copy, spool)
    with TestClient(create_app(make_settings(database_url, spool))) as again:
        wait_for(lambda: again.get("/readyz").json()["spool"]["entries"] == 0)

    assert rows(db, "SELECT count(*) AS n FROM callbacks")[0]["n"] == 3
    assert rows(db, "SELECT count(*) AS n FROM delivery_events")[0]["n"] == 2
    statuses = rows(db, "SELECT provider, status FROM messages ORDER BY provider")
    assert statuses == [
        {"provider": "cdyne", "status": "sent"},
        {"provider": "dynmark", "status": "delivered"},
    ]


def test_no_database_and_no_spool_answers_503(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings = make_settings(DOWN_URL, blocker / "spool")
    with TestClient(create_app(settings)) as client:
        response = client.post(url("cdyne"), content=CDYNE_RECEIPT, headers=FORM)
        assert response.status_code == 503
        assert "retry" in response.text
        assert client.get("/healthz").status_code == 200


def test_a_stalled_commit_is_spooled_after_the_deadline(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path
) -> None:
    settings = make_settings(database_url, tmp_path / "spool", commit_timeout=0.3)
    release = threading.Event()
    locked = threading.Event()

    def hold_lock() -> None:
        with psycopg.connect(database_url) as conn:
            conn.execute("LOCK TABLE callbacks IN ACCESS EXCLUSIVE MODE")
            locked.set()
            release.wait(10)

    holder = threading.Thread(target=hold_lock)
    with TestClient(create_app(settings)) as client:
        holder.start()
        locked.wait(5)
        started = time.monotonic()
        response = client.post(url("cdyne"), content=CDYNE_RECEIPT, headers=FORM)
        elapsed = time.monotonic() - started
        assert response.status_code == 200
        assert elapsed < 2.0
        assert client.get("/readyz").json()["spool"]["entries"] == 1
        release.set()
        holder.join()
        wait_for(lambda: client.get("/readyz").json()["spool"]["entries"] == 0)
    assert rows(db, "SELECT count(*) AS n FROM callbacks")[0]["n"] == 1
    assert rows(db, "SELECT count(*) AS n FROM delivery_events")[0]["n"] == 1


def _hold_callbacks_lock(
    database_url: str, locked: threading.Event, release: threading.Event
) -> None:
    with psycopg.connect(database_url) as conn:
        conn.execute("LOCK TABLE callbacks IN ACCESS EXCLUSIVE MODE")
        locked.set()
        release.wait(10)


@pytest.mark.parametrize("hedge", [0.01, None])
async def test_a_stalled_commit_is_hedged_to_the_spool_and_stored_once(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path, hedge: float | None
) -> None:
    """A commit held up by a lock (as by a checkpoint's sync or autovacuum) is answered from the
    spool after `hedge_after`, long before the commit deadline, and Postgres is not taken for
    down. Once the lock goes the commit lands, and the spool's copy replays as a no-op: one
    callback, queued once. With hedging off, the write waits for the lock."""
    release, locked = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_callbacks_lock, args=(database_url, locked, release))
    pool = open_pool(database_url, 2)
    await pool.open()
    spool = Spool(tmp_path / "spool")
    writer = Writer(pool, spool, database_url, commit_timeout=5.0, hedge_after=hedge)
    await writer.start()
    try:
        holder.start()
        assert await asyncio.to_thread(locked.wait, 5)
        threading.Timer(1.0, release.set).start()
        started = time.monotonic()
        outcome = await writer.write(raw_callback(b"message_id=7&message_state=delivered", {}))
        elapsed = time.monotonic() - started
        if hedge:
            assert (outcome, spool.has_entries(), writer.database_up) == ("spooled", True, True)
            assert elapsed < 0.8  # while the lock was still held
        else:
            assert (outcome, spool.has_entries()) == ("stored", False)
            assert elapsed >= 0.9  # waited for the lock to go
        await asyncio.to_thread(holder.join)
        await wait_until(lambda: not writer._hedged)  # the hedged commit has landed
        await writer.recover()  # the spool's copy: a no-op
        assert not spool.has_entries()
    finally:
        await writer.stop(5)
        await pool.close()
    assert rows(db, "SELECT count(*) AS n FROM callbacks")[0]["n"] == 1
    assert rows(db, "SELECT count(*) AS n FROM projection_queue")[0]["n"] == 1


async def test_a_postgres_slow_across_the_board_is_not_hedged_batch_after_batch(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path
) -> None:
    """When every commit takes 40 ms (not a stall: the usual time), hedging at 10 ms would copy
    every batch to the spool too. The writer learns the usual commit time and hedges only at a
    multiple of it: the first commits are hedged, the later ones wait and are stored."""
    db.execute(
        "CREATE FUNCTION pg_temp.slow() RETURNS trigger LANGUAGE plpgsql AS"
        " $$ BEGIN PERFORM pg_sleep(0.04); RETURN NULL; END $$"
    )
    db.execute(
        "CREATE TRIGGER slow_commits AFTER INSERT ON projection_queue"
        " FOR EACH STATEMENT EXECUTE FUNCTION pg_temp.slow()"
    )
    pool = open_pool(database_url, 2)
    await pool.open()
    writer = Writer(pool, Spool(tmp_path / "spool"), database_url, hedge_after=0.01, flushers=1)
    await writer.start()
    try:
        outcomes = [
            await writer.write(raw_callback(f"message_id={n}&message_state=sent".encode(), {}))
            for n in range(40)
        ]
        await wait_until(lambda: not writer._hedged)
    finally:
        db.execute("DROP TRIGGER slow_commits ON projection_queue")
        await writer.stop(5)
        await pool.close()
    assert outcomes[0] == "spooled"
    assert outcomes[-10:] == ["stored"] * 10
    assert rows(db, "SELECT count(*) AS n FROM callbacks")[0]["n"] == 40


async def wait_until(condition: Any, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


def test_a_nul_byte_in_a_field_is_stored_without_it(
    client: TestClient, db: psycopg.Connection[Any]
) -> None:
    # Smartswitch field names per its HTTP_API_deliver_delivery_receipt wiki page.
    body = b"message_id=15613%0071433517&message_state=delivered"
    response = client.post(url("smartswitch"), content=body, headers=FORM)
    assert response.status_code == 200
    [message] = rows(db, "SELECT message_id, status FROM messages")
    assert message == {"message_id": "1561371433517", "status": "delivered"}
    assert bytes(rows(db, "SELECT body FROM callbacks")[0]["body"]) == body


async def test_a_callback_postgres_rejects_does_not_fail_its_batch(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path
) -> None:
    good = raw_callback(b"message_id=1&message_state=delivered", {})
    # An id too long for a btree index entry: Postgres refuses the events, not the raw request.
    long_id = secrets.token_hex(4500).encode()  # random, so index compression cannot save it
    bad = raw_callback(b"message_id=" + long_id + b"&message_state=delivered", {})
    pool = open_pool(database_url, 2)
    await pool.open()
    writer = Writer(pool, Spool(tmp_path / "spool"), database_url, batch_max=10, flushers=1)
    await writer.start()
    try:
        outcomes = await asyncio.gather(writer.write(good), writer.write(bad))
        done = await Projector(pool, ADAPTERS).catch_up()
    finally:
        await writer.stop(5)
        await pool.close()
    assert outcomes == ["stored", "stored"]
    assert (done.callbacks, done.parse_errors) == (2, 1)
    found = rows(db, "SELECT id, parse_error FROM callbacks ORDER BY id")
    by_id = {row["id"]: row["parse_error"] for row in found}
    assert by_id[good.id] is None
    assert "could not store events" in by_id[bad.id]
    assert [r["message_id"] for r in rows(db, "SELECT message_id FROM messages")] == ["1"]


def raw_callback(body: bytes, headers: dict[str, str]) -> RawCallback:
    return RawCallback(
        id=new_callback_id(),
        received_at=now_utc(),
        provider="smartswitch",
        method="POST",
        query="",
        headers=headers,
        content_type="application/x-www-form-urlencoded",
        body=body,
    )


async def test_a_full_queue_refuses_at_once_rather_than_growing(
    database_url: str, tmp_path: Path
) -> None:
    pool = open_pool(database_url, 1)
    writer = Writer(pool, Spool(tmp_path / "spool"), database_url, max_queue=2)
    # Not started: nothing takes from the queue, as when every flusher waits on Postgres.
    waiting = [asyncio.ensure_future(writer.write(raw_callback(b"x=1", {}))) for _ in range(2)]
    await asyncio.sleep(0)
    started = time.monotonic()
    with pytest.raises(Overloaded):
        await writer.write(raw_callback(b"x=1", {}))
    assert time.monotonic() - started < 0.1
    for task in waiting:
        task.cancel()


def test_overload_is_answered_503_with_retry_after(
    client: TestClient, db: psycopg.Connection[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def full(item: Any) -> str:
        raise Overloaded

    monkeypatch.setattr(client.app.state.writer, "write", full)  # type: ignore[attr-defined]
    response = client.post(url("cdyne"), content=CDYNE_RECEIPT, headers=FORM)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert "retry" in response.text
    assert client.get("/healthz").status_code == 200


def test_reads_have_a_pool_of_their_own_with_a_statement_timeout(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path
) -> None:
    """Every read connection held (a burst of dashboard or API reads): ingest goes on."""
    settings = make_settings(
        database_url, tmp_path / "spool", read_pool_size=2, read_timeout=0.5, api_token="t" * 20
    )
    with TestClient(create_app(settings)) as client:
        app: Any = client.app
        release = asyncio.Event()
        held = threading.Event()

        async def setting(pool: Any) -> str:
            async with pool.connection() as conn:
                row = await (await conn.execute("SHOW statement_timeout")).fetchone()
                return str(row[0])

        async def hold_every_read_connection() -> None:
            async with app.state.read_pool.connection(), app.state.read_pool.connection():
                held.set()
                await release.wait()

        assert client.portal.call(setting, app.state.read_pool) == "500ms"  # type: ignore[union-attr]
        assert client.portal.call(setting, app.state.pool) == "0"  # type: ignore[union-attr]
        holder = client.portal.start_task_soon(hold_every_read_connection)  # type: ignore[union-attr]
        assert held.wait(5)
        started = time.monotonic()
        for n in range(5):
            body = CDYNE_RECEIPT.replace(b"f880e00b", f"readpool{n}".encode())
            assert client.post(url("cdyne"), content=body, headers=FORM).status_code == 200
        assert time.monotonic() - started < 2
        assert rows(db, "SELECT count(*) AS n FROM callbacks")[0]["n"] == 5
        assert client.get("/readyz").json()["spool"]["entries"] == 0  # committed, not spooled
        client.portal.call(release.set)  # type: ignore[union-attr]
        holder.result(5)


async def _commits_for(
    database_url: str, spool: Path, gaps: list[float], **gathering: Any
) -> tuple[list[str], int, float]:
    """A writer with `gathering` (batch_wait, batch_min) is given one callback after each gap
    (seconds): the outcomes, the commits it made and the time they took."""
    pool = open_pool(database_url, 2)
    await pool.open()
    writer = Writer(pool, Spool(spool), database_url, **gathering)
    await writer.start()
    try:
        started = time.monotonic()
        writes = []
        for gap in gaps:
            await asyncio.sleep(gap)
            writes.append(asyncio.ensure_future(writer.write(raw_callback(b"x=1", {}))))
        outcomes = list(await asyncio.gather(*writes))
        return outcomes, writer._commits, time.monotonic() - started
    finally:
        await writer.stop(5)
        await pool.close()


async def test_a_small_batch_waits_for_company_while_more_arrive(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path
) -> None:
    # Six callbacks one after another: one commit, though two flushers were free.
    outcomes, commits, _ = await _commits_for(
        database_url, tmp_path / "spool", [0.0] * 6, batch_wait=0.5, batch_min=6
    )
    assert outcomes == ["stored"] * 6
    assert commits == 1
    assert rows(db, "SELECT count(*) AS n FROM callbacks")[0]["n"] == 6


async def test_a_lull_or_the_deadline_ends_the_wait(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path
) -> None:
    # A lone callback: nothing else comes, so it is committed after the lull, not in 5 s.
    outcomes, commits, took = await _commits_for(
        database_url, tmp_path / "a", [0.0], batch_wait=5.0, batch_min=32
    )
    assert (outcomes, commits) == (["stored"], 1)
    assert took < 1.0
    # A steady trickle, 1 ms apart for 0.1 s or more: a commit every 50 ms or so, not one when
    # 128 have come (nor one per callback, as without waiting).
    outcomes, commits, _ = await _commits_for(
        database_url, tmp_path / "b", [0.001] * 100, batch_wait=0.05, batch_min=128
    )
    assert outcomes == ["stored"] * 100
    assert 2 <= commits <= 50
    assert rows(db, "SELECT count(*) AS n FROM callbacks")[0]["n"] == 101


async def test_stopping_spools_a_batch_still_waiting_for_company(
    database_url: str, tmp_path: Path
) -> None:
    pool = open_pool(database_url, 1)
    await pool.open()
    spool = Spool(tmp_path / "spool")
    writer = Writer(pool, spool, database_url, batch_wait=5.0, batch_min=32)
    await writer.start()
    write = asyncio.ensure_future(writer.write(raw_callback(b"x=1", {})))
    await asyncio.sleep(0)  # queued, and taken by a flusher gathering company
    await asyncio.sleep(0)
    try:
        await writer.stop(0)
        assert await asyncio.wait_for(write, 5) == "spooled"
    finally:
        await pool.close()
    assert spool.stats().entries == 1


class _FullSpool(Spool):
    """A spool on a full disk: every append fails."""

    def append(self, raws: Any) -> None:
        raise OSError(28, "No space left on device")


async def test_a_hedge_the_spool_refuses_leaves_the_commit_deadline_as_it_was(
    database_url: str, tmp_path: Path
) -> None:
    """A stalled commit whose hedged copy the spool cannot take waits for the commit, but only
    until the commit deadline counted from its start, not a whole deadline more; then, with
    neither Postgres nor the spool taking it, the provider gets a 503 (NotDurable)."""
    release, locked = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_callbacks_lock, args=(database_url, locked, release))
    pool = open_pool(database_url, 2)
    await pool.open()
    writer = Writer(
        pool, _FullSpool(tmp_path / "spool"), database_url, commit_timeout=1.2, hedge_after=0.6
    )
    await writer.start()
    try:
        holder.start()
        assert await asyncio.to_thread(locked.wait, 5)
        started = time.monotonic()
        with pytest.raises(NotDurable):
            await writer.write(raw_callback(b"message_id=8&message_state=delivered", {}))
        elapsed = time.monotonic() - started
    finally:
        release.set()
        await asyncio.to_thread(holder.join)
        await writer.stop(1)
        await pool.close()
    assert 1.1 <= elapsed < 1.5  # the deadline, not the hedge's wait plus the deadline (1.8 s)
