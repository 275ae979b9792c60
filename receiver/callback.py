"""An accepted callback request, and how it becomes normalized records."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from receiver.payload import decode
from receiver.providers import Adapters
from receiver.records import Normalized, PayloadError

__all__ = ["Accepted", "RawCallback", "new_callback_id", "normalize", "redact_headers"]

# Headers that carry credentials; kept by name so their presence is visible, never by value.
_SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "x-auth-token"}
)
REDACTED = "[redacted]"


@dataclass(frozen=True, slots=True)
class RawCallback:
    """The request exactly as received, minus credentials: what `callbacks` stores."""

    id: uuid.UUID
    received_at: datetime
    provider: str
    method: str
    query: str
    headers: dict[str, str]
    content_type: str | None
    body: bytes


@dataclass(frozen=True, slots=True)
class Accepted:
    """A raw callback with what its adapter made of it."""

    raw: RawCallback
    normalized: Normalized
    parse_error: str | None


def new_callback_id(now: float | None = None) -> uuid.UUID:
    """A time-ordered UUID (version 7 layout): ids sort by arrival and index compactly."""
    millis = int((time.time() if now is None else now) * 1000)
    rand = int.from_bytes(os.urandom(10), "big")
    value = (millis & ((1 << 48) - 1)) << 80 | rand
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 4122 variant
    return uuid.UUID(int=value)


def redact_headers(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in items:
        key = name.lower()
        shown = REDACTED if key in _SECRET_HEADERS else value
        headers[key] = f"{headers[key]}, {shown}" if key in headers else shown
    return headers


def now_utc() -> datetime:
    return datetime.now(UTC)


def normalize(raw: RawCallback, adapters: Adapters) -> Accepted:
    """Run the provider's adapter; any failure becomes a parse error, never an exception."""
    adapter = adapters.get(raw.provider)
    if adapter is None:  # a provider since removed from the configuration: keep the request
        return Accepted(raw, Normalized(), f"no adapter for provider {raw.provider!r}")
    try:
        payload = decode(raw.query, raw.content_type, raw.body)
        normalized = adapter.parse(payload)
    except PayloadError as exc:
        return Accepted(raw, Normalized(), str(exc) or "unreadable callback")
    except Exception as exc:  # an adapter bug must not lose the request: keep it for re-parse
        return Accepted(raw, Normalized(), f"internal parse failure: {type(exc).__name__}: {exc}")
    return Accepted(raw, normalized, None)
