"""Where a callback becomes rows: raw request, events, the messages projection, inbound replies.

`write_batch` writes any number of accepted callbacks inside the caller's transaction, so one
request or a group-committed batch (see writer.py) or a spool replay all take the same path.
Every insert is idempotent: callbacks by their id, events and inbound messages by a digest of
their identity, so a retry from the provider or a replay from the spool is stored once.

The status projection is the `messages` upsert below (`_PROJECT`), in SQL, so it is correct
when several connections commit events for one message at the same moment: ON CONFLICT DO
UPDATE locks the row and compares against the latest committed state, never a stale snapshot.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from psycopg import AsyncConnection, AsyncCursor

from receiver.alerts import Alert, raise_alerts
from receiver.callback import Accepted
from receiver.config import AlertSettings
from receiver.records import DeliveryEvent, InboundMessage
from receiver.status import Status

__all__ = ["WriteResult", "dedup_key", "write_batch"]

_INSERT_CALLBACK = """
INSERT INTO callbacks (id, received_at, provider, method, query, headers, content_type, body,
                       parse_error)
VALUES (%(id)s, %(received_at)s, %(provider)s, %(method)s, %(query)s, %(headers)s,
        %(content_type)s, %(body)s, %(parse_error)s)
ON CONFLICT (id) DO NOTHING
"""

# The incoming event sets the current status when it ranks higher, or ranks the same and is not
# older. Ranks (status.py) put every final status above every non-final one, and unknown lowest
# among finals, so the current status never moves backwards whatever order events arrive in.
_INCOMING_WINS = (
    "(EXCLUDED.status_rank > m.status_rank OR "
    "(EXCLUDED.status_rank = m.status_rank AND EXCLUDED.status_at >= m.status_at))"
)


def _current(column: str) -> str:
    return f"{column} = CASE WHEN {_INCOMING_WINS} THEN EXCLUDED.{column} ELSE m.{column} END"


_INSERT_EVENT = """
INSERT INTO delivery_events (callback_id, provider, message_key, message_id, client_ref,
                             recipient, status, provider_status, error_code, error_detail,
                             occurred_at, occurred_at_raw, received_at, dedup_key)
VALUES (%(callback_id)s, %(provider)s, %(message_key)s, %(message_id)s, %(client_ref)s,
        %(recipient)s, %(status)s, %(provider_status)s, %(error_code)s, %(error_detail)s,
        %(occurred_at)s, %(occurred_at_raw)s, %(received_at)s, %(dedup_key)s)
ON CONFLICT (provider, dedup_key) DO NOTHING
RETURNING true
"""

_PROJECT = f"""
INSERT INTO messages AS m (provider, message_key, message_id, client_ref, recipient, status,
                           status_rank, status_at, provider_status, error_code, error_detail,
                           first_event_at, last_event_at, last_received_at, delivered_at,
                           final_at, event_count)
VALUES (%(provider)s, %(message_key)s, %(message_id)s, %(client_ref)s, %(recipient)s,
        %(status)s, %(status_rank)s, %(status_at)s, %(provider_status)s, %(error_code)s,
        %(error_detail)s, %(status_at)s, %(status_at)s, %(received_at)s, %(delivered_at)s,
        %(final_at)s, 1)
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
    event_count = m.event_count + 1
RETURNING status, status_at
"""
# Every SET expression sees the row as it was before this update, so the CASEs above all
# compare against the old rank and time whatever their order.

_INSERT_INBOUND = """
INSERT INTO inbound_messages (callback_id, provider, message_id, sender, recipient, text,
                              occurred_at, occurred_at_raw, received_at, related_message_id,
                              related_client_ref, is_opt_out, keyword, dedup_key)
VALUES (%(callback_id)s, %(provider)s, %(message_id)s, %(sender)s, %(recipient)s, %(text)s,
        %(occurred_at)s, %(occurred_at_raw)s, %(received_at)s, %(related_message_id)s,
        %(related_client_ref)s, %(is_opt_out)s, %(keyword)s, %(dedup_key)s)
ON CONFLICT (provider, dedup_key) DO NOTHING
RETURNING true
"""


def dedup_key(*parts: object) -> bytes:
    """128-bit digest of an event's identity; parts are joined unambiguously."""
    text = "\x1f".join("" if part is None else str(part) for part in parts)
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def _event_row(item: Accepted, event: DeliveryEvent) -> dict[str, Any]:
    raw = item.raw
    key = event.message_key
    status_at = event.occurred_at or raw.received_at
    # Without a message key, only the same request body can be the same event.
    body_identity = None if key else hashlib.blake2b(raw.query.encode() + raw.body).hexdigest()
    return {
        "callback_id": raw.id,
        "provider": raw.provider,
        "message_key": key,
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
        "delivered_at": status_at if event.status is Status.DELIVERED else None,
        "final_at": status_at if event.status.is_final else None,
        "dedup_key": dedup_key(
            key,
            body_identity,
            event.recipient,
            event.status.value,
            event.provider_status,
            event.error_code,
            event.occurred_at_raw or event.occurred_at,
        ),
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
        "related_message_id": message.related_message_id,
        "related_client_ref": message.related_client_ref,
        "is_opt_out": message.is_opt_out,
        "keyword": message.keyword,
        "dedup_key": dedup_key(*identity),
    }


async def _returned(cur: AsyncCursor[Any], rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """After executemany(returning=True): the row each statement returned, None if none."""
    results: list[Any] = []
    for _ in rows:
        results.append(await cur.fetchone())
        cur.nextset()
    return results


@dataclass(frozen=True, slots=True)
class WriteResult:
    #: Callbacks that carried events, all of which were already stored (provider retries).
    duplicates: frozenset[UUID]


async def write_batch(
    conn: AsyncConnection[Any], batch: Sequence[Accepted], alerts: AlertSettings | None = None
) -> WriteResult:
    """Write `batch` in the caller's transaction, raising per-message alerts if enabled."""
    callbacks: list[dict[str, Any]] = [
        {
            "id": item.raw.id,
            "received_at": item.raw.received_at,
            "provider": item.raw.provider,
            "method": item.raw.method,
            "query": item.raw.query,
            "headers": json.dumps(item.raw.headers),
            "content_type": item.raw.content_type,
            "body": item.raw.body,
            "parse_error": item.parse_error,
        }
        for item in batch
    ]
    events = [_event_row(item, event) for item in batch for event in item.normalized.events]
    inbound = [_inbound_row(item, msg) for item in batch for msg in item.normalized.inbound]
    # Deadlock freedom: each phase below takes its locks in one global order (callback id,
    # event digest, message key, inbound digest, alert key), and a transaction waiting in a
    # phase only ever waits on locks of that phase's kind, so none can wait on each other.
    callbacks.sort(key=lambda row: str(row["id"]))
    events.sort(key=lambda row: (row["provider"], row["dedup_key"]))
    inbound.sort(key=lambda row: (row["provider"], row["dedup_key"]))
    alerting = alerts is not None and alerts.enabled
    raised: list[Alert] = []
    new_events: list[dict[str, Any]] = []

    async with conn.cursor() as cur:
        await cur.executemany(_INSERT_CALLBACK, callbacks)
        if events:
            await cur.executemany(_INSERT_EVENT, events, returning=True)
            inserted = await _returned(cur, events)
            new_events = [row for row, new in zip(events, inserted, strict=True) if new]
            projected = [row for row in new_events if row["message_key"] is not None]
            projected.sort(key=lambda row: (row["provider"], row["message_key"]))
            if projected:
                await cur.executemany(_PROJECT, projected, returning=alerting)
                if alerting:
                    assert alerts is not None
                    current = await _returned(cur, projected)
                    raised += _failure_alerts(projected, current, alerts)
        if inbound:
            await cur.executemany(_INSERT_INBOUND, inbound, returning=alerting)
            if alerting:
                assert alerts is not None
                new_inbound = await _returned(cur, inbound)
                raised += _opt_out_alerts(inbound, new_inbound, alerts)
        if raised:
            assert alerts is not None
            await raise_alerts(cur, raised, alerts)

    with_events = {row["callback_id"] for row in events}
    return WriteResult(duplicates=frozenset(with_events - {r["callback_id"] for r in new_events}))


def _failure_alerts(
    projected: list[dict[str, Any]], current: list[Any], alerts: AlertSettings
) -> list[Alert]:
    """message.failed for events that just set their message's status to an alerting one."""
    raised = []
    for row, now in zip(projected, current, strict=True):
        if row["status"] not in alerts.statuses or now is None:
            continue
        if (now[0], now[1]) != (row["status"], row["status_at"]):
            continue  # the message already had a stronger or later status
        raised.append(
            Alert(
                type="message.failed",
                key=f"{row['provider']}:{row['message_key']}",
                provider=row["provider"],
                payload={
                    "type": "message.failed",
                    "provider": row["provider"],
                    "message_id": row["message_id"],
                    "client_ref": row["client_ref"],
                    "recipient": row["recipient"],
                    "status": row["status"],
                    "provider_status": row["provider_status"],
                    "error_code": row["error_code"],
                    "error_detail": row["error_detail"],
                    "occurred_at": row["occurred_at"],
                    "callback_id": row["callback_id"],
                },
            )
        )
    return raised


def _opt_out_alerts(
    inbound: list[dict[str, Any]], inserted: list[Any], alerts: AlertSettings
) -> list[Alert]:
    if not alerts.opt_outs:
        return []
    return [
        Alert(
            type="message.opted_out",
            key=f"{row['provider']}:{row['sender']}",
            provider=row["provider"],
            payload={
                "type": "message.opted_out",
                "provider": row["provider"],
                "sender": row["sender"],
                "recipient": row["recipient"],
                "keyword": row["keyword"],
                "text": row["text"],
                "message_id": row["related_message_id"],
                "client_ref": row["related_client_ref"],
                "callback_id": row["callback_id"],
            },
        )
        for row, new in zip(inbound, inserted, strict=True)
        if new and row["is_opt_out"]
    ]
