"""The ack path's one write: raw requests into `callbacks`, queued for the projector.

One statement per group commit (writer.py), so on an autocommit connection one atomic round
trip. Idempotent by callback id: a spool replay of a commit that had in fact succeeded stores
and queues nothing twice.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from psycopg import AsyncConnection

from receiver.arrays import storable, unnest
from receiver.callback import RawCallback

__all__ = ["store_raw"]

_CALLBACK_COLUMNS = (
    ("id", "uuid"),
    ("received_at", "timestamptz"),
    ("provider", "text"),
    ("method", "text"),
    ("query", "text"),
    ("headers", "jsonb"),
    ("content_type", "text"),
    ("body", "bytea"),
    ("parse_error", "text"),
)
_CALLBACK_NAMES = ", ".join(name for name, _ in _CALLBACK_COLUMNS)

# The ack path's one statement: the raw requests, and their places in the projection queue.
# A callback stored before (a spool replay of a commit that had in fact succeeded) is neither
# stored nor queued again; one stored now was never projected, so its queue row is fresh.
_STORE_RAW = f"""
WITH stored AS (
    INSERT INTO callbacks ({_CALLBACK_NAMES})
    SELECT {_CALLBACK_NAMES} FROM {unnest(_CALLBACK_COLUMNS)}
    ON CONFLICT (id) DO NOTHING
    RETURNING id
)
INSERT INTO projection_queue (callback_id, fresh) SELECT id, true FROM stored
"""
_STORE_RAW_UNQUEUED = f"""
INSERT INTO callbacks ({_CALLBACK_NAMES})
SELECT {_CALLBACK_NAMES} FROM {unnest(_CALLBACK_COLUMNS)}
ON CONFLICT (id) DO NOTHING
"""


def _headers_json(headers: dict[str, str]) -> str:
    """The headers as JSON for jsonb, which refuses the escapes a NUL or a lone surrogate
    becomes. json.dumps escapes every non-ASCII character, so output without a `\\u` escape
    has neither, and the per-value check is needed only when one is there."""
    text = json.dumps(headers)
    if "\\u" not in text:
        return text
    return json.dumps({storable(k): storable(v) for k, v in headers.items()})


def _columns(raws: Sequence[RawCallback], errors: Sequence[str | None]) -> dict[str, Any]:
    """One list per column of `callbacks`, as `unnest` takes them (arrays.py)."""
    return {
        "id": [raw.id for raw in raws],
        "received_at": [raw.received_at for raw in raws],
        "provider": [storable(raw.provider) for raw in raws],
        "method": [storable(raw.method) for raw in raws],
        "query": [storable(raw.query) for raw in raws],
        "headers": [_headers_json(raw.headers) for raw in raws],
        "content_type": [storable(raw.content_type) for raw in raws],
        "body": [raw.body for raw in raws],
        "parse_error": [storable(error) for error in errors],
    }


async def store_raw(
    conn: AsyncConnection[Any],
    raws: Sequence[RawCallback],
    *,
    queue: bool = True,
    parse_errors: Sequence[str | None] | None = None,
) -> None:
    """Store raw requests as received, queued for the projector (`queue`): all the ack path
    writes. One statement, so on an autocommit connection one atomic round trip."""
    errors = parse_errors if parse_errors is not None else [None] * len(raws)
    if len(errors) != len(raws):
        raise ValueError("one parse error (or None) per callback")
    await conn.execute(_STORE_RAW if queue else _STORE_RAW_UNQUEUED, _columns(raws, errors))
