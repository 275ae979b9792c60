"""Re-reading stored raw requests: what an older adapter could not read becomes events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest

from receiver.callback import RawCallback, new_callback_id, normalize
from receiver.projection.reparse import reparse
from receiver.projection.store import write_batch
from receiver.providers import smartswitch
from receiver.status import Status
from tests.conftest import ADAPTERS, rows
from tests.test_rollups import VIEWS, assert_views_match_live, run_rollups

# Smartswitch DLR push, verbatim body from redmine.streamco.org/projects/smartswitch-public/
# wiki/HTTP_API_deliver_delivery_receipt.
BODY = b"message_id=1561371433517&message_state=delivered"


async def test_reparse_adds_what_is_now_understood_once(
    db: psycopg.Connection[Any], database_url: str
) -> None:
    # As stored by an adapter that could not read it at the time.
    db.execute(
        "INSERT INTO callbacks (id, received_at, provider, method, content_type, body,"
        " parse_error) VALUES ('019b8000-0000-7000-8000-0000000000cc', now(), 'smartswitch',"
        " 'POST', 'application/x-www-form-urlencoded', %s, 'unknown format')",
        (BODY,),
    )
    first = await reparse(database_url, ADAPTERS, only_errors=True)
    assert (first.callbacks, first.events, first.errors) == (1, 1, 0)
    [callback] = rows(db, "SELECT parse_error FROM callbacks")
    assert callback["parse_error"] is None
    [message] = rows(db, "SELECT message_id, status FROM messages")
    assert message == {"message_id": "1561371433517", "status": "delivered"}

    again = await reparse(database_url, ADAPTERS)
    assert (again.callbacks, again.events) == (1, 0)
    assert rows(db, "SELECT event_count FROM messages")[0]["event_count"] == 1


async def test_reparse_replaces_what_an_older_mapping_read(
    db: psycopg.Connection[Any], database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An adapter that did not know "delivered" stored `unknown`; once it knows, reparse
    leaves no `unknown` beside the `delivered`, recomputes the messages, and the rollups
    still equal their live views."""
    older = {k: v for k, v in smartswitch.MESSAGE_STATES.items() if k != "delivered"}
    monkeypatch.setattr(smartswitch, "MESSAGE_STATES", older)
    two_days_ago = datetime.now(UTC) - timedelta(days=2)
    for message_id, states in (("m1", ["enroute", "delivered"]), ("m2", ["delivered"])):
        for n, state in enumerate(states):
            body = f"message_id={message_id}&message_state={state}".encode()
            await _store(database_url, body, two_days_ago + timedelta(minutes=n))
    await run_rollups(database_url)
    for view, bucket in VIEWS.items():  # no delivery yet, so the latency view is empty
        order = f"ORDER BY provider, {bucket}"
        assert rows(db, f"SELECT * FROM {view} {order}") == rows(
            db, f"SELECT * FROM {view}_live {order}"
        )
    assert rows(db, "SELECT count(*) AS n FROM delivery_stats_hourly_rollup")[0]["n"] > 0
    assert {r["status"] for r in rows(db, "SELECT status FROM messages")} == {"unknown"}

    monkeypatch.setattr(smartswitch, "MESSAGE_STATES", {**older, "delivered": Status.DELIVERED})
    counts = await reparse(database_url, ADAPTERS)
    assert (counts.callbacks, counts.events, counts.removed, counts.recomputed) == (3, 2, 2, 2)
    events = rows(db, "SELECT message_id, status FROM delivery_events ORDER BY message_id, id")
    assert events == [
        {"message_id": "m1", "status": "sent"},
        {"message_id": "m1", "status": "delivered"},
        {"message_id": "m2", "status": "delivered"},
    ]
    messages = rows(
        db,
        "SELECT message_id, status, event_count, final_at IS NOT NULL AS final"
        " FROM messages ORDER BY message_id",
    )
    assert messages == [
        {"message_id": "m1", "status": "delivered", "event_count": 2, "final": True},
        {"message_id": "m2", "status": "delivered", "event_count": 1, "final": True},
    ]
    assert_views_match_live(db)  # at once: the touched buckets are aggregated live
    await run_rollups(database_url)
    assert_views_match_live(db)

    again = await reparse(database_url, ADAPTERS)
    assert (again.events, again.removed, again.recomputed) == (0, 0, 0)
    assert (
        rows(
            db,
            "SELECT message_id, status, event_count, final_at IS NOT NULL AS final"
            " FROM messages ORDER BY message_id",
        )
        == messages
    )


async def _store(database_url: str, body: bytes, received_at: datetime) -> None:
    raw = RawCallback(
        new_callback_id(received_at.timestamp()),
        received_at,
        "smartswitch",
        "POST",
        "",
        {},
        "application/x-www-form-urlencoded",
        body,
    )
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        await write_batch(conn, [normalize(raw, ADAPTERS)])
