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

from receiver.arrays import arrays, storable, unnest
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
# stored nor queued again.
_STORE_RAW = f"""
WITH stored AS (
    INSERT INTO callbacks ({_CALLBACK_NAMES})
    SELECT {_CALLBACK_NAMES} FROM {unnest(_CALLBACK_COLUMNS)}
    ON CONFLICT (id) DO NOTHING
    RETURNING id
)
INSERT INTO projection_queue (callback_id) SELECT id FROM stored
"""
_STORE_RAW_UNQUEUED = f"""
INSERT INTO callbacks ({_CALLBACK_NAMES})
SELECT {_CALLBACK_NAMES} FROM {unnest(_CALLBACK_COLUMNS)}
ON CONFLICT (id) DO NOTHING
"""


def _callback_row(raw: RawCallback, parse_error: str | None) -> dict[str, Any]:
    return {
        "id": raw.id,
        "received_at": raw.received_at,
        "provider": raw.provider,
        "method": raw.method,
        "query": raw.query,
        # jsonb refuses the escapes that a NUL or lone surrogate would become.
        "headers": json.dumps({storable(k): storable(v) for k, v in raw.headers.items()}),
        "content_type": raw.content_type,
        "body": raw.body,
        "parse_error": parse_error,
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
    rows = [_callback_row(raw, error) for raw, error in zip(raws, errors, strict=True)]
    params = arrays(rows, _CALLBACK_COLUMNS)
    await conn.execute(_STORE_RAW if queue else _STORE_RAW_UNQUEUED, params)
