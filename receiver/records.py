"""Normalized records: what an adapter makes of one callback.

Adapters return plain values; storage, deduplication and projection are done elsewhere, so an
adapter never touches the database and can be re-run on any stored raw request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from receiver.status import Status

__all__ = [
    "KEYLESS_PREFIX",
    "DeliveryEvent",
    "InboundMessage",
    "Normalized",
    "PayloadError",
    "is_keyless",
    "keyless_key",
    "message_key",
    "shown_key_sql",
]

#: Prefix of the key an event gets when it names no message (no id, no client reference). Real
#: keys start "id:" or "ref:" (`message_key`), or with an adapter's own prefix (Sinch's
#: "batch:"), so a keyless event's key never names a message; it is kept out of `messages`.
KEYLESS_PREFIX = "keyless:"


class PayloadError(ValueError):
    """The request cannot be understood; it is stored with this message as its parse error."""


def message_key(
    message_id: str | None, client_ref: str | None, recipient: str | None
) -> str | None:
    """Identity of a message within one provider: its id, else client reference and recipient."""
    if message_id:
        return f"id:{message_id}"
    if client_ref:
        return f"ref:{client_ref}:{recipient or ''}"
    return None


def keyless_key(digest: bytes) -> str:
    """The key of an event that names no message: from its dedup digest, so the same callback
    gets the same key on every projection (migration 11 gives stored events the same)."""
    return KEYLESS_PREFIX + digest.hex()


def is_keyless(key: str | None) -> bool:
    """Whether `key` names no message: an event's `keyless_key`, or none at all."""
    return key is None or key.startswith(KEYLESS_PREFIX)


def shown_key_sql(column: str = "message_key") -> str:
    """SQL for `column` as the read side shows an event's message key: null where the event
    names no message, as before every event had a key."""
    return f"CASE WHEN starts_with({column}, '{KEYLESS_PREFIX}') THEN NULL ELSE {column} END"


@dataclass(frozen=True, slots=True)
class DeliveryEvent:
    """One status report about one outbound message."""

    status: Status
    provider_status: str | None
    message_id: str | None = None
    client_ref: str | None = None
    recipient: str | None = None
    error_code: str | None = None
    error_detail: str | None = None
    occurred_at: datetime | None = None
    occurred_at_raw: str | None = None
    # Set by adapters whose ids are not stable per message (Dynmark keys by reference).
    key: str | None = field(default=None)
    #: The provider's own id for this event (dotdigital eventId, Telnyx data.id). Retries
    #: repeat it, so where given it, not the event's content, identifies the event.
    event_id: str | None = None

    @property
    def message_key(self) -> str | None:
        return self.key or message_key(self.message_id, self.client_ref, self.recipient)


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """A reply or opt-out sent by a handset, linked to the outbound message where known."""

    sender: str | None
    recipient: str | None
    text: str | None
    message_id: str | None = None
    occurred_at: datetime | None = None
    occurred_at_raw: str | None = None
    related_message_id: str | None = None
    related_client_ref: str | None = None
    is_opt_out: bool = False
    keyword: str | None = None


@dataclass(frozen=True, slots=True)
class Normalized:
    """Everything one callback says: zero or more events and inbound messages."""

    events: tuple[DeliveryEvent, ...] = ()
    inbound: tuple[InboundMessage, ...] = ()
