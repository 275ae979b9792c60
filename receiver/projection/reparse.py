"""Normalize stored callbacks again, e.g. after an adapter learned a new format or mapping.

Raw requests are kept for exactly this, and re-reading them is the projector's own job
(projector.py): `reparse` puts the chosen callbacks back in the projection queue and projects
the queue until it is empty. The projector makes what each callback stored match what the
adapter now reads: events and replies it no longer yields go, new ones come (once, by their
dedup key), and every message that lost an event is rebuilt from the events it has left, with
the dashboard rollups told. Running it twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import psycopg

from receiver.db import open_pool
from receiver.projection.projector import Projector
from receiver.providers import Adapters

__all__ = ["ReparseCounts", "reparse"]


@dataclass(frozen=True, slots=True)
class ReparseCounts:
    #: Callbacks re-read (and any others the queue held).
    callbacks: int
    #: Events added.
    events: int
    #: Callbacks left with a parse error.
    errors: int
    #: Events removed: what an adapter read before and no longer reads.
    removed: int = 0
    #: Messages rebuilt because they lost an event.
    recomputed: int = 0


_QUEUE = """
INSERT INTO projection_queue (callback_id)
SELECT id FROM callbacks
WHERE provider = ANY(%(providers)s::text[])
  AND (%(provider)s::text IS NULL OR provider = %(provider)s)
  AND (NOT %(only_errors)s OR parse_error IS NOT NULL)
  AND body IS NOT NULL  -- cleared by RECEIVER_RAW_RETENTION: nothing to read again
ON CONFLICT DO NOTHING
"""


async def reparse(
    database_url: str,
    adapters: Adapters,
    *,
    provider: str | None = None,
    only_errors: bool = False,
    chunk: int = 500,
    on_queued: Callable[[int], None] | None = None,
    on_projected: Callable[[int], None] | None = None,
) -> ReparseCounts:
    """`on_queued` is told how many callbacks were queued, `on_projected` how many each batch
    projected (for progress)."""
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        before = await _count_events(conn)
        queued = await conn.execute(
            _QUEUE,
            {"providers": list(adapters), "provider": provider, "only_errors": only_errors},
        )
        if on_queued is not None:
            on_queued(max(queued.rowcount, 0))
        pool = open_pool(database_url, 1, name="receiver-reparse")
        await pool.open()
        try:
            # Each batch commits on its own, so a long re-read holds no transaction open.
            done = await Projector(pool, adapters, batch=chunk).catch_up(
                on_batch=None if on_projected is None else lambda c: on_projected(c.callbacks),
            )
        finally:
            await pool.close()
        added = await _count_events(conn) - before + done.removed
    return ReparseCounts(done.callbacks, added, done.parse_errors, done.removed, done.recomputed)


async def _count_events(conn: psycopg.AsyncConnection[Any]) -> int:
    cur = await conn.execute("SELECT count(*) FROM delivery_events")
    row = await cur.fetchone()
    return int(row[0]) if row else 0
