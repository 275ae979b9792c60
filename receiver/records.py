"""Normalized records: what an adapter makes of one callback.

Adapters return plain values; storage, deduplication and projection are done elsewhere, so an
adapter never touches the database and can be re-run on any stored raw request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from receiver.status import Status

__all__ = ["DeliveryEvent", "InboundMessage", "Normalized", "PayloadError", "message_key"]


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
