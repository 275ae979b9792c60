"""Rows as the read API's JSON: times in ISO-8601 UTC, bytes as text or base64."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from receiver.status import Status

Row = dict[str, Any]
STATUSES = tuple(status.value for status in Status)
FINAL_STATUSES = tuple(status.value for status in Status if status.is_final)

# --- JSON -----------------------------------------------------------------------------------


def iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def jsonable(row: Row) -> Row:
    """Times as ISO-8601 UTC and UUIDs as text; everything else is JSON already."""
    out: Row = {}
    for name, value in row.items():
        if isinstance(value, datetime):
            value = iso(value)
        elif isinstance(value, uuid.UUID):
            value = str(value)
        out[name] = value
    return out


def callback_json(row: Row) -> Row:
    """The raw body as base64 (it may be any bytes), and as text too when it is UTF-8."""
    stored = row.pop("body")
    out = jsonable(row)
    if stored is None:  # cleared by RECEIVER_RAW_RETENTION
        out["body_base64"] = out["body_text"] = None
        return out
    body = bytes(stored)
    out["body_base64"] = base64.b64encode(body).decode("ascii")
    try:
        out["body_text"] = body.decode("utf-8")
    except UnicodeDecodeError:
        out["body_text"] = None
    return out


def provider_stats(counts: Mapping[str, int]) -> Row:
    """Counts by status, and delivered / final events (null when nothing is final yet)."""
    by_status = {status: counts.get(status, 0) for status in STATUSES}
    final = sum(by_status[status] for status in FINAL_STATUSES)
    delivered = by_status[Status.DELIVERED.value]
    return {
        "events": sum(by_status.values()),
        "counts": by_status,
        "final": final,
        "delivered": delivered,
        "delivery_rate": delivered / final if final else None,
    }
