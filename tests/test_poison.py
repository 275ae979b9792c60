"""Poison-proof ingest: no one callback, however malformed, fails another or is lost once acked.

The poison here is real: a lone UTF-16 surrogate is valid JSON ("\\ud800", half an emoji) and
arrives through charset=utf-7 form bodies too, but Postgres text cannot hold it.
"""

from __future__ import annotations

import asyncio
import base64
import json
from pathlib import Path
from typing import Any

import psycopg
import pytest
from starlette.testclient import TestClient

import receiver.ingest.writer
import receiver.projection.projector
from receiver.callback import RawCallback, new_callback_id, now_utc
from receiver.db import open_pool
from receiver.ingest.raw_store import store_raw
from receiver.ingest.spool import Spool
from receiver.ingest.writer import Writer
from receiver.projection.projector import Projector
from receiver.projection.store import project
from tests.conftest import ADAPTERS, rows
from tests.test_writer import raw_callback, url

JSON = "application/json"
# Smartswitch's documented fields (redmine.streamco.org/projects/smartswitch-public/wiki/
# HTTP_API_deliver_delivery_receipt), with a message id cut in half mid-emoji.
SURROGATE_JSON = b'{"message_id": "ab\\ud800", "message_state": "delivered"}'
# The same id through a UTF-7 form body: "+2AA-" is U+D800 in UTF-7.
SURROGATE_UTF7 = b"message_id=ab+2AA-&message_state=delivered"


def good(n: int) -> bytes:
    return f"message_id=good-{n}&message_state=delivered".encode()


def test_a_lone_surrogate_is_stored_and_answered(
    client: TestClient, db: psycopg.Connection[Any]
) -> None:
    for body, content_type in (
        (SURROGATE_JSON, JSON),
        (SURROGATE_UTF7, "application/x-www-form-urlencoded; charset=utf-7"),
    ):
        response = client.post(
            url("smartswitch"), content=body, headers={"content-type": content_type}
        )
        assert response.status_code == 200, response.text
    stored = rows(db, "SELECT body FROM callbacks ORDER BY id")
    assert [bytes(row["body"]) for row in stored] == [SURROGATE_JSON, SURROGATE_UTF7]
    # Both say the same thing, so they are one event; the id keeps a visible replacement.
    assert rows(db, "SELECT message_id, status FROM messages") == [
        {"message_id": "ab\ufffd", "status": "delivered"}
    ]


async def test_a_poisoned_callback_fails_no_neighbour_in_its_batch(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path
) -> None:
    poison = raw_callback(SURROGATE_JSON, {})
    poison = RawCallback(**{**_fields(poison), "content_type": JSON})
    neighbours = [raw_callback(good(n), {}) for n in range(30)]
    batch = [*neighbours[:15], poison, *neighbours[15:]]
    pool = open_pool(database_url, 2)
    await pool.open()
    writer = Writer(pool, Spool(tmp_path / "spool"), database_url, batch_max=64, flushers=1)
    await writer.start()
    try:
        outcomes = await asyncio.gather(*(writer.write(r) for r in batch))
        await Projector(pool, ADAPTERS, batch=64).catch_up()  # all 31 in one batch
    finally:
        await writer.stop(5)
        await pool.close()
    assert outcomes == ["stored"] * 31
    assert rows(db, "SELECT count(*) AS n FROM callbacks")[0]["n"] == 31
    assert rows(db, "SELECT count(*) AS n FROM messages")[0]["n"] == 31


async def test_any_exception_storing_a_batch_is_isolated_to_its_callback(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the exception type: here a bug that fires for one callback's events, when the
    projector writes them. Its neighbours are projected; it is kept raw with the reason."""
    poison = raw_callback(good(999), {})

    async def failing(conn: Any, items: Any, alerts: Any = None, built: Any = None) -> Any:
        if any(item.raw.id == poison.id and item.normalized.events for item in items):
            raise RuntimeError("a bug in building rows")
        return await project(conn, items, alerts, built)

    monkeypatch.setattr(receiver.projection.projector, "project", failing)
    neighbours = [raw_callback(good(n), {}) for n in range(10)]
    pool = open_pool(database_url, 2)
    await pool.open()
    writer = Writer(pool, Spool(tmp_path / "spool"), database_url, flushers=1)
    await writer.start()
    try:
        outcomes = await asyncio.gather(*(writer.write(r) for r in [poison, *neighbours]))
        done = await Projector(pool, ADAPTERS).catch_up()
    finally:
        await writer.stop(5)
        await pool.close()
    assert outcomes == ["stored"] * 11
    assert (done.callbacks, done.parse_errors) == (11, 1)
    assert rows(db, "SELECT count(*) AS n FROM projection_queue")[0]["n"] == 0
    stored = {row["id"]: row["parse_error"] for row in rows(db, "SELECT * FROM callbacks")}
    assert len(stored) == 11
    assert "RuntimeError: a bug in building rows" in stored.pop(poison.id)
    assert set(stored.values()) == {None}
    assert rows(db, "SELECT count(*) AS n FROM messages")[0]["n"] == 10


async def test_any_exception_storing_raw_requests_is_isolated_to_its_callback(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On the ack path too: a batch that fails for one callback, whatever the exception, is
    retried one by one; the neighbours are committed and the one that fails alone is spooled
    (still durable, and its replay quarantines it if it fails there too)."""
    poison = raw_callback(good(999), {})

    async def failing(conn: Any, raws: Any, **kwargs: Any) -> None:
        if any(raw.id == poison.id for raw in raws):
            raise RuntimeError("a bug in building rows")
        await store_raw(conn, raws, **kwargs)

    monkeypatch.setattr(receiver.ingest.writer, "store_raw", failing)
    neighbours = [raw_callback(good(n), {}) for n in range(10)]
    pool = open_pool(database_url, 2)
    await pool.open()
    writer = Writer(pool, Spool(tmp_path / "spool"), database_url, flushers=1)
    await writer.start()
    try:
        outcomes = await asyncio.gather(*(writer.write(r) for r in [poison, *neighbours]))
    finally:
        await writer.stop(5)
        await pool.close()
    assert outcomes == ["spooled"] + ["stored"] * 10
    assert {row["id"] for row in rows(db, "SELECT id FROM callbacks")} == {
        raw.id for raw in neighbours
    }
    assert Spool(tmp_path / "spool").stats().entries == 1


async def test_spool_replay_quarantines_poison_and_replays_everything_behind_it(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry Postgres (or our code) refuses even raw, and an unreadable line, each go to
    the quarantine; the 1,000 entries around them all arrive, and replay ends."""
    spool = Spool(tmp_path / "spool")
    raws = [raw_callback(good(n), {}) for n in range(1000)]
    refused = raws[400]
    spool.append(raws[:400])
    spool.append([raw_callback(SURROGATE_JSON, {"x-note": "half an emoji \ud800"})])
    spool.rotate()
    spool.append(raws[400:700])
    spool.rotate()
    # A line that is not a spool entry at all, in the middle of the last file.
    path = sorted((tmp_path / "spool").glob("*.spool"))[-1]
    with open(path, "ab") as handle:
        handle.write(b'{"id": "not-a-uuid", "torn\n')
    spool.append(raws[700:])
    spool.rotate()
    with open(path, "ab") as handle:
        for raw in raws[700:]:  # these went to a new file; put some after the bad line too
            handle.write(json.dumps({"id": str(raw.id)}).encode() + b"\n")

    async def failing(conn: Any, raws: Any, **kwargs: Any) -> None:
        if any(raw.id == refused.id for raw in raws):
            raise ValueError("refused whatever is sent")
        await store_raw(conn, raws, **kwargs)

    monkeypatch.setattr(receiver.ingest.writer, "store_raw", failing)
    pool = open_pool(database_url, 2)
    await pool.open()
    writer = Writer(pool, spool, database_url)
    try:
        replayed = await writer.recover()
        assert await writer.recover() == 0  # nothing is retried forever
    finally:
        await pool.close()
    ids = {row["id"] for row in rows(db, "SELECT id FROM callbacks")}
    assert ids == {raw.id for raw in raws if raw is not refused} | (ids - {r.id for r in raws})
    assert len(ids) == 1000  # 999 good ones and the surrogate one
    assert replayed == 1001
    stats = spool.stats()
    assert (stats.entries, stats.files) == (0, 0)
    quarantined = list(spool.quarantined())
    reasons = sorted(entry.reason.split(":")[0] for entry in quarantined)
    assert len(quarantined) == 1 + 1 + 300  # the refused one, the torn line, the id-only lines
    assert reasons.count("ValueError") == 1
    [entry] = [entry for entry in quarantined if entry.raw is not None]
    assert entry.raw == refused
    assert stats.quarantined == len(quarantined)


def test_quarantined_entries_can_be_requeued_after_a_fix(
    db: psycopg.Connection[Any], database_url: str, tmp_path: Path
) -> None:
    spool = Spool(tmp_path / "spool")
    raw = raw_callback(good(1), {})
    spool.quarantine(raw, "refused by Postgres")
    (tmp_path / "spool" / "quarantine.jsonl").open("ab").write(b"garbage\n")
    assert spool.stats().quarantined == 2
    assert spool.requeue() == 1
    assert spool.stats().entries == 1
    assert [entry.unreadable for entry in spool.quarantined()] == [b"garbage\n"]

    async def replay() -> int:
        pool = open_pool(database_url, 2)
        await pool.open()
        try:
            return await Writer(pool, spool, database_url).recover()
        finally:
            await pool.close()

    assert asyncio.run(replay()) == 1
    assert rows(db, "SELECT id FROM callbacks") == [{"id": raw.id}]


def _fields(raw: RawCallback) -> dict[str, Any]:
    return {name: getattr(raw, name) for name in RawCallback.__slots__}


def test_spool_lines_keep_a_surrogate_as_an_escape(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    raw = RawCallback(
        new_callback_id(), now_utc(), "smartswitch", "POST", "q=\ud800", {}, None, b"\xff"
    )
    spool.append([raw])
    [line] = next(tmp_path.glob("*.spool")).read_bytes().splitlines()
    assert b"\\ud800" in line
    assert base64.b64decode(json.loads(line)["body"]) == b"\xff"
