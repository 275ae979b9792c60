"""Re-reading stored raw requests: what an older adapter could not read becomes events."""

from __future__ import annotations

from typing import Any

import psycopg

from receiver.reparse import reparse
from tests.conftest import ADAPTERS, rows

# Smartswitch DLR push, verbatim body from redmine.streamco.org/projects/smartswitch-public/
# wiki/HTTP_API_deliver_delivery_receipt.
BODY = b"message_id=1561371433517&message_state=delivered"


async def test_reparse_adds_what_is_now_understood_once(
    db: psycopg.Connection[Any], database_url: str
) -> None:
    # As stored by an adapter that could not read it at the time.
    db.execute(
        "INSERT INTO callbacks (id, received_at, provider, method, content_type, body,"
        " parse_error) VALUES ('00000000-0000-7000-8000-0000000000cc', now(), 'smartswitch',"
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
