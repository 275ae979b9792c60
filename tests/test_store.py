"""The messages projection: ordering, duplicates and real concurrent connections."""

from __future__ import annotations

import asyncio
import itertools
import random
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest

from receiver.callback import Accepted, RawCallback, new_callback_id
from receiver.projection.store import digests, write_batch
from receiver.records import (
    KEYLESS_PREFIX,
    DeliveryEvent,
    Normalized,
    is_keyless,
    keyless_key,
    message_key,
)
from receiver.status import Status
from tests.conftest import rows

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def accepted(*events: DeliveryEvent) -> Accepted:
    raw = RawCallback(
        id=new_callback_id(),
        received_at=datetime.now(UTC),
        provider="smartswitch",
        method="POST",
        query="",
        headers={},
        content_type=None,
        body=b"",
    )
    return Accepted(raw, Normalized(events=events), None)


def event(status: Status, minute: int | None, message_id: str = "m1") -> DeliveryEvent:
    when = None if minute is None else T0 + timedelta(minutes=minute)
    return DeliveryEvent(
        status=status,
        provider_status=status.value.upper(),
        message_id=message_id,
        occurred_at=when,
        occurred_at_raw=None if when is None else when.isoformat(),
    )


async def write(database_url: str, *items: Accepted) -> None:
    async with await psycopg.AsyncConnection.connect(database_url) as conn, conn.transaction():
        await write_batch(conn, items)


def current(db: psycopg.Connection[Any], message_id: str = "m1") -> dict[str, Any]:
    [row] = rows(db, "SELECT * FROM messages WHERE message_id = %s", message_id)
    return row


LIFECYCLE = [event(Status.QUEUED, 0), event(Status.SENT, 1), event(Status.DELIVERED, 5)]


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
async def test_any_arrival_order_ends_delivered(
    db: psycopg.Connection[Any], database_url: str, order: tuple[int, ...]
) -> None:
    for index in order:
        await write(database_url, accepted(LIFECYCLE[index]))
    message = current(db)
    assert message["status"] == "delivered"
    assert message["provider_status"] == "DELIVERED"
    assert message["event_count"] == 3
    assert message["first_event_at"] == T0
    assert message["last_event_at"] == T0 + timedelta(minutes=5)
    assert message["delivered_at"] == T0 + timedelta(minutes=5)


async def test_late_non_final_never_replaces_final(
    db: psycopg.Connection[Any], database_url: str
) -> None:
    await write(database_url, accepted(event(Status.UNDELIVERED, 3)))
    await write(database_url, accepted(event(Status.SENT, 9)))  # newer time, but non-final
    await write(database_url, accepted(event(Status.QUEUED, None)))
    message = current(db)
    assert message["status"] == "undelivered"
    assert message["event_count"] == 3
    assert message["final_at"] == T0 + timedelta(minutes=3)


async def test_unknown_is_the_weakest_final(db: psycopg.Connection[Any], database_url: str) -> None:
    await write(database_url, accepted(event(Status.UNKNOWN, 1, "a")))
    await write(database_url, accepted(event(Status.SENT, 2, "a")))
    assert current(db, "a")["status"] == "unknown"
    await write(database_url, accepted(event(Status.DELIVERED, 0, "a")))  # even an older one
    assert current(db, "a")["status"] == "delivered"

    await write(database_url, accepted(event(Status.EXPIRED, 1, "b")))
    await write(database_url, accepted(event(Status.UNKNOWN, 5, "b")))
    assert current(db, "b")["status"] == "expired"


async def test_later_final_replaces_earlier_final_by_event_time(
    db: psycopg.Connection[Any], database_url: str
) -> None:
    await write(database_url, accepted(event(Status.UNDELIVERED, 10)))
    await write(database_url, accepted(event(Status.DELIVERED, 4)))  # arrives late, happened first
    message = current(db)
    assert message["status"] == "undelivered"
    assert message["delivered_at"] == T0 + timedelta(minutes=4)
    assert message["final_at"] == T0 + timedelta(minutes=4)


async def test_duplicates_in_one_batch_and_across_batches_count_once(
    db: psycopg.Connection[Any], database_url: str
) -> None:
    sent, delivered = event(Status.SENT, 1), event(Status.DELIVERED, 2)
    await write(database_url, accepted(sent), accepted(sent), accepted(delivered))
    await write(database_url, accepted(delivered), accepted(sent))
    assert current(db)["event_count"] == 2
    assert len(rows(db, "SELECT id FROM delivery_events")) == 2
    assert len(rows(db, "SELECT id FROM callbacks")) == 5


async def test_concurrent_transactions_leave_the_right_status(
    db: psycopg.Connection[Any], database_url: str
) -> None:
    """Two connections write one message at once; the later committer must not win blindly."""
    for first, second in [(Status.DELIVERED, Status.SENT), (Status.SENT, Status.DELIVERED)]:
        message_id = f"race-{first}-{second}"
        async with (
            await psycopg.AsyncConnection.connect(database_url) as a,
            await psycopg.AsyncConnection.connect(database_url) as b,
        ):
            await a.execute("BEGIN")
            await write_batch(a, [accepted(event(first, 5, message_id))])
            await b.execute("BEGIN")
            # b blocks on a's row lock until a commits, then re-checks the committed row.
            blocked = asyncio.create_task(write_batch(b, [accepted(event(second, 1, message_id))]))
            await asyncio.sleep(0.2)
            assert not blocked.done()
            await a.commit()
            await blocked
            await b.commit()
        message = current(db, message_id)
        assert message["status"] == "delivered"
        assert message["event_count"] == 2


async def test_many_concurrent_writers_converge(
    db: psycopg.Connection[Any], database_url: str
) -> None:
    rng = random.Random(7)
    statuses = [Status.QUEUED, Status.SENT, Status.SENT, Status.DELIVERED, Status.UNKNOWN]
    per_message = {
        f"msg-{n}": [event(s, minute, f"msg-{n}") for minute, s in enumerate(statuses)]
        for n in range(20)
    }
    work = [
        accepted(e) for events in per_message.values() for e in events for _ in range(2)
    ]  # each event twice: provider retries
    rng.shuffle(work)
    chunks = [work[i::8] for i in range(8)]
    await asyncio.gather(*(write(database_url, *chunk) for chunk in chunks))

    found = rows(db, "SELECT message_id, status, event_count FROM messages ORDER BY message_id")
    assert len(found) == 20
    assert all(row["status"] == "delivered" for row in found)
    # The two SENT events differ in time, so they are distinct; each retry collapses.
    assert all(row["event_count"] == len(statuses) for row in found)
    events = rows(db, "SELECT count(*) AS n FROM delivery_events")[0]["n"]
    assert events == 20 * len(statuses)


def keyless(body: bytes = b"stat:DELIVRD err:000") -> Accepted:
    """An SMPP receipt forwarded without its id: the event names no message."""
    from receiver.callback import normalize
    from tests.conftest import ADAPTERS

    raw = RawCallback(
        new_callback_id(), datetime.now(UTC), "smpp", "POST", "", {}, "text/plain", body
    )
    item = normalize(raw, ADAPTERS)
    assert [e.message_key for e in item.normalized.events] == [None]
    return item


async def test_an_event_naming_no_message_has_a_key_of_its_own_and_no_message(
    db: psycopg.Connection[Any], database_url: str
) -> None:
    first = keyless()
    await write(database_url, first)
    [stored] = rows(db, "SELECT message_key, dedup_key FROM delivery_events")
    assert stored["message_key"] == KEYLESS_PREFIX + bytes(stored["dedup_key"]).hex()
    assert stored["message_key"] == keyless_key(digests(first)[0][0])
    assert rows(db, "SELECT * FROM messages") == []

    # A provider retry (a new callback, the same body) is the same event, stored once.
    retry = keyless()
    async with await psycopg.AsyncConnection.connect(database_url) as conn, conn.transaction():
        result = await write_batch(conn, [retry])
    assert result.duplicates == {retry.raw.id}
    assert len(rows(db, "SELECT * FROM delivery_events")) == 1

    # Another body is another event, with another key; neither is a message.
    await write(database_url, keyless(b"stat:UNDELIV err:001"))
    keys = [r["message_key"] for r in rows(db, "SELECT message_key FROM delivery_events")]
    assert len(set(keys)) == 2 and all(is_keyless(k) for k in keys)
    assert rows(db, "SELECT * FROM messages") == []

    # Projected again from the stored callbacks, they keep their keys and stay out of messages.
    from receiver.projection.reparse import reparse
    from tests.conftest import ADAPTERS

    counts = await reparse(database_url, ADAPTERS)
    assert (counts.callbacks, counts.events, counts.removed) == (3, 0, 0)
    again = [r["message_key"] for r in rows(db, "SELECT message_key FROM delivery_events")]
    assert sorted(again) == sorted(keys)
    assert rows(db, "SELECT * FROM messages") == []


def test_no_real_message_key_looks_keyless() -> None:
    for key in (
        message_key("keyless:x", None, None),
        message_key(None, "keyless:x", "1"),
        message_key(None, "ref", None),
        DeliveryEvent(Status.SENT, "S", message_id="b", recipient="1", key="batch:b:1").message_key,
    ):
        assert key is not None and not is_keyless(key)
    assert is_keyless(None) and is_keyless(keyless_key(b"\0" * 16))


async def test_the_batch_statement_is_planned_for_each_batch(database_url: str) -> None:
    """Prepared, the batch statement soon runs a generic plan, which takes every unnest() to
    yield 10 rows and joins a batch of 1,000 to itself by a nested loop: it stays unprepared.
    The ack path's insert, a plain INSERT ... SELECT, is prepared as usual."""
    async with await psycopg.AsyncConnection.connect(database_url) as conn:
        for n in range((conn.prepare_threshold or 5) + 3):
            async with conn.transaction():
                await write_batch(conn, [accepted(event(Status.DELIVERED, n, f"plan-{n}"))])
        cur = await conn.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in await cur.fetchall()]
    assert any("INSERT INTO callbacks" in text for text in prepared)
    assert not any("INSERT INTO delivery_events" in text for text in prepared)
