"""Where stored callbacks become events, messages and replies: the projection's statement.

`project` writes what the projector (projector.py) normalized from stored callbacks;
`write_batch` stores the raw requests too (ingest/raw_store.py) and projects them at once, for
tools and tests. Every insert is idempotent: events and inbound messages by a digest of their
identity, so a provider's retry, a spool replay or a re-projection is stored once.

The status projection is the `messages` upsert in `_STORE_BATCH`, in SQL, so it is correct
when several connections commit events for one message at the same moment: ON CONFLICT DO
UPDATE locks the row and compares against the latest committed state, never a stale snapshot.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection

from receiver.arrays import arrays, unnest
from receiver.callback import Accepted
from receiver.config import AlertSettings
from receiver.ingest.raw_store import store_raw
from receiver.projection.alert_rules import Alert, failure_alerts, opt_out_alerts, raise_alerts
from receiver.projection.partitions import (
    BOUNDARY_GRACE,
    BOUNDARY_LOCK_SQL,
    boundary_locks,
    received_month,
)
from receiver.records import KEYLESS_PREFIX, DeliveryEvent, InboundMessage, keyless_key
from receiver.status import Status

__all__ = ["Rows", "WriteResult", "dedup_key", "digests", "project", "rows_of", "write_batch"]

# Columns and their Postgres types. Each batch is written with one multi-row statement per
# table, whose rows arrive as one array per column (unnest keeps their order).
_EVENT_COLUMNS = (
    ("callback_id", "uuid"),
    ("provider", "text"),
    ("message_key", "text"),
    ("message_id", "text"),
    ("client_ref", "text"),
    ("recipient", "text"),
    ("status", "text"),
    ("provider_status", "text"),
    ("error_code", "text"),
    ("error_detail", "text"),
    ("occurred_at", "timestamptz"),
    ("occurred_at_raw", "text"),
    ("received_at", "timestamptz"),
    ("dedup_key", "bytea"),
    ("received_month", "date"),
)
_INBOUND_COLUMNS = (
    ("callback_id", "uuid"),
    ("provider", "text"),
    ("message_id", "text"),
    ("sender", "text"),
    ("recipient", "text"),
    ("text", "text"),
    ("occurred_at", "timestamptz"),
    ("occurred_at_raw", "text"),
    ("received_at", "timestamptz"),
    ("related_message_id", "text"),
    ("related_client_ref", "text"),
    ("is_opt_out", "boolean"),
    ("keyword", "text"),
    ("dedup_key", "bytea"),
    ("received_month", "date"),
)


# Deduplication across months. Each unique key includes received_month (the partition key), so
# within a month a retry meets its original in ON CONFLICT. A retry received in the month
# before or after its original's has a received_month of its own: these conditions look for
# the digest (which covers the message key) in those two months, two index probes pruned to two
# partitions, and skip the row if found. OFFSET 0 keeps each a per-row probe rather than a join
# against whole tables. A retry up to 28 days after the original is always within one month of
# it. Two projections of one digest on both sides of a boundary at once are serialized by the
# boundary locks (partitions.boundary_locks).
_NEIGHBOURS = (
    "(input.received_month - interval '1 month')::date,"
    " (input.received_month + interval '1 month')::date"
)
_EVENT_SEEN_NEARBY = f"""EXISTS (
        SELECT FROM delivery_events e
        WHERE e.provider = input.provider AND e.dedup_key = input.dedup_key
          AND e.received_month IN ({_NEIGHBOURS})
        OFFSET 0)"""
_INBOUND_NAMES = ", ".join(name for name, _ in _INBOUND_COLUMNS)
_INSERT_INBOUND = f"""
INSERT INTO inbound_messages ({_INBOUND_NAMES})
SELECT {_INBOUND_NAMES} FROM {unnest(_INBOUND_COLUMNS).replace(" AS row(", " AS input(")}
WHERE NOT EXISTS (
    SELECT FROM inbound_messages i
    WHERE i.provider = input.provider AND i.dedup_key = input.dedup_key
      AND i.received_month IN ({_NEIGHBOURS})
    OFFSET 0)
ON CONFLICT (provider, dedup_key, received_month) DO NOTHING
RETURNING provider, dedup_key
"""
# What the projection needs beyond the event's own columns.
_EVENT_INPUT_COLUMNS = (
    *_EVENT_COLUMNS,
    ("status_rank", "smallint"),
    ("status_at", "timestamptz"),
    ("delivered_at", "timestamptz"),
    ("final_at", "timestamptz"),
)
_EVENT_NAMES = ", ".join(name for name, _ in _EVENT_COLUMNS)

# The incoming event sets the current status when it ranks higher, or ranks the same and is not
# older. Ranks (status.py) put every final status above every non-final one, and unknown lowest
# among finals, so the current status never moves backwards whatever order events arrive in.
_INCOMING_WINS = (
    "(EXCLUDED.status_rank > m.status_rank OR "
    "(EXCLUDED.status_rank = m.status_rank AND EXCLUDED.status_at >= m.status_at))"
)


def _current(column: str) -> str:
    return f"{column} = CASE WHEN {_INCOMING_WINS} THEN EXCLUDED.{column} ELSE m.{column} END"


# One statement stores a whole batch: callbacks, new events, and the messages projection. As a
# single statement it is atomic without BEGIN/COMMIT round trips.
#
# `folded` reduces the batch's new events to one row per message by the same rule the upsert
# applies (rank, then event time, then arrival), with counts and time bounds, so the upsert
# touches each message once. Events that name no message (a keyless key, records.py) are
# stored but fold into no message. Its ORDER BY makes every event insert finish before the first
# message is locked, and messages are locked in key order: see write_batch on deadlocks.
#
# In the upsert every SET expression sees the row as it was before, so the CASEs all compare
# against the old rank and time whatever their order.
#
# `late_hours` and `late_days` log the dashboard buckets this statement changes that were over
# when it began (rollups.py): the hour of each late event, and for each final message the days
# of its final_at and delivered_at and every day from there to its last event, which covers the
# days they had before (both only move earlier, never past the last event). That range is cut to
# the last _LATE_DAYS_SPAN, so a provider clock stuck in 1970 cannot log 20,000 days.
_LATE_DAYS_SPAN = "31 days"
_STORE_BATCH = f"""
WITH input AS (
    SELECT * FROM unnest({", ".join(f"%({n})b::{k}[]" for n, k in _EVENT_INPUT_COLUMNS)})
        WITH ORDINALITY AS row({", ".join(n for n, _ in _EVENT_INPUT_COLUMNS)}, arrival)
), new_events AS (
    INSERT INTO delivery_events ({_EVENT_NAMES})
    SELECT {_EVENT_NAMES} FROM input WHERE NOT {_EVENT_SEEN_NEARBY}
    ORDER BY arrival
    ON CONFLICT (provider, dedup_key, message_key, received_month) DO NOTHING
    RETURNING provider, dedup_key
), fresh AS (
    SELECT input.* FROM input JOIN new_events USING (provider, dedup_key)
), folded AS (
    SELECT DISTINCT ON (provider, message_key)
        provider, message_key, status, status_rank, status_at, provider_status, error_code,
        error_detail,
        min(message_id) OVER w AS message_id,
        min(client_ref) OVER w AS client_ref,
        min(recipient) OVER w AS recipient,
        min(status_at) OVER w AS first_event_at,
        max(status_at) OVER w AS last_event_at,
        max(received_at) OVER w AS last_received_at,
        min(delivered_at) OVER w AS delivered_at,
        min(final_at) OVER w AS final_at,
        count(*) OVER w AS event_count
    FROM fresh
    WHERE NOT starts_with(message_key, '{KEYLESS_PREFIX}')
    WINDOW w AS (PARTITION BY provider, message_key)
    ORDER BY provider, message_key, status_rank DESC, status_at DESC, arrival DESC
), projected AS (
    INSERT INTO messages AS m (provider, message_key, message_id, client_ref, recipient, status,
                               status_rank, status_at, provider_status, error_code,
                               error_detail, first_event_at, last_event_at, last_received_at,
                               delivered_at, final_at, event_count)
    SELECT provider, message_key, message_id, client_ref, recipient, status, status_rank,
           status_at, provider_status, error_code, error_detail, first_event_at,
           last_event_at, last_received_at, delivered_at, final_at, event_count
    FROM folded
    ORDER BY provider, message_key
    ON CONFLICT (provider, message_key) DO UPDATE SET
        {_current("status")},
        {_current("status_rank")},
        {_current("status_at")},
        {_current("provider_status")},
        {_current("error_code")},
        {_current("error_detail")},
        message_id = coalesce(m.message_id, EXCLUDED.message_id),
        client_ref = coalesce(m.client_ref, EXCLUDED.client_ref),
        recipient = coalesce(m.recipient, EXCLUDED.recipient),
        first_event_at = least(m.first_event_at, EXCLUDED.first_event_at),
        last_event_at = greatest(m.last_event_at, EXCLUDED.last_event_at),
        last_received_at = greatest(m.last_received_at, EXCLUDED.last_received_at),
        delivered_at = least(m.delivered_at, EXCLUDED.delivered_at),
        final_at = least(m.final_at, EXCLUDED.final_at),
        event_count = m.event_count + EXCLUDED.event_count
    RETURNING provider, message_key, status, status_at, final_at, delivered_at, last_event_at
), late_hours AS (
    INSERT INTO rollup_dirty_hours (hour)
    SELECT DISTINCT (date_trunc('hour', received_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
    FROM fresh
    WHERE received_at < (date_trunc('hour', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
), late_days AS (
    INSERT INTO rollup_dirty_days (day)
    SELECT DISTINCT touched.day FROM projected CROSS JOIN LATERAL (
        SELECT (date_trunc('day', final_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
        UNION ALL SELECT (date_trunc('day', delivered_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
        UNION ALL SELECT generate_series(
            greatest((date_trunc('day', final_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'),
                     (date_trunc('day', last_event_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
                         - interval '{_LATE_DAYS_SPAN}'),
            (date_trunc('day', last_event_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'),
            interval '24 hours')
    ) AS touched (day)
    WHERE final_at < (date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
      AND touched.day < (date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
)
SELECT fresh.provider, fresh.dedup_key, projected.status, projected.status_at
FROM fresh LEFT JOIN projected USING (provider, message_key)
"""


# _PLANNED_PER_BATCH: _STORE_BATCH is never prepared, so Postgres plans it for the batch it
# gets. Prepared, it soon runs a generic plan, which takes each unnest() to yield 10 rows
# whatever the arrays hold: for a batch of 1,000 it then joins `fresh` to `projected` by a
# nested loop, a million comparisons (0.1 s of a 0.12 s statement), where planning it costs
# about 0.7 ms (pg_stat_statements, batches of 1,000).


def dedup_key(*parts: object) -> bytes:
    """128-bit digest of an event's identity; parts are joined unambiguously."""
    text = "\x1f".join("" if part is None else str(part) for part in parts)
    # surrogatepass: a lone surrogate (see storable) still gives a digest of its own.
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _event_row(item: Accepted, event: DeliveryEvent) -> dict[str, Any]:
    raw = item.raw
    key = event.message_key
    status_at = event.occurred_at or raw.received_at
    # Without a message key, only the same request body can be the same event.
    body_identity = None if key else hashlib.blake2b(raw.query.encode() + raw.body).hexdigest()
    digest = (
        dedup_key("event", key, event.event_id, event.recipient)
        if event.event_id
        else dedup_key(
            key,
            body_identity,
            event.recipient,
            event.status.value,
            event.provider_status,
            event.error_code,
            event.occurred_at_raw or event.occurred_at,
        )
    )
    return {
        "callback_id": raw.id,
        "provider": raw.provider,
        # An event that names no message still has a key (the distribution column, never
        # null), of its own: from its digest, so a retry or re-projection gets the same one.
        "message_key": key or keyless_key(digest),
        "message_id": event.message_id,
        "client_ref": event.client_ref,
        "recipient": event.recipient,
        "status": event.status.value,
        "status_rank": event.status.rank,
        "status_at": status_at,
        "provider_status": event.provider_status,
        "error_code": event.error_code,
        "error_detail": event.error_detail,
        "occurred_at": event.occurred_at,
        "occurred_at_raw": event.occurred_at_raw,
        "received_at": raw.received_at,
        "received_month": received_month(raw.received_at),
        "delivered_at": status_at if event.status is Status.DELIVERED else None,
        "final_at": status_at if event.status.is_final else None,
        "dedup_key": digest,
    }


def _inbound_row(item: Accepted, message: InboundMessage) -> dict[str, Any]:
    raw = item.raw
    identity: tuple[object, ...] = (
        ("id", message.message_id)
        if message.message_id
        else ("content", message.sender, message.recipient, message.text, message.occurred_at_raw)
    )
    return {
        "callback_id": raw.id,
        "provider": raw.provider,
        "message_id": message.message_id,
        "sender": message.sender,
        "recipient": message.recipient,
        "text": message.text,
        "occurred_at": message.occurred_at,
        "occurred_at_raw": message.occurred_at_raw,
        "received_at": raw.received_at,
        "received_month": received_month(raw.received_at),
        "related_message_id": message.related_message_id,
        "related_client_ref": message.related_client_ref,
        "is_opt_out": message.is_opt_out,
        "keyword": message.keyword,
        "dedup_key": dedup_key(*identity),
    }


@dataclass(frozen=True, slots=True)
class Rows:
    """A batch's event and inbound rows, in batch order, built once: for the insert, and for
    the projector's removal of what its callbacks stored before but no longer yield."""

    events: list[dict[str, Any]]
    inbound: list[dict[str, Any]]


def rows_of(batch: Sequence[Accepted]) -> Rows:
    return Rows(
        [_event_row(item, event) for item in batch for event in item.normalized.events],
        [_inbound_row(item, message) for item in batch for message in item.normalized.inbound],
    )


def digests(item: Accepted) -> tuple[list[bytes], list[bytes]]:
    """The dedup keys of the events and of the inbound messages `item` stores."""
    rows = rows_of([item])
    return [row["dedup_key"] for row in rows.events], [row["dedup_key"] for row in rows.inbound]


def _inserted_rows(
    rows: list[dict[str, Any]], inserted: set[tuple[str, bytes]]
) -> list[dict[str, Any]]:
    """The rows the insert returned, once each: a retry may share a batch with its original."""
    taken = []
    for row in rows:
        key = (row["provider"], row["dedup_key"])
        if key in inserted:
            inserted.discard(key)
            taken.append(row)
    return taken


@dataclass(frozen=True, slots=True)
class WriteResult:
    #: Callbacks that carried events, all of which were already stored (provider retries).
    duplicates: frozenset[UUID]


async def write_batch(
    conn: AsyncConnection[Any], batch: Sequence[Accepted], alerts: AlertSettings | None = None
) -> WriteResult:
    """Store `batch`, raw and projected, in one transaction, bypassing the projection queue:
    for tools and tests that normalize callbacks themselves."""
    async with conn.transaction():
        await store_raw(
            conn,
            [item.raw for item in batch],
            queue=False,
            parse_errors=[item.parse_error for item in batch],
        )
        return await project(conn, batch, alerts)


async def project(
    conn: AsyncConnection[Any],
    batch: Sequence[Accepted],
    alerts: AlertSettings | None = None,
    rows: Rows | None = None,
) -> WriteResult:
    """Project stored callbacks: events, messages, replies, rollup logs, and per-message alerts
    if enabled. The callbacks must be in `callbacks` already.

    On a connection in autocommit mode the common case is one statement, so one round trip;
    replies and alerts add statements inside a transaction. Inside a caller's transaction it
    simply takes part in it.

    Deadlock freedom: every lock is taken in one global order per kind (month boundary, event
    digest, message key, inbound digest, alert key), all of one kind before the next, and a
    transaction waiting on a lock of one kind holds none of a later kind that another
    transaction could be waiting for. Callback ids are unique, except for a spool replay,
    which waits on the original's events before it reaches the callbacks.
    """
    built = rows if rows is not None else rows_of(batch)  # `rows`: rows_of(batch) already
    # A retry may share the batch with its original: send each event once.
    unique: dict[tuple[str, bytes], dict[str, Any]] = {}
    for row in built.events:
        unique.setdefault((row["provider"], row["dedup_key"]), row)
    events = sorted(unique.values(), key=lambda row: (row["provider"], row["dedup_key"]))
    inbound = sorted(built.inbound, key=lambda row: (row["provider"], row["dedup_key"]))
    alerting = alerts is not None and alerts.enabled
    statuses = alerts.statuses if alerts is not None and alerting else frozenset()
    may_alert = alerting and (bool(inbound) or any(row["status"] in statuses for row in events))

    if not events and not inbound:
        return WriteResult(frozenset())  # nothing to project (parse errors, unknown shapes)
    params = arrays(events, _EVENT_INPUT_COLUMNS)
    locks = boundary_locks(row["received_at"] for row in [*events, *inbound])
    async with contextlib.AsyncExitStack() as stack:
        if inbound or may_alert or locks:
            await stack.enter_async_context(conn.transaction())
        cur = await stack.enter_async_context(conn.cursor())
        for lock in locks:  # first, before any row lock: see boundary_locks
            await cur.execute(
                BOUNDARY_LOCK_SQL,
                {
                    "key": lock.key,
                    "exclusive": lock.exclusive,
                    "before": lock.before,
                    "after": lock.after,
                    "boundary": lock.boundary,
                    "grace": BOUNDARY_GRACE,
                },
            )
        await cur.execute(_STORE_BATCH, params, prepare=False)  # see _PLANNED_PER_BATCH
        current = {(p, bytes(k)): (status, at) for p, k, status, at in await cur.fetchall()}
        new_events = [row for row in events if (row["provider"], row["dedup_key"]) in current]
        raised: list[Alert] = []
        if alerting:
            assert alerts is not None
            raised += failure_alerts(new_events, current, alerts)
        if inbound:
            await cur.execute(_INSERT_INBOUND, arrays(inbound, _INBOUND_COLUMNS))
            if alerting:
                assert alerts is not None
                new_inbound = {(p, bytes(k)) for p, k in await cur.fetchall()}
                raised += opt_out_alerts(_inserted_rows(inbound, new_inbound), alerts)
        if raised:
            assert alerts is not None
            await raise_alerts(cur, raised, alerts)

    # Callbacks whose events all matched ones stored before (or earlier in this batch).
    fresh = {row["callback_id"] for row in new_events}
    duplicates = {item.raw.id for item in batch if item.normalized.events} - fresh
    return WriteResult(duplicates=frozenset(duplicates))
