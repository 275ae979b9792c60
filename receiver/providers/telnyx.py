"""Telnyx Messaging API v2 webhooks: delivery updates and inbound messages.

Every webhook is one JSON event, `{"data": {"event_type", "id", "occurred_at", "payload"},
"meta": {"attempt", "delivered_to"}}`. Outbound messages report through `message.sent` and
`message.finalized`, whose payload is the message record with a status per recipient in
`to[]` (and `cc[]` for group MMS), so one webhook becomes one event per recipient. Inbound SMS
arrive as `message.received`. Retries differ only in `meta.attempt`, so `data.id` identifies the
event (developers.telnyx.com/docs/messaging/messages/receiving-webhooks).

Times are ISO-8601 with an offset (`2019-12-09T21:32:14.148+00:00` or `...Z`); one without an
offset would be taken as UTC.

Telnyx signs each webhook with Ed25519 over `"{telnyx-timestamp}|{raw body}"`; the signature is
base64 in `telnyx-signature-ed25519`, and a timestamp more than 5 minutes from now either way is
refused, as the official SDK does (telnyx/resources/webhooks.py, `unwrap`).
"""

from __future__ import annotations

import base64
import binascii
import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from receiver.providers.base import Adapter, Request, SignatureError
from receiver.providers.toolkit import fields
from receiver.providers.toolkit.fields import json_text, parse_iso
from receiver.providers.toolkit.payload import Payload
from receiver.records import DeliveryEvent, InboundMessage, Normalized, PayloadError
from receiver.status import Status

__all__ = ["TelnyxAdapter"]

# to[].status -> normalized status. The values are the `status` Literal of `To` in the official
# SDK (telnyx/types/outbound_message_payload.py; `scheduled` and `cancelled` from
# telnyx/types/message_cancel_scheduled_response.py); the mapping follows NOTES §8.
RECIPIENT_STATUSES: Mapping[str, Status] = {
    "scheduled": Status.QUEUED,  # a scheduled send not yet due
    "queued": Status.QUEUED,  # accepted, waiting to be sent
    "sending": Status.SENT,  # being handed to the carrier
    "sent": Status.SENT,  # the carrier took it; a delivery receipt may follow
    "delivered": Status.DELIVERED,
    "read": Status.DELIVERED,  # RCS/WhatsApp read receipt: delivered and then some
    "delivery_failed": Status.UNDELIVERED,  # the carrier reported a failure (error 40xxx)
    "sending_failed": Status.REJECTED,  # never left Telnyx
    "expired": Status.EXPIRED,
    "cancelled": Status.REJECTED,  # a scheduled send cancelled before it went out
    # Sent, but the carrier never confirmed delivery either way: final, outcome unknown.
    "delivery_unconfirmed": Status.UNKNOWN,
}

# Event types that carry outbound statuses (receiving-webhooks page, "Webhook event types").
DELIVERY_EVENT_TYPES = frozenset({"message.sent", "message.finalized"})
INBOUND_EVENT_TYPE = "message.received"

#: Header names, as the SDK reads them (lower-cased).
SIGNATURE_HEADER = "telnyx-signature-ed25519"
TIMESTAMP_HEADER = "telnyx-timestamp"
#: Seconds a signature's timestamp may be away from now, either way (the SDK's 300).
TOLERANCE = 300

# Statuses whose events get the message's `errors`: the SDK says errors "may point at addressees
# when referring to unsuccessful/unconfirmed delivery statuses".
_FAILED = frozenset({Status.UNDELIVERED, Status.REJECTED, Status.EXPIRED, Status.UNKNOWN})


class TelnyxAdapter(Adapter):
    slug: ClassVar[str] = "telnyx"
    status_maps: ClassVar[Mapping[str, Mapping[str, Status]]] = {
        "payload.to[].status": RECIPIENT_STATUSES
    }
    keyed_by: ClassVar[str] = (
        "payload.id, one event per recipient; retries are one event by data.id"
    )

    def __init__(self, public_keys: tuple[bytes, ...] = ()) -> None:
        self.public_keys = public_keys
        self._keys = tuple(Ed25519PublicKey.from_public_bytes(key) for key in public_keys)

    @property
    def verifies(self) -> bool:
        return bool(self._keys)

    def verify(self, request: Request) -> None:
        signature_b64 = request.header(SIGNATURE_HEADER)
        timestamp = request.header(TIMESTAMP_HEADER)
        if not signature_b64 or not timestamp:
            raise SignatureError("missing signature or timestamp header")
        try:
            signed_at = int(timestamp)
        except ValueError:
            raise SignatureError("malformed timestamp") from None
        if abs(time.time() - signed_at) > TOLERANCE:
            raise SignatureError("stale signature: timestamp outside the 5 minute window")
        try:
            signature = base64.b64decode(signature_b64.strip(), validate=True)
        except (ValueError, binascii.Error):
            raise SignatureError("malformed signature: not base64") from None
        if len(signature) != 64:
            raise SignatureError("malformed signature: not an Ed25519 signature")
        message = f"{timestamp}|".encode() + request.body
        valid = False
        for key in self._keys:  # every key is tried: no early exit
            try:
                key.verify(signature, message)
            except InvalidSignature:
                continue
            valid = True
        if not valid:
            raise SignatureError("wrong signature")

    def parse(self, payload: Payload) -> Normalized:
        data = _dict(payload.json, "data")
        if data is None:
            raise PayloadError("Telnyx webhook without a data object")
        event_type = data.get("event_type")
        if not isinstance(event_type, str) or not event_type.strip():
            raise PayloadError("Telnyx webhook without data.event_type")
        event_type = event_type.strip()
        message = data.get("payload")
        if not isinstance(message, dict):
            raise PayloadError(f"Telnyx {event_type} webhook without a payload object")
        raw_time = json_text(data.get("occurred_at"))
        occurred_at = parse_iso(raw_time)
        if event_type == INBOUND_EVENT_TYPE:
            return Normalized(inbound=(_inbound(message, raw_time, occurred_at),))
        if event_type in DELIVERY_EVENT_TYPES:
            events = _events(message, json_text(data.get("id")), raw_time, occurred_at)
            if not events:
                raise PayloadError(f"Telnyx {event_type} webhook without recipients")
            return Normalized(events=events)
        # Another product's event (calls, number orders, ...): readable, but says nothing here.
        return Normalized()


def _events(
    message: dict[str, Any],
    event_id: str | None,
    raw_time: str | None,
    occurred_at: datetime | None,
) -> tuple[DeliveryEvent, ...]:
    message_id = json_text(message.get("id"))
    error_code, error_detail = _first_error(message.get("errors"))
    events = []
    for recipient in _recipients(message):
        raw_status = json_text(recipient.get("status"))
        status = (
            RECIPIENT_STATUSES.get(raw_status.lower(), Status.UNKNOWN)
            if raw_status
            else Status.UNKNOWN
        )
        failed = status in _FAILED
        events.append(
            DeliveryEvent(
                status=status,
                provider_status=raw_status,
                message_id=message_id,
                recipient=fields.recipient(json_text(recipient.get("phone_number"))),
                error_code=error_code if failed else None,
                error_detail=error_detail if failed else None,
                occurred_at=occurred_at,
                occurred_at_raw=raw_time,
                event_id=event_id,
            )
        )
    return tuple(events)


def _recipients(message: dict[str, Any]) -> list[dict[str, Any]]:
    """`to[]` then `cc[]` entries that say something about a recipient."""
    found = []
    for name in ("to", "cc"):
        entries = message.get(name)
        if not isinstance(entries, list):
            continue
        for entry in entries:
            if isinstance(entry, dict) and (entry.get("phone_number") or entry.get("status")):
                found.append(entry)
    return found


def _first_error(errors: Any) -> tuple[str | None, str | None]:
    """Code and "title: detail" of the first of `payload.errors` ({code, title, detail})."""
    if not isinstance(errors, list):
        return None, None
    for error in errors:
        if not isinstance(error, dict):
            continue
        code = json_text(error.get("code"))
        words = [w for w in (json_text(error.get("title")), json_text(error.get("detail"))) if w]
        if code or words:
            return code, ": ".join(words) or None
    return None, None


def _inbound(
    message: dict[str, Any], raw_time: str | None, occurred_at: datetime | None
) -> InboundMessage:
    sender = message.get("from")
    sender_number = json_text(sender.get("phone_number")) if isinstance(sender, dict) else None
    to = message.get("to")
    entries = to if isinstance(to, list) else []
    ours = next((entry for entry in entries if isinstance(entry, dict)), None)
    text = json_text(message.get("text"))
    keyword = fields.opt_out_keyword(text)
    return InboundMessage(
        sender=fields.recipient(sender_number),
        recipient=fields.recipient(json_text(ours.get("phone_number")) if ours else None),
        text=text,
        message_id=json_text(message.get("id")),
        occurred_at=occurred_at,
        occurred_at_raw=raw_time,
        is_opt_out=keyword is not None,
        keyword=keyword,
    )


def _dict(document: Any, key: str) -> dict[str, Any] | None:
    if isinstance(document, dict):
        value = document.get(key)
        if isinstance(value, dict):
            return value
    return None
