"""Normalize stored callbacks again, e.g. after an adapter learned a new format.

Raw requests are kept for exactly this. Re-reading is idempotent: events already stored are
recognised by their dedup key, so only what the adapters now understand is added.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import psycopg

from receiver.callback import RawCallback, normalize
from receiver.providers import Adapters
from receiver.store import write_batch

__all__ = ["ReparseCounts", "reparse"]


@dataclass(frozen=True, slots=True)
class ReparseCounts:
    callbacks: int
    events: int
    errors: int


_SELECT = """
SELECT id, received_at, provider, method, query, headers, content_type, body
FROM callbacks
WHERE id > %(after)s
  AND (%(provider)s::text IS NULL OR provider = %(provider)s)
  AND (NOT %(only_errors)s OR parse_error IS NOT NULL)
ORDER BY id
LIMIT %(limit)s
"""


async def reparse(
    database_url: str,
    adapters: Adapters,
    *,
    provider: str | None = None,
    only_errors: bool = False,
    chunk: int = 500,
) -> ReparseCounts:
    seen = errors = 0
    after = uuid.UUID(int=0)
    # Autocommit: each chunk commits on its own, so a long re-read holds no transaction open.
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        before = await _count_events(conn)
        while True:
            async with conn.transaction():
                cur = await conn.execute(
                    _SELECT,
                    {
                        "after": after,
                        "provider": provider,
                        "only_errors": only_errors,
                        "limit": chunk,
                    },
                )
                rows = await cur.fetchall()
                if not rows:
                    break
                items = [
                    normalize(
                        RawCallback(r[0], r[1], r[2], r[3], r[4], r[5], r[6], bytes(r[7])),
                        adapters,
                    )
                    for r in rows
                    if r[2] in adapters
                ]
                await write_batch(conn, items)
                async with conn.cursor() as update:
                    await update.executemany(
                        "UPDATE callbacks SET parse_error = %s WHERE id = %s",
                        [(item.parse_error, item.raw.id) for item in items],
                    )
                seen += len(rows)
                errors += sum(1 for item in items if item.parse_error)
                after = rows[-1][0]
        events = await _count_events(conn) - before
    return ReparseCounts(callbacks=seen, events=events, errors=errors)


async def _count_events(conn: psycopg.AsyncConnection[Any]) -> int:
    cur = await conn.execute("SELECT count(*) FROM delivery_events")
    row = await cur.fetchone()
    return int(row[0]) if row else 0
