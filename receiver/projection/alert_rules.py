"""Per-message alert rules, applied by the projector to what it has just stored.

An alert is raised inside the transaction that stores its cause (a message reaching a failure
status, an opt-out reply), so it exists exactly when the cause does. Every alert passes a
cool-down gate (one per rule and key per cool-down) and fans out to one outbox row per target,
which the dispatcher (receiver/alerts.py) delivers.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg

from receiver.config import AlertSettings
from receiver.records import is_keyless

__all__ = ["Alert", "failure_alerts", "opt_out_alerts", "raise_alerts"]


@dataclass(frozen=True, slots=True)
class Alert:
    type: str
    key: str
    provider: str | None
    payload: dict[str, Any]


_RAISE = """
WITH gate AS (
    INSERT INTO alert_cooldowns (rule, alert_key, until)
    VALUES (%(type)s, %(key)s, now() + make_interval(secs => %(cooldown)s))
    ON CONFLICT (rule, alert_key) DO UPDATE SET until = EXCLUDED.until
    WHERE alert_cooldowns.until <= now()
    RETURNING 1
), alert AS (
    INSERT INTO alerts (type, alert_key, provider, payload)
    SELECT %(type)s, %(key)s, %(provider)s, %(payload)s FROM gate
    RETURNING id
)
INSERT INTO alert_deliveries (alert_id, target, format)
SELECT alert.id, target.url, target.format
FROM alert, unnest(%(urls)s::text[], %(formats)s::text[]) AS target(url, format)
"""


async def raise_alerts(
    cur: psycopg.AsyncCursor[Any], alerts: Sequence[Alert], settings: AlertSettings
) -> None:
    """Record `alerts` (those not in a cool-down) and their outbox rows, in the caller's tx."""
    if not alerts:
        return
    urls = list(settings.urls) + list(settings.slack_urls)
    formats = ["standard"] * len(settings.urls) + ["slack"] * len(settings.slack_urls)
    params = [
        {
            "type": alert.type,
            "key": alert.key,
            "provider": alert.provider,
            "payload": json.dumps(alert.payload, default=str),
            "cooldown": settings.cooldown,
            "urls": urls,
            "formats": formats,
        }
        # Sorted: cool-down rows are locked in one global order (see store.py on deadlocks).
        for alert in sorted(alerts, key=lambda a: (a.type, a.key))
    ]
    await cur.executemany(_RAISE, params)


def failure_alerts(
    new_events: list[dict[str, Any]],
    current: dict[tuple[str, bytes], tuple[str | None, Any]],
    alerts: AlertSettings,
) -> list[Alert]:
    """message.failed for new events that set their message's status to an alerting one."""
    raised = []
    for row in new_events:
        if row["status"] not in alerts.statuses or is_keyless(row["message_key"]):
            continue
        if current[(row["provider"], row["dedup_key"])] != (row["status"], row["status_at"]):
            continue  # the message has a stronger or later status
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


def opt_out_alerts(inbound: list[dict[str, Any]], alerts: AlertSettings) -> list[Alert]:
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
        for row in inbound
        if row["is_opt_out"]
    ]
