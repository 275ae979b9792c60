"""Normalize stored callbacks again, e.g. after an adapter learned a new format or mapping.

Raw requests are kept for exactly this. Re-reading a callback makes what it stored match what
the adapter now reads: events and replies it no longer yields are removed, new ones are added
(recognised by their dedup key, so nothing is stored twice), and every message that lost an
event is recomputed from the events it has left, by the same rule the live projection applies.
The buckets of the dashboard rollups that this touches are logged as late, so the rollups stay
equal to their live views. Running it twice changes nothing the second time.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import psycopg

from receiver.callback import Accepted, RawCallback, normalize
from receiver.providers import Adapters
from receiver.store import digests, write_batch

__all__ = ["ReparseCounts", "reparse"]


@dataclass(frozen=True, slots=True)
class ReparseCounts:
    callbacks: int
    #: Events added.
    events: int
    errors: int
    #: Events removed: what the adapter read before and no longer reads.
    removed: int = 0
    #: Messages recomputed because they lost an event.
    recomputed: int = 0


_SELECT = """
SELECT id, received_at, provider, method, query, headers, content_type, body
FROM callbacks
WHERE id > %(after)s
  AND (%(provider)s::text IS NULL OR provider = %(provider)s)
  AND (NOT %(only_errors)s OR parse_error IS NOT NULL)
ORDER BY id
LIMIT %(limit)s
"""

# The events these callbacks stored that they no longer yield. Each removal from a closed hour
# is logged for the hourly rollup, as a late write is.
_REMOVE_EVENTS = """
WITH kept AS (
    SELECT * FROM unnest(%(callback_ids)s::uuid[], %(keys)s::bytea[]) AS k (callback_id, key)
), removed AS (
    DELETE FROM delivery_events e
    WHERE e.callback_id = ANY(%(ids)s::uuid[])
      AND NOT EXISTS (
          SELECT FROM kept WHERE kept.callback_id = e.callback_id AND kept.key = e.dedup_key
      )
    RETURNING e.provider, e.message_key, e.received_at
), late_hours AS (
    INSERT INTO rollup_dirty_hours (hour)
    SELECT DISTINCT date_trunc('hour', received_at, 'UTC') FROM removed
    WHERE received_at < date_trunc('hour', now(), 'UTC')
)
SELECT provider, message_key, count(*) FROM removed GROUP BY provider, message_key
"""

_REMOVE_INBOUND = """
DELETE FROM inbound_messages i
WHERE i.callback_id = ANY(%(ids)s::uuid[])
  AND NOT EXISTS (
      SELECT FROM unnest(%(callback_ids)s::uuid[], %(keys)s::bytea[]) AS k (callback_id, key)
      WHERE k.callback_id = i.callback_id AND k.key = i.dedup_key
  )
"""

# Days a message's row counts in (rollups.py): those of its final and delivery times, and every
# day from its final time to its last event, cut to the last 31 days as in store.py.
_TOUCHED_DAYS = """
SELECT date_trunc('day', m.final_at, 'UTC')
UNION ALL SELECT date_trunc('day', m.delivered_at, 'UTC')
UNION ALL SELECT generate_series(
    greatest(date_trunc('day', m.final_at, 'UTC'),
             date_trunc('day', m.last_event_at, 'UTC') - interval '31 days'),
    date_trunc('day', m.last_event_at, 'UTC'),
    interval '24 hours')
"""

# Rebuild each message from all its remaining events: the fold the live upsert applies one
# event at a time (the highest rank wins, then the later event time, then the later arrival),
# and identity fields from the first event that carried them. A message left with no events
# is removed. Both the old and the new row's days are logged for the daily rollups.
_RECOMPUTE = f"""
WITH affected AS (
    SELECT * FROM unnest(%(providers)s::text[], %(keys)s::text[]) AS a (provider, message_key)
), old AS (
    DELETE FROM messages m USING affected a
    WHERE m.provider = a.provider AND m.message_key = a.message_key
    RETURNING m.*
), events AS (
    SELECT e.*, coalesce(e.occurred_at, e.received_at) AS status_at,
           CASE e.status WHEN 'queued' THEN 1 WHEN 'sent' THEN 2 WHEN 'unknown' THEN 3
                ELSE 4 END AS status_rank
    FROM delivery_events e JOIN affected a USING (provider, message_key)
), totals AS (
    SELECT provider, message_key,
           (array_agg(message_id ORDER BY id) FILTER (WHERE message_id IS NOT NULL))[1]
               AS message_id,
           (array_agg(client_ref ORDER BY id) FILTER (WHERE client_ref IS NOT NULL))[1]
               AS client_ref,
           (array_agg(recipient ORDER BY id) FILTER (WHERE recipient IS NOT NULL))[1]
               AS recipient,
           min(status_at) AS first_event_at, max(status_at) AS last_event_at,
           max(received_at) AS last_received_at,
           min(status_at) FILTER (WHERE status = 'delivered') AS delivered_at,
           min(status_at) FILTER (WHERE status_rank >= 3) AS final_at,
           count(*) AS event_count
    FROM events GROUP BY provider, message_key
), current AS (
    SELECT DISTINCT ON (provider, message_key)
           provider, message_key, status, status_rank, status_at, provider_status,
           error_code, error_detail
    FROM events
    ORDER BY provider, message_key, status_rank DESC, status_at DESC, id DESC
), rebuilt AS (
    INSERT INTO messages (provider, message_key, message_id, client_ref, recipient, status,
                          status_rank, status_at, provider_status, error_code, error_detail,
                          first_event_at, last_event_at, last_received_at, delivered_at,
                          final_at, event_count)
    SELECT c.provider, c.message_key, t.message_id, t.client_ref, t.recipient, c.status,
           c.status_rank, c.status_at, c.provider_status, c.error_code, c.error_detail,
           t.first_event_at, t.last_event_at, t.last_received_at, t.delivered_at,
           t.final_at, t.event_count
    FROM current c JOIN totals t USING (provider, message_key)
    ORDER BY c.provider, c.message_key
    RETURNING *
), late_days AS (
    INSERT INTO rollup_dirty_days (day)
    SELECT DISTINCT touched.day
    FROM (SELECT final_at, delivered_at, last_event_at FROM old
          UNION ALL SELECT final_at, delivered_at, last_event_at FROM rebuilt) AS m
    CROSS JOIN LATERAL ({_TOUCHED_DAYS}) AS touched (day)
    WHERE m.final_at < date_trunc('day', now(), 'UTC')
      AND touched.day < date_trunc('day', now(), 'UTC')
)
SELECT count(*) FROM old
"""


async def reparse(
    database_url: str,
    adapters: Adapters,
    *,
    provider: str | None = None,
    only_errors: bool = False,
    chunk: int = 500,
) -> ReparseCounts:
    seen = errors = removed = recomputed = 0
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
                chunk_removed, chunk_recomputed = await _repair(conn, items)
                removed += chunk_removed
                recomputed += chunk_recomputed
                async with conn.cursor() as update:
                    await update.executemany(
                        "UPDATE callbacks SET parse_error = %s WHERE id = %s",
                        [(item.parse_error, item.raw.id) for item in items],
                    )
                seen += len(rows)
                errors += sum(1 for item in items if item.parse_error)
                after = rows[-1][0]
        events = await _count_events(conn) - before + removed
    return ReparseCounts(seen, events, errors, removed, recomputed)


async def _repair(conn: psycopg.AsyncConnection[Any], items: list[Accepted]) -> tuple[int, int]:
    """Make what `items` stored match what they now read; returns (events removed, messages
    recomputed). Inside the caller's transaction."""
    ids = [item.raw.id for item in items]
    event_keys: tuple[list[uuid.UUID], list[bytes]] = ([], [])
    inbound_keys: tuple[list[uuid.UUID], list[bytes]] = ([], [])
    for item in items:
        events, inbound = digests(item)
        event_keys[0].extend([item.raw.id] * len(events))
        event_keys[1].extend(events)
        inbound_keys[0].extend([item.raw.id] * len(inbound))
        inbound_keys[1].extend(inbound)
    cur = await conn.execute(
        _REMOVE_EVENTS, {"ids": ids, "callback_ids": event_keys[0], "keys": event_keys[1]}
    )
    counted = await cur.fetchall()
    removed = sum(row[2] for row in counted)
    affected = [row for row in counted if row[1] is not None]
    await conn.execute(
        _REMOVE_INBOUND, {"ids": ids, "callback_ids": inbound_keys[0], "keys": inbound_keys[1]}
    )
    await write_batch(conn, items)
    if not affected:
        return removed, 0
    cur = await conn.execute(
        _RECOMPUTE,
        {"providers": [row[0] for row in affected], "keys": [row[1] for row in affected]},
    )
    row = await cur.fetchone()
    return removed, int(row[0]) if row else 0


async def _count_events(conn: psycopg.AsyncConnection[Any]) -> int:
    cur = await conn.execute("SELECT count(*) FROM delivery_events")
    row = await cur.fetchone()
    return int(row[0]) if row else 0
